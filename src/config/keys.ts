// The config's key sets, shared by the full parser (parse.ts) and the browser's reader (read.ts): which
// keys are settings and which are stages must never differ between them.

/** Top-level settings; every other top-level key is a stage (unless the stages sit under `stages`). */
export const TOP_KEYS: readonly string[] = [
  'stage',
  'salt',
  'version',
  'killed',
  'families',
  'enabled',
  'stages',
];

/** The keys of a stage. */
export const STAGE_KEYS: readonly string[] = [
  'percentage',
  'regions',
  'components',
  'startsAt',
  'monitorEvery',
];

/**
 * Where the config sits in a flag value: the seed's `{"<flag key>": {...}}` wrapper (any single key that
 * is not a setting and holds a non-stage object, and always the default flag key) or the bare object.
 * `null` (the off variation) reads as `{enabled: false}`. Both readers unwrap with this one rule.
 */
export function unwrapConfig(
  json: unknown,
  defaultKey: string,
  isObject: (value: unknown) => value is Record<string, unknown>,
): { flagKey: string; wrapped: boolean; body: unknown } {
  const keys = isObject(json) ? Object.keys(json) : [];
  const only = keys.length === 1 && !TOP_KEYS.includes(keys[0]!) ? keys[0]! : undefined;
  if (only !== undefined && isObject(json)) {
    const inner = json[only];
    // `{"week1": {}}` is an empty stage, not a wrapper; the default flag key is always a wrapper.
    const wrapper =
      inner === null ||
      (isObject(inner) &&
        (only === defaultKey || (Object.keys(inner).length > 0 && !STAGE_KEYS.some((k) => k in inner))));
    if (wrapper) return { flagKey: only, wrapped: true, body: inner ?? { enabled: false } };
  }
  return { flagKey: defaultKey, wrapped: false, body: json ?? { enabled: false } };
}

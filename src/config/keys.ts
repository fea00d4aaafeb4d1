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

// The helpers every reader of untrusted JSON (storage, flags, manifests, config, events) shares: one
// `isRecord`, one safe `parseJson`, and one way to say what a bad value was in an error message.

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `JSON.parse`, or undefined for null or malformed text; never throws. */
export function parseJson(raw: string | null | undefined): unknown {
  if (raw == null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Longest stretch of a bad string quoted back in a message: enough to recognise, never a whole payload. */
const QUOTE_LIMIT = 40;

/**
 * What a bad value was, for "expected …, got <this>": a string quoted (cut at 40 characters), a number or
 * boolean as written, else `null`, `an array`, `an object`, `nothing`. Never the whole value: it may be large.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The message of a caught error, or the thrown value as text. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Only the kind of a bad value (`string`, `number`, `array`, `null`, `NaN`, `undefined`, …), for messages
 * that must not echo what a client sent: the collector answers with these.
 */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

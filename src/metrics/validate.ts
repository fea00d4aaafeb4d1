// Checks a value against the metric event contract (src/metrics/event.ts), strictly: for reporters and
// their tests. The collector reads events tolerantly (drops unknown fields, upper-cases regions) with its
// own check in server/collector/validate.ts; both take their limits from src/metrics/event.ts.
import { isFamily } from '../families.js';
import {
  ARMS,
  EVENT_FIELDS,
  MAX_DETAIL_LENGTH as MAX_DETAIL,
  MAX_ID_LENGTH as MAX_ID,
  METRIC_NAMES,
  type MetricName,
  SIGNED_METRICS,
  USER_HASH_PATTERN as USER_HASH,
} from './event.js';

/** One thing wrong with an event, located by a JSON path such as `$[3].value`. */
export interface EventProblem {
  path: string;
  message: string;
}

const NAMES: readonly string[] = METRIC_NAMES;
const KNOWN_FIELDS: ReadonlySet<string> = new Set(EVENT_FIELDS);
const REGION = /^[A-Z]{2}$/;

/**
 * Returns every problem with `value` as a MetricEvent (empty when valid). `path` prefixes the paths,
 * so a collector can report `$[3].value` for the fourth event of a batch.
 */
export function validateEvent(value: unknown, path = '$'): EventProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path, message: `expected an event object, got ${show(value)}` }];
  }
  const e = value as Record<string, unknown>;
  const problems: EventProblem[] = [];
  const at = (field: string, message: string) => problems.push({ path: `${path}.${field}`, message });

  for (const field of Object.keys(e)) {
    if (!KNOWN_FIELDS.has(field)) at(field, 'unknown field (the event contract does not allow it)');
  }
  const name = e.name;
  const knownName = typeof name === 'string' && NAMES.includes(name);
  if (!knownName) at('name', `expected one of ${METRIC_NAMES.join(', ')}, got ${show(name)}`);

  if (name === 'fallback') {
    if (typeof e.value !== 'string' || e.value === '')
      at('value', 'a fallback carries its reason as a non-empty string');
  } else if (typeof e.value !== 'number' || !Number.isFinite(e.value)) {
    at('value', `expected a finite number, got ${show(e.value)}`);
  } else if (knownName && !SIGNED_METRICS.has(name as MetricName) && e.value < 0) {
    at('value', `${String(name)} cannot be negative, got ${e.value}`);
  }

  if (!(ARMS as readonly unknown[]).includes(e.arm))
    at('arm', `expected v1, v2 or mixed, got ${show(e.arm)}`);
  if (e.family !== undefined && !isFamily(e.family)) at('family', `unknown family ${show(e.family)}`);
  if (name === 'exposure' && e.family === undefined) at('family', 'an exposure names its family');
  if (e.stage !== null && typeof e.stage !== 'string')
    at('stage', `expected a string or null, got ${show(e.stage)}`);
  if (typeof e.configVersion !== 'string')
    at('configVersion', `expected a string, got ${show(e.configVersion)}`);
  if (typeof e.region !== 'string' || (e.region !== '' && !REGION.test(e.region))) {
    at('region', `expected a two-letter region code or '' (unknown), got ${show(e.region)}`);
  }
  if (typeof e.user !== 'string' || !USER_HASH.test(e.user)) {
    at('user', `expected a hex hash of the user key (8-64 hex digits), got ${show(e.user)}`);
  }
  if (typeof e.session !== 'string' || e.session === '' || e.session.length > MAX_ID) {
    at('session', `expected a non-empty id of at most ${MAX_ID} characters, got ${show(e.session)}`);
  }
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts <= 0) {
    at('ts', `expected a positive timestamp in ms since epoch, got ${show(e.ts)}`);
  }
  if (e.detail !== undefined && (typeof e.detail !== 'string' || e.detail.length > MAX_DETAIL)) {
    at('detail', `expected a string of at most ${MAX_DETAIL} characters`);
  }
  return problems;
}

/** Short description of a bad value for an error message (never the whole value: it may be large). */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

// The one check of a value against the metric event contract (src/metrics/event.ts), in two modes.
// Strict (the default) is for the SDK's own events, reporters' tests and the gate's reading of an export:
// the event must already be exactly contract-shaped. Lenient is the collector's intake: the server never
// trusts a browser, but it tolerates what a newer or older SDK may send (unknown fields and null optional
// fields are dropped, a lower-case region is upper-cased, a client's `receivedAt` is dropped because the
// collector stamps it) and returns the normalized event. Every other rule is the same in both modes, so
// an event the collector keeps always passes the strict check (ARCHITECTURE.md "Event contract").
import { isFamily } from '../families.js';
import { describeValue, isRecord, kindOf } from '../json.js';
import {
  ARMS,
  ASSIGNMENT_GROUPS,
  EVENT_FIELDS,
  MAX_DETAIL_LENGTH,
  MAX_ID_LENGTH,
  METRIC_NAMES,
  type MetricEvent,
  type MetricName,
  SIGNED_METRICS,
  USER_HASH_PATTERN,
} from './event.js';

/** One thing wrong with an event, located by a JSON path such as `$[3].value`. */
export interface EventProblem {
  path: string;
  message: string;
}

/** `strict`: the event must be contract-shaped as it is; `lenient`: normalize what can be, then check. */
export type ValidationMode = 'strict' | 'lenient';

/** Options of `validateEvent`. */
export interface ValidateOptions {
  mode?: ValidationMode;
}

/** The lenient verdict: the normalized event, or every problem found. */
export type EventCheck = { ok: true; event: MetricEvent } | { ok: false; problems: EventProblem[] };

const KNOWN_FIELDS: ReadonlySet<string> = new Set(EVENT_FIELDS);
const GROUPS: readonly unknown[] = ASSIGNMENT_GROUPS;
const NAMES: readonly unknown[] = METRIC_NAMES;

/**
 * Returns every problem with `value` as a MetricEvent (empty when valid). `path` prefixes the paths, so a
 * caller can report `$[3].value` for the fourth event of a batch.
 */
export function validateEvent(value: unknown, path?: string, options?: { mode?: 'strict' }): EventProblem[];
/** Lenient: the normalized event (unknown and null optional fields dropped, region upper-cased), or the problems. */
export function validateEvent(value: unknown, path: string, options: { mode: 'lenient' }): EventCheck;
export function validateEvent(
  value: unknown,
  path = '$',
  options: ValidateOptions = {},
): EventProblem[] | EventCheck {
  const check = checkEvent(value, path, options.mode ?? 'strict');
  if (options.mode === 'lenient') return check;
  return check.ok ? [] : check.problems;
}

/** Both modes: the checks in contract order, then the event built field by field from checked values. */
function checkEvent(value: unknown, path: string, mode: ValidationMode): EventCheck {
  if (!isRecord(value)) {
    return { ok: false, problems: [{ path, message: `expected an event object, got ${kindOf(value)}` }] };
  }
  const e = value;
  const problems: EventProblem[] = [];
  const at: Problems = (field, message) => problems.push({ path: `${path}.${field}`, message });
  if (mode === 'strict') {
    for (const field of Object.keys(e)) {
      if (!KNOWN_FIELDS.has(field)) at(field, 'unknown field (the event contract does not allow it)');
    }
  }
  // In lenient mode a null optional field is the same as none; in strict mode it is a mistake.
  const optional = (field: string): unknown => {
    const v = e[field];
    if (v === null && mode === 'strict') at(field, 'expected the field to be left out, got null');
    return v === null ? undefined : v;
  };
  checkName(e.name, at);
  checkValue(e.name, e.value, at);
  if (!ARMS.includes(e.arm as never)) at('arm', `expected "v1", "v2" or "mixed", got ${kindOf(e.arm)}`);
  const family = optional('family');
  if (family !== undefined && !isFamily(family)) {
    at('family', `unknown family ${typeof family === 'string' ? describeValue(family) : kindOf(family)}`);
  }
  if (e.name === 'exposure' && family === undefined) at('family', 'an exposure names its family');
  if (e.stage !== null) checkId(e, 'stage', at, false);
  checkId(e, 'configVersion', at, true);
  checkUser(e.user, at);
  checkId(e, 'session', at, false);
  checkRegion(e.region, at, mode);
  checkTime(e.ts, 'ts', at);
  const detail = optional('detail');
  checkDetail(detail, at);
  checkAssignment(e.assignment, e.bucket, at);
  const id = optional('id');
  if (id !== undefined) checkId(e, 'id', at, false);
  if (mode === 'strict' && e.receivedAt !== undefined) checkTime(e.receivedAt, 'receivedAt', at);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, event: normalized(e, family, detail, id, mode) };
}

/** The event from checked fields only, so nothing unchecked reaches a store. */
function normalized(
  e: Record<string, unknown>,
  family: unknown,
  detail: unknown,
  id: unknown,
  mode: ValidationMode,
): MetricEvent {
  const event: MetricEvent = {
    name: e.name as MetricName,
    value: e.value as number | string,
    arm: e.arm as MetricEvent['arm'],
    stage: e.stage as string | null,
    configVersion: e.configVersion as string,
    region: (e.region as string).toUpperCase(),
    user: e.user as string,
    session: e.session as string,
    ts: e.ts as number,
    assignment: e.assignment as MetricEvent['assignment'],
    bucket: e.bucket as number,
  };
  if (isFamily(family)) event.family = family;
  if (typeof detail === 'string') event.detail = detail;
  if (typeof id === 'string') event.id = id;
  // A client cannot say when the server received it: only a strict (already stamped) event keeps it.
  if (mode === 'strict' && typeof e.receivedAt === 'number') event.receivedAt = e.receivedAt;
  return event;
}

/** Records a problem with one field. */
type Problems = (field: string, message: string) => void;

function checkName(name: unknown, at: Problems): void {
  if (NAMES.includes(name)) return;
  at(
    'name',
    typeof name === 'string'
      ? `unknown metric "${name.slice(0, 40)}"; expected one of ${METRIC_NAMES.join(', ')}`
      : `expected a metric name, got ${kindOf(name)}`,
  );
}

function checkTime(value: unknown, field: string, at: Problems): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    at(field, `expected a time in ms since epoch (a positive number), got ${kindOf(value)}`);
  }
}

function checkDetail(detail: unknown, at: Problems): void {
  if (detail === undefined) return;
  if (typeof detail !== 'string') at('detail', `expected a string, got ${kindOf(detail)}`);
  else if (detail.length > MAX_DETAIL_LENGTH) {
    at('detail', `longer than ${MAX_DETAIL_LENGTH} characters (${detail.length})`);
  }
}

function checkAssignment(assignment: unknown, bucket: unknown, at: Problems): void {
  if (!GROUPS.includes(assignment)) {
    at('assignment', `expected one of ${ASSIGNMENT_GROUPS.join(', ')}, got ${describeValue(assignment)}`);
  }
  if (typeof bucket !== 'number' || !(bucket >= 0 && bucket <= 1)) {
    at('bucket', `expected the user's rollout bucket, a number from 0 to 1, got ${describeValue(bucket)}`);
  }
}

/** A fallback carries its reason; other metrics a finite number, >= 0 unless the metric is signed. */
function checkValue(name: unknown, value: unknown, at: Problems): void {
  if (name === 'fallback') {
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
      at('value', `expected the fallback reason (a non-empty string), got ${kindOf(value)}`);
    }
    return;
  }
  const known = NAMES.includes(name);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    at('value', `expected a number${known ? ` for ${String(name)}` : ''}, got ${kindOf(value)}`);
  } else if (known && value < 0 && !SIGNED_METRICS.has(name as MetricName)) {
    at('value', `expected a number >= 0 for ${String(name)}, got ${value}`);
  }
}

/**
 * An id (stage, config version, session, event id): a string of at most MAX_ID_LENGTH characters without
 * control characters, since ids become parts of aggregation keys where those could make two ids collide.
 */
function checkId(e: Record<string, unknown>, field: string, at: Problems, allowEmpty: boolean): void {
  const value = e[field];
  if (typeof value !== 'string') {
    at(field, `expected a string, got ${kindOf(value)}`);
    return;
  }
  if (!allowEmpty && value.length === 0) at(field, 'must not be empty');
  if (hasControlCharacter(value)) at(field, 'must not contain control characters');
  if (value.length > MAX_ID_LENGTH) at(field, `longer than ${MAX_ID_LENGTH} characters (${value.length})`);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function checkUser(user: unknown, at: Problems): void {
  if (typeof user === 'string' && USER_HASH_PATTERN.test(user)) return;
  const got = typeof user === 'string' ? 'a string that is not one' : kindOf(user);
  at('user', `expected a hex hash of the user key (8-64 lowercase hex digits), got ${got}`);
}

/** Two letters or '' (unknown); strict mode wants them upper-case already, lenient upper-cases them. */
function checkRegion(region: unknown, at: Problems, mode: ValidationMode): void {
  const code = mode === 'strict' ? /^([A-Z]{2})?$/ : /^([A-Za-z]{2})?$/;
  if (typeof region === 'string' && code.test(region)) return;
  const got = typeof region === 'string' ? `"${region.slice(0, 40)}"` : kindOf(region);
  const what = mode === 'strict' ? 'an upper-case ISO 3166-1 alpha-2 code' : 'an ISO 3166-1 alpha-2 code';
  at('region', `expected ${what} (or "" when unknown), got ${got}`);
}

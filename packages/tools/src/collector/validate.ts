// The collector's own check of incoming events: the server never trusts the browser. Each problem names
// the event's index in the batch and the field, e.g. `[3].value: expected a number for fcp, got string`.
import {
  ARMS,
  type Arm,
  isFamily,
  MAX_DETAIL_LENGTH,
  MAX_ID_LENGTH,
  METRIC_NAMES,
  type MetricEvent,
  type MetricName,
  SIGNED_METRICS as SIGNED,
  USER_HASH_PATTERN as USER_HASH,
} from 'token-rollout/core';

// The limits are the contract's (src/metrics/event.ts); re-exported for the collector's callers.
export { MAX_DETAIL_LENGTH, MAX_ID_LENGTH };

/** The verdict on one event: the normalized event, or every problem found in it. */
export type EventCheck = { ok: true; event: MetricEvent } | { ok: false; errors: string[] };

/** What a batch yields: the valid events (in order), how many were rejected, and why. */
export interface BatchCheck {
  events: MetricEvent[];
  rejected: number;
  errors: string[];
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function isMetricName(value: unknown): value is MetricName {
  return typeof value === 'string' && (METRIC_NAMES as readonly string[]).includes(value);
}

function isArm(value: unknown): value is Arm {
  return typeof value === 'string' && (ARMS as readonly string[]).includes(value);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function checkId(
  record: Record<string, unknown>,
  field: string,
  at: string,
  errors: string[],
  allowEmpty: boolean,
): string {
  const value = record[field];
  if (typeof value !== 'string') {
    errors.push(`${at}.${field}: expected a string, got ${kindOf(value)}`);
    return '';
  }
  if (!allowEmpty && value.length === 0) errors.push(`${at}.${field}: must not be empty`);
  // Ids become parts of aggregation keys: control characters could make two different ids collide.
  if (hasControlCharacter(value)) errors.push(`${at}.${field}: must not contain control characters`);
  if (value.length > MAX_ID_LENGTH) {
    errors.push(`${at}.${field}: longer than ${MAX_ID_LENGTH} characters (${value.length})`);
  }
  return value;
}

/**
 * Checks one event found at `index` of a batch. Unknown extra fields are dropped (a newer SDK may add
 * some) and the region is upper-cased; everything else must match the contract in src/metrics/event.ts.
 */
export function validateEvent(input: unknown, index: number): EventCheck {
  const at = `[${index}]`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [`${at}: expected an event object, got ${kindOf(input)}`] };
  }
  const record = input as Record<string, unknown>;
  const errors: string[] = [];

  const name = record.name;
  if (!isMetricName(name)) {
    errors.push(
      typeof name === 'string'
        ? `${at}.name: unknown metric "${name.slice(0, 40)}"; expected one of ${METRIC_NAMES.join(', ')}`
        : `${at}.name: expected a metric name, got ${kindOf(name)}`,
    );
  }

  const value = record.value;
  if (name === 'fallback') {
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
      errors.push(`${at}.value: expected the fallback reason (a non-empty string), got ${kindOf(value)}`);
    }
  } else if (isMetricName(name)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push(`${at}.value: expected a number for ${name}, got ${kindOf(value)}`);
    } else if (value < 0 && !SIGNED.has(name)) {
      errors.push(`${at}.value: expected a number >= 0 for ${name}, got ${value}`);
    }
  }

  const arm = record.arm;
  if (!isArm(arm)) errors.push(`${at}.arm: expected "v1", "v2" or "mixed", got ${kindOf(arm)}`);

  const family = record.family;
  if (family !== undefined && family !== null && !isFamily(family)) {
    errors.push(
      `${at}.family: unknown family ${typeof family === 'string' ? `"${family.slice(0, 40)}"` : kindOf(family)}`,
    );
  }

  if (name === 'exposure' && (family === undefined || family === null))
    errors.push(`${at}.family: an exposure names its family`);

  const stage = record.stage;
  if (stage !== null) checkId(record, 'stage', at, errors, false);
  const configVersion = checkId(record, 'configVersion', at, errors, true);
  const user = record.user;
  if (typeof user !== 'string' || !USER_HASH.test(user)) {
    errors.push(
      `${at}.user: expected a hex hash of the user key (8-64 lowercase hex digits), got ${
        typeof user === 'string' ? 'a string that is not one' : kindOf(user)
      }`,
    );
  }
  const session = checkId(record, 'session', at, errors, false);

  const region = record.region;
  if (typeof region !== 'string' || !/^([A-Za-z]{2})?$/.test(region)) {
    errors.push(
      `${at}.region: expected an ISO 3166-1 alpha-2 code (or "" when unknown), got ${
        typeof region === 'string' ? `"${region.slice(0, 40)}"` : kindOf(region)
      }`,
    );
  }

  const ts = record.ts;
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0) {
    errors.push(`${at}.ts: expected a time in ms since epoch (a positive number), got ${kindOf(ts)}`);
  }

  const detail = record.detail;
  if (detail !== undefined && detail !== null) {
    if (typeof detail !== 'string') errors.push(`${at}.detail: expected a string, got ${kindOf(detail)}`);
    else if (detail.length > MAX_DETAIL_LENGTH) {
      errors.push(`${at}.detail: longer than ${MAX_DETAIL_LENGTH} characters (${detail.length})`);
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  // Built field by field so that nothing unchecked reaches the store.
  const event: MetricEvent = {
    name: name as MetricName,
    value: value as number | string,
    arm: arm as Arm,
    stage: stage as string | null,
    configVersion,
    region: (region as string).toUpperCase(),
    user: user as string,
    session,
    ts: ts as number,
  };
  if (isFamily(family)) event.family = family;
  if (typeof detail === 'string') event.detail = detail;
  return { ok: true, event };
}

/** Checks a parsed request body: it must be a JSON array of events; keeps the valid ones. */
export function validateBatch(body: unknown): BatchCheck {
  if (!Array.isArray(body)) {
    return { events: [], rejected: 0, errors: [`$: expected a JSON array of events, got ${kindOf(body)}`] };
  }
  if (body.length === 0) return { events: [], rejected: 0, errors: ['$: the batch is empty'] };
  const events: MetricEvent[] = [];
  const errors: string[] = [];
  let rejected = 0;
  body.forEach((item: unknown, index) => {
    const check = validateEvent(item, index);
    if (check.ok) events.push(check.event);
    else {
      rejected++;
      errors.push(...check.errors);
    }
  });
  return { events, rejected, errors };
}

// The collector's intake check: the server never trusts the browser. The rules are the event contract's one
// validator in its lenient mode (src/metrics/validate.ts, via token-rollout/core): unknown fields dropped,
// the region upper-cased, a client's `receivedAt` dropped (the collector stamps it). Each problem names the
// event's index in the batch and the field, e.g. `[3].value: expected a number for fcp, got string`.
import {
  type EventProblem,
  kindOf,
  MAX_DETAIL_LENGTH,
  MAX_ID_LENGTH,
  type MetricEvent,
  validateEvent as validateContract,
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

const format = (problems: readonly EventProblem[]) => problems.map((p) => `${p.path}: ${p.message}`);

/**
 * Checks one event found at `index` of a batch, leniently: unknown extra fields are dropped (a newer SDK
 * may add some) and the region is upper-cased; everything else must match the contract.
 */
export function validateEvent(input: unknown, index: number): EventCheck {
  const check = validateContract(input, `[${index}]`, { mode: 'lenient' });
  return check.ok ? check : { ok: false, errors: format(check.problems) };
}

/**
 * Checks an event the collector itself stored (already normalized and stamped), strictly: unlike intake,
 * it keeps the server's `receivedAt`. For reading records back from the store.
 */
export function validateStoredEvent(input: unknown): EventCheck {
  const problems = validateContract(input, '$');
  return problems.length === 0
    ? { ok: true, event: input as MetricEvent }
    : { ok: false, errors: format(problems) };
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

// Which events may reach the statistics. An event is used only when
// - it satisfies the event contract (validateEvent): a negative page load, a non-finite value or an unknown
//   metric never reaches a mean, whoever called the gate;
// - it carries the user's assignment (`treatment`, `control`, `ineligible`): the comparison is by the
//   group decided before any fallback, opt-out or load failure, so an event without one cannot be placed;
// - it has a server receive time (`receivedAt`, stamped by the collector): client clocks decide no
//   duration, window or "latest stage". Only when the caller says the data has no server time (a file
//   exported by a pipeline without one) is the client's `ts` used instead, and the report says so.
import { type MetricEvent, validateEvent } from 'token-rollout/core';

/** Whose clock times the events: the collector's (`receivedAt`) or, when told so, the client's (`ts`). */
export type Clock = 'server' | 'client';

/** A user's group for the flag at decision time. */
export type Group = NonNullable<MetricEvent['assignment']>;

/** Why an event was left out of the comparison. */
export type Exclusion = 'invalid' | 'no-assignment' | 'no-server-time' | 'no-stage';

/** Every exclusion reason, in report order. */
export const EXCLUSIONS: readonly Exclusion[] = ['invalid', 'no-assignment', 'no-server-time', 'no-stage'];

/** An event the gate can use, with its group and time, or why it cannot. */
export type Screened =
  | { ok: true; event: MetricEvent; group: Group; at: number }
  | { ok: false; reason: Exclusion; detail: string };

/** Screens one value (anything: a caller may pass raw JSON) for the comparison; see the file header. */
export function screenEvent(value: unknown, clock: Clock): Screened {
  const problems = validateEvent(value);
  if (problems.length > 0) {
    // An event from an SDK older than the assignment contract lacks exactly `assignment` and `bucket`:
    // otherwise valid, it is counted as such, so the report can say how much data predates the contract.
    const missing = (value as { assignment?: unknown }).assignment === undefined;
    const rest = problems.filter((p) => !(missing && (p.path === '$.assignment' || p.path === '$.bucket')));
    if (rest.length === 0) {
      return {
        ok: false,
        reason: 'no-assignment',
        detail: 'no assignment (an SDK older than the assignment contract?)',
      };
    }
    return { ok: false, reason: 'invalid', detail: rest.map((p) => `${p.path}: ${p.message}`).join('; ') };
  }
  const event = value as MetricEvent;
  const at = event.receivedAt ?? (clock === 'client' ? event.ts : undefined);
  if (at === undefined) {
    return {
      ok: false,
      reason: 'no-server-time',
      detail: 'no receivedAt (not stamped by a collector); pass --client-time to use the client ts',
    };
  }
  if (event.stage === null)
    return { ok: false, reason: 'no-stage', detail: 'recorded while no stage was active' };
  return { ok: true, event, group: event.assignment!, at };
}

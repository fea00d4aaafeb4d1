// The control arm when a stage has none. At 100 % (week 4) every eligible user is on v2, so there is no
// concurrent v1 arm to compare with; the latest earlier stage's v1 users stand in as a historical control.
// That comparison is weaker (anything that changed between the stages is mixed into the effect), so the
// report says which control was used.
import type { StageAggregate } from './aggregate.js';
import { MIN_USERS_TO_DECIDE } from './decide.js';
import { PAGE_METRICS } from './thresholds.js';

/** Which v1 users the comparisons used. */
export type ControlSource = { kind: 'concurrent' } | { kind: 'historical'; stage: string };

/**
 * The stage's aggregate with a usable v1 arm: its own when it has at least MIN_USERS_TO_DECIDE v1 users,
 * else the v1 arm of `previous` (the latest earlier stage) when that one has enough.
 */
export function withControl(
  current: StageAggregate,
  previous: StageAggregate | null,
): { aggregate: StageAggregate; control: ControlSource } {
  if (
    current.users.v1 >= MIN_USERS_TO_DECIDE ||
    previous === null ||
    previous.users.v1 < MIN_USERS_TO_DECIDE
  ) {
    return { aggregate: current, control: { kind: 'concurrent' } };
  }
  const metrics = { ...current.metrics };
  for (const m of PAGE_METRICS) metrics[m] = { v1: previous.metrics[m].v1, v2: current.metrics[m].v2 };
  const families = current.families.map((f) => {
    const before = previous.families.find((p) => p.family === f.family);
    return before ? { ...f, errorRate: { v1: before.errorRate.v1, v2: f.errorRate.v2 } } : f;
  });
  return {
    aggregate: { ...current, metrics, families, users: { ...current.users, v1: previous.users.v1 } },
    control: { kind: 'historical', stage: previous.stage },
  };
}

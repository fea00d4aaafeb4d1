// Which users are the control. Normally the stage's own `control` group: eligible users outside the
// percentage, randomized, in the same regions by construction. At 100 % (week 4) nobody is outside the
// percentage, so the control group of the latest earlier stage that has one stands in: a historical
// control. That comparison is weaker (anything that changed between the stages is mixed into the effect,
// and regions the earlier stage did not cover have no control at all), so the report says so, and the
// plan's absolute levels, which need no control, are judged as in every week.
import type { StageTally } from './tally.js';

/** Users per group below which no comparison is made (the normal approximation needs some data). */
export const MIN_USERS_TO_DECIDE = 30;

/** Whose users the comparisons used as control. */
export type ControlSource =
  | { kind: 'concurrent' }
  | { kind: 'historical'; stage: string; users: number; regionsWithout: string[] }
  | { kind: 'none'; reason: string };

/** Users of a stage in one group, leaving out users seen in both groups. */
export function controlUsers(stage: StageTally): number {
  let n = 0;
  for (const u of stage.users.values()) if (u.group === 'control' && !u.conflicted) n++;
  return n;
}

/**
 * The control for `current`: its own when it has MIN_USERS_TO_DECIDE control users, else the first of
 * `earlier` (nearest stage first) that has, else none. Returns the source and the stage whose control
 * users to use.
 */
export function chooseControl(
  current: StageTally,
  earlier: readonly StageTally[],
): { source: ControlSource; from: StageTally | null } {
  if (controlUsers(current) >= MIN_USERS_TO_DECIDE) return { source: { kind: 'concurrent' }, from: current };
  for (const stage of earlier) {
    const users = controlUsers(stage);
    if (users < MIN_USERS_TO_DECIDE) continue;
    const covered = new Set<string>();
    for (const u of stage.users.values()) if (u.group === 'control' && !u.conflicted) covered.add(u.region);
    const treated = new Set<string>();
    for (const u of current.users.values())
      if (u.group === 'treatment' && !u.conflicted) treated.add(u.region);
    const regionsWithout = [...treated].filter((r) => !covered.has(r)).sort();
    return { source: { kind: 'historical', stage: stage.stage, users, regionsWithout }, from: stage };
  }
  return {
    source: {
      kind: 'none',
      reason:
        earlier.length === 0
          ? `fewer than ${MIN_USERS_TO_DECIDE} control users in ${current.stage} and no earlier stage in the data`
          : `fewer than ${MIN_USERS_TO_DECIDE} control users in ${current.stage} and in every earlier stage in the data`,
    },
    from: null,
  };
}

// "Say what cannot be known": per comparison, how many users a decision needs at the current effect and
// variance, against how many the stage will see in its planned length at its current pace. A conversion
// change of 0.1 point needs millions of users; week 1 sees a few hundred thousand, so the report says that
// week 1 cannot judge conversion instead of holding for it without end.
import type { CompareSettings } from './decide.js';
import { usersNeeded } from './stats/users-needed.js';
import type { MetricRule } from './thresholds.js';

/** Whether (and when) the data can decide a comparison. */
export type Knowability =
  | { kind: 'decided'; reason: string }
  | { kind: 'reachable'; usersNeeded: number; reason: string }
  | { kind: 'not-in-this-stage'; usersNeeded: number | null; expectedUsers: number; reason: string }
  | { kind: 'unknown'; reason: string };

/** How fast a stage collects users, and how long it is planned to run. */
export interface Pace {
  /** Users in the comparison so far (both groups). */
  users: number;
  /** Time the stage has run (server time). */
  durationMs: number;
  /** The stage's planned length. */
  plannedMs: number;
}

/** The pace is not extrapolated from less than one monitoring interval of data. */
const MIN_PACE_MS = 15 * 60_000;

/** Users the stage will have at the end of its planned length, at its current pace. */
export function expectedUsers(pace: Pace): number {
  if (pace.durationMs >= pace.plannedMs) return pace.users;
  return Math.round((pace.users * pace.plannedMs) / Math.max(pace.durationMs, MIN_PACE_MS));
}

/**
 * Users (in the comparison's own units) at which the sequence would decide, at the current harm, standard
 * error and half-width: shown within the margin (possible while the estimate is inside it), or shown
 * harmful while the trigger is still plausible (possible while harm is not yet shown and the estimate is
 * past half the trigger: when the harm-side bound leaves zero, the other bound is at twice the estimate).
 * Once harm is shown but the trigger is ruled out, more data only narrows the interval further from it.
 * The smaller of the two; null when neither can happen.
 */
export function decisionUsers(
  rule: Pick<MetricRule, 'margin' | 'trigger'>,
  harm: number,
  se: number,
  n: number,
  halfwidth: number,
  settings: CompareSettings,
): number | null {
  const options: number[] = [];
  if (harm < rule.margin) {
    const toMargin = usersNeeded(se, n, settings.alpha, settings.rho, rule.margin - harm);
    if (toMargin !== null) options.push(toMargin);
  }
  if (harm > 0 && halfwidth >= harm && 2 * harm > rule.trigger) {
    const toHarm = usersNeeded(se, n, settings.alpha, settings.rho, harm);
    if (toHarm !== null) options.push(toHarm);
  }
  return options.length === 0 ? null : Math.min(...options);
}

function rounded(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} million`;
  return Math.round(n).toLocaleString('en-US');
}

/**
 * The verdict for one comparison. `needed` is in users of the whole comparison (already scaled from the
 * metric's own coverage), null when more data is not expected to decide.
 */
export function knowability(
  label: string,
  stage: string,
  decided: boolean,
  needed: number | null | 'too-few',
  pace: Pace,
): Knowability {
  if (decided) return { kind: 'decided', reason: `${label}: decided` };
  if (needed === 'too-few') return { kind: 'unknown', reason: `${label}: too few users to estimate yet` };
  const expected = expectedUsers(pace);
  const days = (pace.plannedMs / 86_400_000).toFixed(0);
  const perHour = pace.durationMs > 0 ? (pace.users * 3_600_000) / Math.max(pace.durationMs, MIN_PACE_MS) : 0;
  const seeing = `${stage} will see about ${rounded(expected)} (${days} days planned, ${rounded(perHour)} users/h so far)`;
  if (needed === null) {
    return {
      kind: 'not-in-this-stage',
      usersNeeded: null,
      expectedUsers: expected,
      reason: `${label}: more data is not expected to decide it (the estimate is past the margin, and the trigger is out of reach from it); a person must judge it`,
    };
  }
  if (needed > expected) {
    return {
      kind: 'not-in-this-stage',
      usersNeeded: needed,
      expectedUsers: expected,
      reason: `${label}: ${stage} cannot judge it: a decision needs about ${rounded(needed)} users at the current effect and variance; ${seeing}`,
    };
  }
  return {
    kind: 'reachable',
    usersNeeded: needed,
    reason: `${label}: about ${rounded(needed)} users would decide it; ${seeing}`,
  };
}

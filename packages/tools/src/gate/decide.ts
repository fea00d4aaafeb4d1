// The decision rule for one comparison, given its always-valid confidence sequence. Pure.
//
// ROLL BACK when the sequence shows v2 worse at all (its harm-side bound excludes zero) AND a harm beyond
// the trigger is still inside the sequence. Requiring "worse at all" keeps false alarms below alpha / 2
// per comparison however often the gate looks (with no true harm the sequence must miss zero, which it
// does with probability <= alpha / 2 over the whole stage). Requiring "trigger not excluded" makes a real
// regression at or beyond the trigger fire as soon as it is distinguishable from zero, instead of waiting
// until its lower bound passes the trigger (which a regression exactly at the trigger would never do), and
// stops a small harm that is shown to be below the trigger from rolling back the whole rollout.
// WITHIN MARGIN when the harm-side bound is below the non-inferiority margin (what success gates need).

import { MIN_USERS_TO_DECIDE } from './control.js';
import { confidenceSequence, type Interval } from './stats/confidence-sequence.js';
import { type Effect, effectOf } from './stats/effect.js';
import type { Summary } from './stats/summary.js';
import { usersNeeded } from './stats/users-needed.js';
import type { MetricRule } from './thresholds.js';

export { MIN_USERS_TO_DECIDE };

/** What one comparison says, with the reason in words. */
export type MetricStatus =
  | { kind: 'insufficient'; reason: string }
  | { kind: 'rollback'; reason: string }
  | { kind: 'within-margin'; improved: boolean; reason: string }
  | { kind: 'pending'; usersNeeded: number | null; reason: string };

/** The evidence for one comparison, treatment against control. */
export interface Comparison {
  effect: Effect | null;
  /** The (1 - alpha) confidence sequence of the effect at the current sample. */
  interval: Interval | null;
  status: MetricStatus;
}

/** Settings shared by every comparison of one evaluation. */
export interface CompareSettings {
  /** Per-comparison alpha (after the Bonferroni split). */
  alpha: number;
  /** The mixing parameter for the target sample size. */
  rho: number;
}

/** Formats an effect or threshold in the rule's unit: points for absolute rates, percent for relative. */
export function formatEffect(rule: MetricRule, value: number): string {
  const sign = value > 0 ? '+' : '';
  if (rule.scale === 'relative') return `${sign}${(value * 100).toFixed(1)} %`;
  return `${sign}${(value * 100).toFixed(2)} pt`;
}

/**
 * Compares treatment with control for one metric and applies the rollback and success rules. The
 * summaries are the groups' estimates (stats/stratify.ts): `variance / n` is the variance of the mean.
 */
export function compare(
  rule: MetricRule,
  control: Summary,
  treatment: Summary,
  settings: CompareSettings,
): Comparison {
  if (control.n < MIN_USERS_TO_DECIDE || treatment.n < MIN_USERS_TO_DECIDE) {
    return {
      effect: null,
      interval: null,
      status: {
        kind: 'insufficient',
        reason: `needs ${MIN_USERS_TO_DECIDE} users per group (control ${control.n}, treatment ${treatment.n})`,
      },
    };
  }
  const effect = effectOf(control, treatment, rule.scale);
  if (effect === null) {
    return {
      effect,
      interval: null,
      status: { kind: 'insufficient', reason: 'control mean is 0: no relative change' },
    };
  }
  if (effect.se === 0) {
    // No variation in either group: the normal approximation has nothing to go on.
    return {
      effect,
      interval: null,
      status: { kind: 'insufficient', reason: 'no variation in either group yet' },
    };
  }
  const n = control.n + treatment.n;
  const interval = confidenceSequence(effect.estimate, effect.se, n, settings.alpha, settings.rho);
  // Harm is the effect turned so that positive is worse.
  const sign = rule.worse === 'higher' ? 1 : -1;
  const harm = sign * effect.estimate;
  const harmLow = rule.worse === 'higher' ? interval.lower : -interval.upper;
  const harmHigh = rule.worse === 'higher' ? interval.upper : -interval.lower;
  const f = (x: number) => formatEffect(rule, sign * x);
  if (harmLow > 0 && harmHigh > rule.trigger) {
    return {
      effect,
      interval,
      status: {
        kind: 'rollback',
        reason: `v2 is worse (${f(harmLow)} at least) and the trigger ${f(rule.trigger)} is not ruled out (up to ${f(harmHigh)})`,
      },
    };
  }
  if (harmHigh < rule.margin) {
    const improved = harmHigh < 0;
    return {
      effect,
      interval,
      status: {
        kind: 'within-margin',
        improved,
        reason: improved
          ? `v2 is better (at worst ${f(harmHigh)})`
          : `not worse than the margin ${f(rule.margin)} (at worst ${f(harmHigh)})`,
      },
    };
  }
  const distance = rule.margin - harm;
  const needed = usersNeeded(effect.se, n, settings.alpha, settings.rho, distance);
  const reason =
    needed === null
      ? `estimate ${f(harm)} is not inside the margin ${f(rule.margin)}: more data is not expected to show it`
      : `at worst ${f(harmHigh)}, margin ${f(rule.margin)}: about ${needed} users with this metric would show it`;
  return { effect, interval, status: { kind: 'pending', usersNeeded: needed, reason } };
}

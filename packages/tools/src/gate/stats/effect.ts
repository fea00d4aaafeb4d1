// The effect of v2 against v1 with its standard error: an absolute difference in means (Welch, unequal
// variances), or a relative change (v2 - v1) / v1 by the delta method, as GrowthBook does for relative
// effects (gbstats `frequentist/tests.py`, TTest.variance: var_b / (mu_a^2 n_b) + var_a mu_b^2 / (mu_a^4 n_a)).
import type { Summary } from './summary.js';

/** How a threshold is read: a difference in the metric's own unit, or a fraction of the v1 mean. */
export type EffectScale = 'absolute' | 'relative';

/** An effect estimate; `se` is the standard error of `estimate`. */
export interface Effect {
  scale: EffectScale;
  estimate: number;
  se: number;
}

/**
 * v2 - v1 (absolute) or (v2 - v1) / v1 (relative, delta method). Returns null when it cannot be
 * estimated: an empty arm, or a relative effect against a v1 mean of zero.
 */
export function effectOf(v1: Summary, v2: Summary, scale: EffectScale): Effect | null {
  if (v1.n === 0 || v2.n === 0) return null;
  if (scale === 'absolute') {
    return { scale, estimate: v2.mean - v1.mean, se: Math.sqrt(v2.variance / v2.n + v1.variance / v1.n) };
  }
  if (v1.mean === 0) return null;
  const m1 = v1.mean;
  const variance = v2.variance / (m1 * m1 * v2.n) + (v1.variance * v2.mean * v2.mean) / (m1 ** 4 * v1.n);
  return { scale, estimate: (v2.mean - m1) / m1, se: Math.sqrt(variance) };
}

// The no-flap rule: a series is over budget only when the excess is sustained, never for one outlier.
import { quantile } from '../quantile.js';
import type { SeriesBudget } from './budgets.js';

/** Why a series counts as over budget, with the figure that decided it. */
export type Sustained =
  | { over: false }
  | { over: true; rule: 'consecutive'; observed: number; count: number }
  | { over: true; rule: 'p75'; observed: number; count: number };

/**
 * Checks `samples` (oldest first) against `budget`: over when the last `consecutive` samples all exceed
 * the limit (observed = the smallest of them), or when the p75 of the last `window` samples does.
 */
export function sustainedOver(samples: readonly number[], budget: SeriesBudget): Sustained {
  const { limit, consecutive, window } = budget;
  if (samples.length >= consecutive) {
    const tail = samples.slice(-consecutive);
    if (tail.every((value) => value > limit)) {
      return { over: true, rule: 'consecutive', observed: Math.min(...tail), count: consecutive };
    }
  }
  if (samples.length >= window) {
    const p75 = quantile(samples.slice(-window), 0.75);
    if (p75 > limit) return { over: true, rule: 'p75', observed: p75, count: window };
  }
  return { over: false };
}

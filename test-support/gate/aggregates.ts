// Sufficient statistics built directly, for testing decisions at sample sizes no event list could hold
// (a trigger "just under" needs an interval narrower than the gap to it).
import type { StageAggregate } from '../../packages/tools/src/gate/aggregate.js';
import { addPair, emptyRatioMoments, type RatioMoments } from '../../packages/tools/src/gate/stats/ratio.js';
import type { Moments } from '../../packages/tools/src/gate/stats/summary.js';
import type { PageMetric } from '../../packages/tools/src/gate/thresholds.js';

/** n values with this mean and standard deviation, as moments. */
export function momentsOf(n: number, mean: number, sd: number): Moments {
  return { n, sum: n * mean, sumSquares: (n - 1) * sd * sd + n * mean * mean };
}

/** n users of a 0/1 metric with this rate. */
export function rateOf(n: number, rate: number): Moments {
  const x = Math.round(n * rate);
  return { n, sum: x, sumSquares: x };
}

/** Per-user (loads beyond, loads) for `users` users with `loads` loads each, `share` of loads beyond. */
export function loadsBeyond(users: number, loads: number, share: number): RatioMoments {
  const m = emptyRatioMoments();
  // Users alternate between more and fewer loads beyond, so the variance is realistic, not zero.
  const above = share * loads;
  const low = Math.floor(above);
  const frac = above - low;
  for (let i = 0; i < users; i++) addPair(m, (i % 1000) / 1000 < frac ? low + 1 : low, loads);
  return m;
}

/** What one metric looks like in each group. */
export interface GroupTruth {
  n: number;
  mean: number;
  /** Per-user standard deviation (ignored for rates). */
  sd?: number;
}

const RATES: readonly PageMetric[] = ['error-rate', 'conversion'];

/** Plan baselines per metric: (mean, sd) of per-user values. */
const BASE: Record<PageMetric, { mean: number; sd: number }> = {
  'error-rate': { mean: 0.001, sd: 0 },
  conversion: { mean: 0.032, sd: 0 },
  fcp: { mean: 1200, sd: 420 },
  memory: { mean: 60, sd: 12 },
  'theme-switch': { mean: 150, sd: 75 },
};

/**
 * A stage where nothing is wrong, with `n` users per group (every metric equal in both, every level
 * comfortably clear), then `change` applied: per metric, the groups' values to use instead.
 */
export function healthyAggregate(
  stage: string,
  n: number,
  change: Partial<Record<PageMetric, { control?: GroupTruth; treatment?: GroupTruth }>> = {},
  levels: Partial<StageAggregate['levels']> = {},
): StageAggregate {
  const metrics = {} as StageAggregate['metrics'];
  for (const m of Object.keys(BASE) as PageMetric[]) {
    const base = { n, mean: BASE[m].mean, sd: BASE[m].sd };
    const group = (g: GroupTruth) =>
      RATES.includes(m) ? rateOf(g.n, g.mean) : momentsOf(g.n, g.mean, g.sd ?? BASE[m].sd);
    metrics[m] = {
      cap: null,
      strata: [
        {
          stratum: 'AU',
          control: group(change[m]?.control ?? base),
          treatment: group(change[m]?.treatment ?? base),
        },
      ],
    };
  }
  const users = Math.min(n, 200_000);
  return {
    stage,
    metrics,
    families: [],
    levels: {
      pages: {
        fcp: {
          users,
          loads: 2 * users,
          beyond: [loadsBeyond(users, 2, 0.15), loadsBeyond(users, 2, 0.1)],
          p75: 900,
        },
        'theme-switch': {
          users,
          loads: users,
          beyond: [loadsBeyond(users, 1, 0.05), loadsBeyond(users, 1, 0.1)],
          p75: 40,
        },
      },
      errorRate: rateOf(n, 0.001),
      conversion: rateOf(n, 0.033),
      ...levels,
    },
    users: {
      treatment: n,
      control: n,
      ineligible: 0,
      assignmentChanged: 0,
      optedOut: { treatment: 0, control: 0 },
      fellBack: 0,
      refunds: 0,
    },
    regions: ['AU'],
    firstAt: 0,
    lastAt: 48 * 3_600_000,
    control: { kind: 'concurrent' },
    // Equal groups: a 50 % stage, the buckets meeting at 0.5.
    split: { treatment: n, control: n, treatmentMaxBucket: 0.4999, controlMinBucket: 0.5 },
  };
}

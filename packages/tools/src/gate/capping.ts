// Winsorizing the continuous metrics, as GrowthBook's percentile capping does (growthbook/growthbook,
// `cappingSettings: {type: "percentile", value}`; SQL in back-end/src/integrations: `__capValue` is the
// percentile of the per-user aggregated values over ALL users of the experiment, every variation pooled,
// and each user's value becomes LEAST(value, cap)). The same cap for both groups keeps the comparison fair;
// computing it from the pooled users keeps it from depending on which group an outlier is in. Only the
// upper side is capped: the contract already forbids negative values for these metrics (screen.ts).
// One valid 1,000,000 ms page load among 3,000 users hid a +15 % regression from the uncapped means (issue
// 14); capped at the 99th percentile it moves its group's mean by a few ms (bench: outlierDetectionRate).
import type { ContinuousMetric } from './per-user.js';
import { selectQuantile } from './stats/select-quantile.js';

/**
 * The percentile each continuous metric's per-user values are capped at. 0.99 caps the top 1 % of users:
 * enough to neutralise a stray value (a tab left open, a clock jump inside the page) while leaving a
 * real shift of the distribution, which moves the 99th percentile with it, measurable.
 */
export const CAP_PERCENTILES: Readonly<Record<ContinuousMetric, number>> = {
  fcp: 0.99,
  memory: 0.99,
  'theme-switch': 0.99,
};

/**
 * The cap for `metric` over the first `length` pooled per-user values: the product's one quantile
 * definition (R-7, which is SQL's PERCENTILE_CONT). Reorders `values` in place: pass a copy.
 */
export function capOf(metric: ContinuousMetric, values: Float64Array, length: number): number {
  return selectQuantile(values, length, CAP_PERCENTILES[metric]);
}

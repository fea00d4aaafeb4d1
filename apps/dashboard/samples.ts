// One poll's numbers for the live charts: sessions per arm, and each gate comparison's estimate,
// interval bounds and trigger. Pure, so the chart columns can be tested without a browser.
import type { DashboardSnapshot } from './api.js';

/** The values to append to the history for one snapshot, keyed by series name. */
export function sampleOf(
  snapshot: Pick<DashboardSnapshot, 'aggregates' | 'gate'>,
): Record<string, number | null> {
  const sample: Record<string, number | null> = {};
  for (const arm of snapshot.aggregates.arms) sample[`sessions:${arm.arm}`] = arm.sessions;
  for (const c of snapshot.gate.comparisons) {
    sample[`${c.id}:estimate`] = c.estimate;
    sample[`${c.id}:upper`] = c.upper;
    sample[`${c.id}:lower`] = c.lower;
    sample[`${c.id}:threshold`] = c.threshold;
  }
  return sample;
}

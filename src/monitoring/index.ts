// token-rollout/monitoring: monitoring() and the reporters loaded with the page and started with the rollout,
// for an app that wants web-vitals, the guard and the reporters before the `load` event (e.g. to count page
// views left before its chunk arrives). `monitoring` from `token-rollout` is the same plugin, started after
// `load` (lazy.ts).
// The parts: plugin.ts (the shell), run.ts (measuring), emitter.ts, guarding.ts, memory-sampling.ts.
import { createMonitoring } from './plugin.js';
import { startMonitoring } from './run.js';
import type { MonitoringOptions, MonitoringPlugin } from './types.js';

export {
  type BudgetOverrides,
  type Budgets,
  DEFAULT_BUDGETS,
  resolveBudgets,
} from '../guard/budgets.js';
export { type BudgetVerdict, evaluateBudgets, type GuardSamples } from '../guard/evaluate.js';
export { hashUserKey } from '../metrics/identity.js';
export {
  type BeaconReporter,
  type BeaconReporterOptions,
  type BeaconStats,
  beaconReporter,
} from '../report/beacon.js';
export { type LaunchDarklyTrack, launchDarklyReporter, metricKeyOf } from '../report/launchdarkly.js';
export type { Reporter } from '../report/reporter.js';
export type { ManifestOutcome, MonitorContext, MonitorState, MonitorTarget } from './target.js';
export type {
  BudgetName,
  MonitoringOptions,
  MonitoringPlugin,
  MonitoringStatus,
  MonitoringTimers,
  MonitoringWindow,
} from './types.js';

/**
 * Creates the monitoring plugin, started with the rollout (no separate chunk, no wait for `load`). Budget
 * overrides are checked at once: a wrong value throws a TypeError naming each bad path (e.g. `budgets.fcp.limit`).
 */
export function monitoring(options: MonitoringOptions = {}): MonitoringPlugin {
  return createMonitoring(options, () => startMonitoring);
}

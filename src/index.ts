// token-rollout: the browser SDK. Pure decision core (config, assign, guard rules) and browser effects
// (rollout: CSS, theme, storage; monitoring: web-vitals, reporters). Never imports Node code.
// LaunchDarkly's wrapper lives in `token-rollout/launchdarkly`, React in `token-rollout/react`.
// `monitoring`, `beaconReporter` and `launchDarklyReporter` here load their code in a separate chunk after
// the page's `load` event; `token-rollout/monitoring` has the same three started with the page, and the
// guard's and reporters' pure parts (evaluateBudgets, hashUserKey, metricKeyOf): they stay out of the
// code a page runs before first paint.
export type { ManifestFile, TokenManifest } from '../tokens/manifest.js';
export { bucketOf, inRollout } from './assign/bucket.js';
export { resolveAssignment } from './assign/resolve.js';
export type { Assignment, AssignmentContext, FamilyDecision, Reason, TokenVersion } from './assign/types.js';
export { parseRolloutConfig } from './config/parse.js';
export { activeStage } from './config/stage.js';
export { withSwitches } from './config/switches.js';
export type { ConfigIssue, ParseResult, RegionRule, RolloutConfig, Stage } from './config/types.js';
export { CRITICAL_FAMILIES, FAMILIES, type Family, FLAG_KEY, isFamily } from './families.js';
export type { FlagSnapshot, FlagSource } from './flags/source.js';
export { createStaticFlagSource, type StaticFlagSource } from './flags/static.js';
export type { BudgetOverrides, Budgets } from './guard/budgets.js';
export {
  type Arm,
  type AssignmentGroup,
  METRIC_NAMES,
  type MetricEvent,
  type MetricName,
} from './metrics/event.js';
export {
  type EventCheck,
  type EventProblem,
  type ValidateOptions,
  type ValidationMode,
  validateEvent,
} from './metrics/validate.js';
export { monitoring } from './monitoring/lazy.js';
export { beaconReporter, launchDarklyReporter } from './monitoring/lazy-reporters.js';
export type { ManifestOutcome, MonitorContext, MonitorState, MonitorTarget } from './monitoring/target.js';
export type {
  BudgetName,
  MonitoringOptions,
  MonitoringPlugin,
  MonitoringStatus,
} from './monitoring/types.js';
export type { PluginContext } from './plugin-context.js';
export type { BeaconReporter, BeaconReporterOptions, BeaconStats } from './report/beacon.js';
export type { LaunchDarklyTrack } from './report/launchdarkly.js';
export type { Reporter } from './report/reporter.js';
export {
  createTokenRollout,
  type RolloutPlugin,
  type TokenRollout,
  type TokenRolloutOptions,
} from './rollout.js';
export type { FamilyState, RolloutState } from './state.js';
export type { KeyValueStorage } from './storage/storage.js';
export { STORAGE_KEYS } from './storage/storage.js';

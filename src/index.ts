// token-rollout: the browser SDK. Pure decision core and browser effects; never imports Node code.

export type { ManifestFile, TokenManifest } from '../tokens/manifest.js';
export { bucketOf, inRollout } from './assign/bucket.js';
export { resolveAssignment } from './assign/resolve.js';
export type { Assignment, AssignmentContext, FamilyDecision, Reason, TokenVersion } from './assign/types.js';
// The decision core: config, stages, bucketing, assignment (pure functions of data).
export { parseRolloutConfig } from './config/parse.js';
export { activeStage } from './config/stage.js';
export { withSwitches } from './config/switches.js';
export type { ConfigIssue, ParseResult, RegionRule, RolloutConfig, Stage } from './config/types.js';
export { CRITICAL_FAMILIES, FAMILIES, type Family, FLAG_KEY, isFamily } from './families.js';
// Flag sources (LaunchDarkly's wrapper lives in `token-rollout/launchdarkly`).
export type { FlagSnapshot, FlagSource } from './flags/source.js';
export { createStaticFlagSource, type StaticFlagSource } from './flags/static.js';
export { type Arm, METRIC_NAMES, type MetricEvent, type MetricName } from './metrics/event.js';
export { validateEvent } from './metrics/validate.js';
// Monitoring: web-vitals, theme switch, errors, memory, local budgets, reporters.
export { type MonitoringOptions, monitoring } from './monitoring/index.js';
export { type BeaconReporterOptions, beaconReporter } from './report/beacon.js';
export { launchDarklyReporter } from './report/launchdarkly.js';
// The runtime: the one place that wires flags, assignment, storage, CSS, theme and plugins.
export {
  createTokenRollout,
  type RolloutPlugin,
  type TokenRollout,
  type TokenRolloutOptions,
} from './rollout.js';
export type { FamilyState, RolloutState } from './state.js';
export type { KeyValueStorage } from './storage/storage.js';
export { STORAGE_KEYS } from './storage/storage.js';

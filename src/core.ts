// token-rollout/core: the pure decision core, free of DOM and Node: config model, assignment, families,
// the event contract and its one validator (strict and lenient), and the shared helpers for untrusted JSON
// and quantiles. The Node tools (token-rollout-tools) read configs and events
// through this entry, so the browser and the server share one definition of each (ARCHITECTURE.md).
export type { ManifestFile, TokenManifest } from '../tokens/manifest.js';
export { bucketOf, inRollout } from './assign/bucket.js';
export { resolveAssignment } from './assign/resolve.js';
export type { Assignment, AssignmentContext, FamilyDecision, Reason, TokenVersion } from './assign/types.js';
export {
  type ConfigEdit,
  explicitStage,
  regionsAsWritten,
  stageNames,
  withKilled,
  withStage,
  withStageFields,
} from './config/edit.js';
export { parseRolloutConfig } from './config/parse.js';
export { activeStage } from './config/stage.js';
export { withSwitches } from './config/switches.js';
export type { ConfigIssue, ParseResult, RegionRule, RolloutConfig, Stage } from './config/types.js';
// The sheet plan and the boot cache, shared with a server that decides before first paint (token-rollout-tools' ssr).
export { bootCacheFor, type PlannedSheet, planStylesheets, type SheetPlan, sheetId } from './css/plan.js';
export { isWellFormedSri } from './css/sri.js';
export { CRITICAL_FAMILIES, FAMILIES, type Family, FLAG_KEY, isFamily } from './families.js';
export { describeValue, isRecord, kindOf, parseJson } from './json.js';
export { createEvent } from './metrics/create-event.js';
export {
  ARMS,
  type Arm,
  ASSIGNMENT_GROUPS,
  type AssignmentGroup,
  EVENT_FIELDS,
  MAX_DETAIL_LENGTH,
  MAX_ID_LENGTH,
  METRIC_NAMES,
  type MetricEvent,
  type MetricName,
  SIGNED_METRICS,
  USER_HASH_PATTERN,
} from './metrics/event.js';
export { hashUserKey } from './metrics/identity.js';
export {
  type EventCheck,
  type EventProblem,
  type ValidateOptions,
  type ValidationMode,
  validateEvent,
} from './metrics/validate.js';
export { quantile, sortedQuantile } from './quantile.js';
export type { BootCache, BootLink } from './storage/records.js';

// The decision's shape: per family a version and the reason that decided it.
import type { Family } from '../families.js';
import type { AssignmentGroup } from '../metrics/event.js';

/** A token version: the legacy monolith or the new split, referenced tokens. */
export type TokenVersion = 'v1' | 'v2';

/** Why a family got its version: a closed set the app, the debug panel and the metrics can read. */
export type Reason =
  | 'in-rollout' // v2: every condition met
  | 'flag-off' // the flag serves its off variation
  | 'invalid-config' // the config did not parse; everyone stays on v1
  | 'no-stage' // no stage is active yet
  | 'region-unknown' // the user has no region and the stage does not target "all"
  | 'region-excluded' // the user's region is not in the stage
  | 'family-not-in-stage' // the stage does not cover this family
  | 'killed' // the family's kill switch is on
  | 'outside-percentage' // the user's bucket is above the stage's percentage
  | 'opted-out' // the user chose the classic look
  | 'local-fallback' // a local budget was exceeded on this device
  | 'load-failed'; // the family's v2 file could not be loaded (set by the runtime, not by assign)

/** One family's decision. */
export interface FamilyDecision {
  version: TokenVersion;
  reason: Reason;
}

/** Who is being decided for. `fallbacks` are families held on v1 by a local budget. */
export interface AssignmentContext {
  key: string;
  region?: string;
  optedOut?: boolean;
  fallbacks?: readonly Family[];
}

/** The whole decision for one user at one time. */
export interface Assignment {
  /** The active stage's name, or null when none is active. */
  stage: string | null;
  /** The user's bucket in [0, 1): LaunchDarkly's rollout hash. */
  bucket: number;
  /** The config version the decision was made from (empty when there was none). */
  configVersion: string;
  /**
   * The user's group for the comparison (ARCHITECTURE.md "Assignment"): decided from the flag, stage,
   * region and bucket only, before opt-out, kill switches, local fallbacks or load failures.
   */
  group: AssignmentGroup;
  families: Record<Family, FamilyDecision>;
}

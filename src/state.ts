// The rollout's state snapshot: what the app, the React hooks and the monitoring plugins read.
// Snapshots are immutable; every change makes a new object, so `useSyncExternalStore` sees it.
import type { Reason, TokenVersion } from './assign/types.js';
import type { Family } from './families.js';
import type { Arm, AssignmentGroup } from './metrics/event.js';
import type { Theme, ThemePreference } from './theme/types.js';

/** One family's state: its decided version, why, and whether its stylesheet is in effect. */
export interface FamilyState {
  version: TokenVersion;
  reason: Reason;
  /** True once the sheet that styles this family at `version` has loaded (only for page families). */
  loaded: boolean;
  /** Why a v2 file could not be used (`reason: 'load-failed'`), e.g. `404 for v2/forms.1a2b.css`. */
  error?: string;
  /** For `reason: 'local-fallback'`: the budget that tripped (as given to `fallback()`). */
  detail?: string;
}

/** Everything the runtime knows, as one immutable snapshot. */
export interface RolloutState {
  /** True once the flag source answered (or timed out) and the first decision's CSS settled. */
  ready: boolean;
  stage: string | null;
  bucket: number;
  /**
   * The user's group for the comparison, from the same decision as the CSS but before any opt-out,
   * kill switch, local fallback or load failure: it never changes within a config version.
   */
  assignment: AssignmentGroup;
  configVersion: string;
  /** The user's region (ISO 3166-1 alpha-2) as given, if known. */
  region?: string;
  /** The user key as given; it never leaves the page (reporters send a salted hash). */
  userKey: string;
  /** The page's token version over its families: `mixed` when they differ. */
  arm: Arm;
  /** The families this page uses (from `families` and `use()`), in display order. */
  pageFamilies: readonly Family[];
  families: Readonly<Record<Family, FamilyState>>;
  theme: Theme;
  themePreference: ThemePreference;
  optedOut: boolean;
  /** The "new look" notice: shown once to a user who gets v2, until dismissed. */
  notice: 'hidden' | 'visible';
  /** Problems worth showing a developer (config errors, load failures, refused origins). */
  errors: readonly string[];
}

/** The page's arm (shared with monitoring, which derives it when a state lacks one). */
export { armOf as deriveArm } from './metrics/arm.js';

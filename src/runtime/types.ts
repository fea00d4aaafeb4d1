// The rollout runtime as data: its state, the inputs that change it and the effects it asks for. `step`
// (step.ts) maps (state, input) to (state, effects) without touching the page; the effect modules
// (css.ts, storage.ts, theme.ts, flags.ts) do the touching and report back as inputs (ARCHITECTURE.md
// "Runtime").
import type { TokenManifest } from '../../tokens/manifest.js';
import type { Assignment } from '../assign/types.js';
import type { ParseResult } from '../config/types.js';
import type { Family } from '../families.js';
import type { FlagSnapshot } from '../flags/source.js';
import type { FallbackRecord } from '../storage/records.js';
import type { STORAGE_KEYS } from '../storage/storage.js';
import type { Theme, ThemePreference } from '../theme/types.js';

/** A family's version per family, as the CSS plan and the boot cache read it. */
export type Versions = Readonly<Record<Family, 'v1' | 'v2'>>;

/** The flag value parsed once, with its switches applied: reused while the source hands over the same value. */
export interface ParsedFlags {
  /** The raw flag value this was parsed from (compared by identity). */
  value: unknown;
  switches: Readonly<Partial<Record<Family, boolean>>>;
  /** The parse, kill switches applied (the same config object while value and switches stay). */
  result: ParseResult;
  /** The parse errors as the snapshot shows them. */
  errors: readonly string[];
}

/** The decision the CSS follows: the assignment and the config errors behind it. */
export interface Decision {
  assignment: Assignment;
  configErrors: readonly string[];
}

/** The token manifest: still loading, loaded, or unusable (its error is in `errors`). */
export type ManifestState =
  | { status: 'pending' }
  | { status: 'ready'; manifest: TokenManifest; base: string }
  | { status: 'failed' };

/** Everything the runtime knows. Immutable: every step returns a new object. */
export interface RuntimeState {
  user: { key: string; region?: string };
  /**
   * Families the app declared (`families` option), or null when it declared none: the page then has the
   * families components register (`use()`), and every family until one does. `used` counts registrations.
   */
  baseFamilies: readonly Family[] | null;
  used: Readonly<Partial<Record<Family, number>>>;
  /** True once a component registered a family (`use()`), even if released since. */
  registered: boolean;
  optedOut: boolean;
  noticeDismissed: boolean;
  themePreference: ThemePreference;
  systemDark: boolean;
  /** Local fallbacks as stored (any config version); the decision keeps the current version's. */
  fallbacks: FallbackRecord | null;
  flags: FlagSnapshot;
  /** True once the flag source answered (or timed out). */
  flagsReady: boolean;
  parsed: ParsedFlags;
  /** A server-rendered decision, used until the flag source is ready. */
  bootstrap: Assignment | undefined;
  decision: Decision;
  manifest: ManifestState;
  /** Families whose v2 CSS could not be used this session, with why. */
  loadFailures: Readonly<Partial<Record<Family, string>>>;
  /** Problems worth showing a developer, each once, in the order they happened. */
  errors: readonly string[];
  /** Ids (`v1`, `v2/core`, `v2/<family>`) of the token sheets in effect. */
  loaded: readonly string[];
  /** True while the v1 monolith is (being) applied: the legacy theme class must be set. */
  legacyLoaded: boolean;
  /** True once the first decision's CSS settled. */
  ready: boolean;
  destroyed: boolean;
}

/** A stored record another tab changed, read again from storage. */
export type StoredChange =
  | { key: 'theme'; value: ThemePreference | null }
  | { key: 'optOut'; value: boolean }
  | { key: 'notice'; value: boolean }
  | { key: 'fallback'; value: FallbackRecord | null };

/** Something that happened: from the app, the flag source, storage, the CSS loader or the guard. */
export type Input =
  | { type: 'start' }
  | { type: 'started' }
  | { type: 'flags'; snapshot: FlagSnapshot }
  | { type: 'flags-ready'; snapshot: FlagSnapshot }
  | { type: 'stored'; change: StoredChange }
  | { type: 'manifest'; manifest: TokenManifest | null; base: string; error?: string; linksPresent: boolean }
  | { type: 'use'; family: Family; linksPresent: boolean }
  | { type: 'release'; family: Family }
  | { type: 'theme'; preference: ThemePreference }
  | { type: 'system-theme'; dark: boolean }
  | { type: 'opt-out'; optedOut: boolean }
  | { type: 'dismiss-notice' }
  | { type: 'fallback'; families: readonly Family[]; reason: string; stored: FallbackRecord | null }
  | { type: 'no-manifest'; why: string }
  | { type: 'load-failed'; failures: ReadonlyArray<readonly [Family, string]>; report: boolean }
  | { type: 'css-swapping'; needsV1: boolean; bootCache: boolean; versions: Versions }
  | { type: 'css-applied'; loaded: readonly string[]; legacy: boolean; versions: Versions }
  | { type: 'css-adopted'; loaded: readonly string[] }
  | { type: 'css-idle' }
  | { type: 'error'; message: string }
  | { type: 'settled' }
  | { type: 'destroy' };

/** A storage key the runtime writes. */
export type StorageKey = (typeof STORAGE_KEYS)[keyof typeof STORAGE_KEYS];

/** What the page must do after a step. */
export type Effect =
  /** Send the new snapshot to subscribers (skipped when it equals the last one). */
  | { type: 'publish' }
  /** Bring the token `<link>`s in line with the decision (css.ts). */
  | { type: 'reconcile' }
  /** Write (or, with null, remove) a stored record. */
  | { type: 'store'; key: StorageKey; value: string | null }
  /** Set the theme on `<html>`: the attribute, and the legacy class while v1 is applied. */
  | { type: 'theme'; theme: Theme; legacy: boolean }
  /** Tell the flag service the user's opt-out (a context attribute). */
  | { type: 'identify'; optedOut: boolean };

/** What `step` returns. */
export interface StepResult {
  state: RuntimeState;
  effects: readonly Effect[];
}

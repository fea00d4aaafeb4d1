// What monitoring needs from a rollout: a narrow structural view of `createTokenRollout`'s result
// (src/rollout.ts, src/state.ts RolloutState), so the plugin can be tested with a plain object.
import type { TokenManifest } from '../../tokens/manifest.js';
import type { Reason, TokenVersion } from '../assign/types.js';
import type { Family } from '../families.js';
import type { Arm, AssignmentGroup } from '../metrics/event.js';
import type { KeyValueStorage } from '../storage/storage.js';

/** One family as monitoring reads it. */
export interface MonitorFamily {
  version: TokenVersion;
  reason: Reason;
  /** True once the family's sheet is in effect; absent means "applied with the decision". */
  loaded?: boolean;
}

/** The part of the rollout's state that metrics and the guard read. */
export interface MonitorState {
  /** False until the first decision settled; exposures wait for it. Absent means ready. */
  ready?: boolean;
  stage: string | null;
  /** The config version the decision came from (empty when there is none yet). */
  configVersion: string;
  /** The user's assignment group; every event carries it (see `AssignmentGroup`). */
  assignment: AssignmentGroup;
  /** The user's bucket that decided `assignment`. */
  bucket: number;
  /** The user key; monitoring sends only its salted hash. */
  userKey?: string;
  /** The user's region (ISO 3166-1 alpha-2), if known. */
  region?: string | null;
  /** The page's arm; derived from the page's families when absent. */
  arm?: Arm;
  /** The families this page uses; every family when absent. */
  pageFamilies?: readonly Family[];
  optedOut: boolean;
  families: Readonly<Record<Family, MonitorFamily>>;
}

/** What a local fallback covers: some families, or every family of the page. */
export type FallbackScope = readonly Family[] | 'all';

/** The rollout, as monitoring sees it. */
export interface MonitorTarget {
  getState(): MonitorState;
  /** Calls `listener` after every state change; returns the unsubscribe function. */
  subscribe(listener: (state: MonitorState) => void): () => void;
  /** Calls `listener` with the measured duration of each theme switch (call to painted frame), ms. */
  onThemeSwitch(listener: (ms: number) => void): () => void;
  /** Calls `listener` for each `trackConversion(name, value?)`. */
  onConversion(listener: (name: string, value?: number) => void): () => void;
  /** Returns families (or all) to v1 locally, persisted until the config version changes. */
  fallback(families: FallbackScope, reason: string): unknown;
}

/** The rollout's token manifest once it is known, or why there is none. */
export type ManifestOutcome = { manifest: TokenManifest } | { manifest: null; error: string };

/**
 * What the rollout hands its plugins besides itself (src/plugin-context.ts), so monitoring measures the
 * same page, keeps its records in the same storage and checks the CSS budget against the same manifest.
 */
export interface MonitorContext {
  /** The rollout's window (a real `Window`: monitoring reads it as a MonitoringWindow). */
  window?: EventTarget;
  storage?: KeyValueStorage;
  /** Settles once the rollout knows its manifest (loaded or failed); never rejects. */
  manifest?: Promise<ManifestOutcome>;
}

// A flag source gives the current rollout config and per-family switches, and says when they change.
import type { Family } from '../families.js';

/** What a flag source knows right now. `config` is the raw JSON flag value (parsed later). */
export interface FlagSnapshot {
  /** The `design-tokens-v2` value; null or `{enabled:false}` is the off variation. */
  config: unknown;
  /** Per-family boolean flags `design-tokens-v2.<family>`; false switches that family off. */
  switches: Partial<Record<Family, boolean>>;
  /** Where the snapshot came from: live, a cache, a bootstrap, or nothing yet (defaults). */
  origin: 'live' | 'cache' | 'bootstrap' | 'default';
}

/** The interface every flag source implements (static config, LaunchDarkly v3 or v4 client). */
export interface FlagSource {
  /** Resolves once the source is ready or its start-up timeout passed; never rejects. */
  ready(): Promise<FlagSnapshot>;
  /** The current snapshot, synchronously. */
  current(): FlagSnapshot;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (snapshot: FlagSnapshot) => void): () => void;
  /** Updates context attributes the flag service sees (e.g. `optedOut`), if it has any. */
  identify?(attributes: { optedOut?: boolean; region?: string }): Promise<void>;
  /** Reports a metric to the flag service (LaunchDarkly `track`), if it has any. */
  track?(metricKey: string, value?: number, data?: unknown): void;
  /** Stops streams and listeners. */
  close(): void;
}

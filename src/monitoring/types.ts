// The monitoring plugin's public types: its options, its status and the window and timers it uses.
import type { TokenManifest } from '../../tokens/manifest.js';
import type { ManifestFetch } from '../css/manifest.js';
import type { BudgetOverrides, Budgets } from '../guard/budgets.js';
import type { Trip } from '../guard/guard.js';
import type { MetricEvent } from '../metrics/event.js';
import type { SessionCrypto } from '../metrics/identity.js';
import type { MemoryEnv, MemorySource } from '../metrics/memory.js';
import type { WebVitalsApi } from '../metrics/web-vitals.js';
import type { Reporter } from '../report/reporter.js';
import type { KeyValueStorage } from '../storage/storage.js';
import type { MonitorContext, MonitorTarget } from './target.js';

/** The window as monitoring uses it: events, crypto for ids, memory APIs, storage. */
export interface MonitoringWindow extends EventTarget, MemoryEnv {
  crypto?: SessionCrypto;
  localStorage?: KeyValueStorage;
  /** Used only to fetch the manifest when `manifest` is a URL. */
  fetch?: ManifestFetch;
  /**
   * Whether the page has loaded, and is visible: the default import starts monitoring after `load`, or
   * sooner when the page is hidden.
   */
  document?: { readyState: string; visibilityState?: string };
  /** To tell whether the browser reports paint timing (the FCP budget needs it). */
  PerformanceObserver?: { readonly supportedEntryTypes?: readonly string[] };
}

/** A local budget, by its name in the `budgets` option. */
export type BudgetName = Exclude<keyof Budgets, 'windowMs'>;

/** Timers, injectable so tests can run the clock by hand. */
export interface MonitoringTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Options of `monitoring()`. Everything is optional; the defaults measure the page it runs in. */
export interface MonitoringOptions {
  /** Where events go (launchDarklyReporter, beaconReporter, your own). Closed by the plugin's cleanup. */
  reporters?: readonly Reporter[];
  /** The user key (default: the rollout's); only its salted hash is sent. */
  userKey?: string;
  /** Salt of the user hash; set your own so hashes cannot be joined with other data sets. */
  salt?: string;
  /** Budget overrides over the plan's defaults (ARCHITECTURE.md "Budgets"); `false` turns the local guard off (measure only). */
  budgets?: BudgetOverrides | false;
  /**
   * The token manifest or its URL, for the CSS size budget. Default: the manifest of the rollout the plugin
   * is plugged into; without either, that budget is not checked (and `status().unchecked` says so).
   */
  manifest?: TokenManifest | string;
  /** Memory sampling: first sample after `delayMs`, then every `intervalMs`; `false` turns it off. */
  memory?: { delayMs?: number; intervalMs?: number } | false;
  /** Most `js-error` events per page view (errors past it still count for the guard). Default 20. */
  maxErrorEvents?: number;
  window?: MonitoringWindow;
  storage?: KeyValueStorage;
  /** The web-vitals functions; `false` turns web-vitals off. Defaults to the `web-vitals` package. */
  vitals?: WebVitalsApi | false;
  now?: () => number;
  timers?: MonitoringTimers;
  /** Called with every event emitted (debugging). */
  onEvent?: (event: MetricEvent) => void;
}

/** What monitoring knows about itself, for a debug panel. */
export interface MonitoringStatus {
  /** Where memory figures come from; `unavailable` means memory is not reported on this browser. */
  memorySource: MemorySource;
  session: string;
  /** Uncaught errors in this page view. */
  errors: number;
  /** Events emitted in this page view. */
  events: number;
  /** The budget that tripped on this page, if one did. */
  trip?: Trip;
  /** What kept a part of monitoring from working (e.g. the manifest could not be loaded). */
  problems: string[];
  /**
   * False until monitoring runs: at once with `token-rollout/monitoring`, after the page's `load` event
   * (when its chunk has loaded) with `monitoring` from `token-rollout`.
   */
  started: boolean;
  /**
   * The budgets this page does not check, each with why (e.g. `cssBytes: 'no token manifest: …'`). Each is
   * also said once in the console, unless the app turned it off itself (`budgets`, `vitals`, `memory: false`).
   */
  unchecked: Partial<Record<BudgetName, string>>;
}

/** The plugin for `createTokenRollout({ plugins })`, with its status for debugging. */
export interface MonitoringPlugin {
  (rollout: MonitorTarget, context?: MonitorContext): () => void;
  status(): MonitoringStatus;
  /** Settles once monitoring runs, or cannot (no window, destroyed first, its chunk failed to load). Never rejects. */
  readonly ready: Promise<MonitoringStatus>;
}

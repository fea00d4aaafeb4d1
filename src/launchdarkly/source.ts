// A FlagSource over the app's LaunchDarkly client (v3 or v4): a start-up timeout after which the cached
// or the default (all v1) flags hold, live updates on every flag change, and the cache for the next visit.
import { FLAG_KEY } from '../families.js';
import { createListeners } from '../flags/listeners.js';
import {
  defaultSnapshot,
  readCachedSnapshot,
  sameFlags,
  switchesFrom,
  writeCachedSnapshot,
} from '../flags/snapshot.js';
import type { FlagSnapshot, FlagSource } from '../flags/source.js';
import { isRecord as isJsonRecord } from '../json.js';
import type { KeyValueStorage } from '../storage/storage.js';
import {
  checkClient,
  type LDClientLike,
  type LDClientV3,
  type LDClientV4,
  type LDContextLike,
  sdkMajor,
} from './client.js';

/** Options of `createLaunchDarklyFlagSource`; only `client` is required. */
export interface LaunchDarklyFlagSourceOptions {
  /** The app's client from `launchdarkly-js-client-sdk` 3 (`initialize`) or `@launchdarkly/js-client-sdk` 4 (`createClient`). */
  client: LDClientLike;
  /** How long `ready()` waits for LaunchDarkly before settling on the cached or default flags. */
  timeoutMs?: number;
  /** Where the last live flags are cached for the next start (localStorage in an app). */
  storage?: KeyValueStorage | null;
  flagKey?: string;
  /** Timer and clock, replaceable in tests. */
  setTimer?: (callback: () => void, ms: number) => () => void;
  now?: () => number;
}

/** The source, plus which SDK major it detected (for diagnostics and the debug panel). */
export interface LaunchDarklyFlagSource extends FlagSource {
  readonly sdkMajor: 3 | 4;
}

const defaultTimer = (callback: () => void, ms: number) => {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
};

const isRecord = isJsonRecord as (value: unknown) => value is LDContextLike;

/** The context with the rollout's attributes set (on the `user` kind of a multi-kind context). */
export function withAttributes(
  context: unknown,
  attributes: { optedOut?: boolean; region?: string },
): LDContextLike | null {
  if (!isRecord(context)) return null;
  const set = (target: LDContextLike): LDContextLike => {
    const next: LDContextLike = { ...target };
    if (attributes.optedOut !== undefined) next.optedOut = attributes.optedOut;
    if (attributes.region !== undefined) next.region = attributes.region;
    return next;
  };
  if (context.kind !== 'multi') return set(context);
  const kind = isRecord(context.user) ? 'user' : Object.keys(context).find((k) => isRecord(context[k]));
  if (!kind) return null;
  return { ...context, [kind]: set(context[kind] as LDContextLike) };
}

/** The start-up timeout, checked: a number of milliseconds >= 0 (default 1500). */
function timeoutOf(options: LaunchDarklyFlagSourceOptions): number {
  const timeoutMs = options.timeoutMs ?? 1500;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(
      `createLaunchDarklyFlagSource({timeoutMs}): expected a number of milliseconds ≥ 0, got ${String(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

/**
 * Wraps the app's LaunchDarkly client as a flag source. Never throws after creation and `ready()` never
 * rejects: when LaunchDarkly does not answer within `timeoutMs`, the cached flags (or none: all v1) hold
 * and flags arriving later still reach subscribers. A bad `client` or `timeoutMs` throws a TypeError.
 */
export function createLaunchDarklyFlagSource(options: LaunchDarklyFlagSourceOptions): LaunchDarklyFlagSource {
  const { client, storage } = options;
  checkClient(client);
  const timeoutMs = timeoutOf(options);
  const major = sdkMajor(client);
  const flagKey = options.flagKey ?? FLAG_KEY;
  const now = options.now ?? Date.now;
  const listeners = createListeners<FlagSnapshot>();
  /**
   * 'starting' until the SDK reports; 'live' once it has flags from the network; 'waiting' when it failed
   * or timed out (a stream may still deliver them later).
   */
  let phase: 'starting' | 'live' | 'waiting' = 'starting';
  let closed = false;
  let snapshot = defaultSnapshot();
  let settle: (snapshot: FlagSnapshot) => void = () => {};
  const readyPromise = new Promise<FlagSnapshot>((resolve) => {
    settle = resolve;
  });

  /** The client's flags, when it has ours (from the network, or from the SDK's own cache). */
  const fromClient = (origin: FlagSnapshot['origin']): FlagSnapshot | null => {
    let all: Record<string, unknown>;
    let config: unknown;
    try {
      all = client.allFlags() ?? {};
      if (!(flagKey in all) || all[flagKey] === undefined) return null;
      // variation() (not only allFlags) so LaunchDarkly records the evaluation for its insights.
      config = client.variation(flagKey, null);
    } catch {
      // A client that throws (closed, misconfigured) is treated like one without flags.
      return null;
    }
    return {
      config: config === undefined ? null : config,
      switches: switchesFrom((k) => all[k], flagKey),
      origin,
    };
  };

  /** Takes `next` as the current snapshot; caches live flags; tells subscribers when it changed. */
  const publish = (next: FlagSnapshot): void => {
    const changed = !sameFlags(snapshot, next) || snapshot.origin !== next.origin;
    snapshot = next;
    if (next.origin === 'live') writeCachedSnapshot(storage, next, now(), flagKey);
    if (changed && !closed) listeners.emit(next);
  };

  const goLive = (): void => {
    if (closed) return;
    phase = 'live';
    // Live but without our flag (not defined, or not client-side available): the flag is off.
    publish(fromClient('live') ?? { config: null, switches: {}, origin: 'live' });
    settle(snapshot);
  };

  const timedOut = (): void => {
    if (closed || phase === 'live') return;
    // From now on a change can only come from the network (the SDK's cache loads at once).
    phase = 'waiting';
    publish(fromClient('cache') ?? readCachedSnapshot(storage, flagKey) ?? defaultSnapshot());
    settle(snapshot);
  };

  const startFailed = (): void => {
    if (closed || phase === 'live') return;
    phase = 'waiting';
    // v3 neither retries a failed start nor streams until it initialised: open its stream so flags that
    // arrive later (server back up) still reach the page. v4 keeps retrying on its own.
    if (major === 3) (client as LDClientV3).setStreaming?.(true);
    timedOut();
  };

  const onChange = () => {
    if (closed) return;
    // A change before start-up finished can be the SDK's own cache (v4 loads it first): not yet live.
    if (phase !== 'starting') return goLive();
    const cached = fromClient('cache');
    if (cached) publish(cached);
  };
  client.on('change', onChange);
  const cancelTimer = (options.setTimer ?? defaultTimer)(timedOut, timeoutMs);
  // Starts the client: v4's `start()`, or v3's ready promises (which start on `initialize`).
  if (major === 4) {
    (client as LDClientV4)
      .start()
      .then((result) => (result?.status === 'complete' ? goLive() : startFailed()), startFailed);
  } else {
    const v3 = client as LDClientV3;
    // waitUntilReady never rejects; waitForInitialization then settles at once with success or failure.
    v3.waitUntilReady()
      .then(() => v3.waitForInitialization(5))
      .then(goLive, startFailed);
  }
  return {
    sdkMajor: major,
    ready: () => readyPromise,
    current: () => snapshot,
    subscribe: (listener) => listeners.add(listener),
    async identify(attributes) {
      const next = withAttributes(client.getContext(), attributes);
      if (!next) return;
      try {
        await client.identify(next as never);
      } catch {
        // v3 rejects when the flags for the new context cannot be fetched; the old flags still hold.
      }
      if (!closed && phase === 'live') goLive();
    },
    track(metricKey, value, data) {
      try {
        client.track(metricKey, data, value);
      } catch {
        // Reporting must never break the page.
      }
    },
    close() {
      if (closed) return;
      closed = true;
      cancelTimer();
      client.off('change', onChange);
      listeners.clear();
      settle(snapshot);
    },
  };
}

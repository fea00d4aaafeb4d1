// Sends events to a collector as batched JSON arrays: by fetch on a timer (with retry and backoff while
// the collector is down) and by sendBeacon when the page is hidden or unloaded.
import type { MetricEvent } from '../metrics/event.js';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import type { Reporter } from './reporter.js';

/** The response fields the reporter reads. */
export interface BeaconResponse {
  ok: boolean;
  status: number;
}

/** The `fetch` the reporter calls. */
export type BeaconFetch = (url: string, init: RequestInit) => Promise<BeaconResponse>;

/** The page events the reporter listens to: `pagehide` on the window, `visibilitychange` on the document. */
export interface BeaconWindow extends EventTarget {
  document?: EventTarget & { visibilityState: string };
}

/** Timers, injectable so tests can run the clock by hand. */
export interface BeaconTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BeaconReporterOptions {
  /** The collector's endpoint, e.g. `https://metrics.example.com/collect`. */
  url: string;
  /** `navigator.sendBeacon` (bound); absent means fetch with keepalive is used on hide too. */
  sendBeacon?: (url: string, data: string) => boolean;
  fetch?: BeaconFetch;
  /** Where `pagehide` and `visibilitychange` are heard; without it, only timed and manual flushes happen. */
  window?: BeaconWindow;
  /** Events kept while they cannot be sent; beyond it the oldest are dropped (and counted). */
  maxQueue?: number;
  /** Events per request (sendBeacon payloads must stay under ~64 KB). */
  maxBatch?: number;
  /** How long events wait before a timed flush, ms. */
  flushIntervalMs?: number;
  backoff?: BackoffOptions;
  timers?: BeaconTimers;
  random?: () => number;
}

/** Counters for debugging and tests. */
export interface BeaconStats {
  queued: number;
  sent: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Refused by the collector as invalid (4xx): retrying would not help. */
  rejected: number;
  /** Discarded at opt-out. */
  discarded: number;
  /** Failed attempts so far in the current outage (0 when the collector answers). */
  failures: number;
}

/** The beacon reporter: a Reporter with counters. */
export interface BeaconReporter extends Reporter {
  flush(): void;
  stats(): BeaconStats;
}

// sendBeacon sends a string as text/plain, a CORS-safelisted type: no preflight, so it works cross-origin.
// fetch uses the same type so the collector sees one format.
const CONTENT_TYPE = 'text/plain;charset=UTF-8';

/** Creates a beacon reporter. Nothing is sent until a flush; flushes are timed, hidden-page or manual. */
export function beaconReporter(options: BeaconReporterOptions): BeaconReporter {
  const {
    url,
    maxQueue = 500,
    maxBatch = 50,
    flushIntervalMs = 5000,
    backoff = DEFAULT_BACKOFF,
    random = Math.random,
  } = options;
  const doFetch = options.fetch ?? defaultFetch();
  const sendBeacon = options.sendBeacon ?? defaultSendBeacon();
  const win = options.window ?? defaultWindow();
  const timers: BeaconTimers = options.timers ?? {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  // After an opt-out only the opt-out event itself (and a later opt-in) may leave the page.
  let optedOut = false;
  const stats: BeaconStats = { queued: 0, sent: 0, dropped: 0, rejected: 0, discarded: 0, failures: 0 };
  let queue: MetricEvent[] = [];
  let timer: unknown;
  let inFlight = false;
  let closed = false;

  const trim = () => {
    const excess = queue.length - maxQueue;
    if (excess > 0) {
      queue.splice(0, excess);
      stats.dropped += excess;
    }
  };
  const schedule = (ms: number) => {
    if (timer !== undefined || closed) return;
    timer = timers.setTimeout(() => {
      timer = undefined;
      sendByFetch();
    }, ms);
  };
  const cancelTimer = () => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  };

  const requeue = (batch: MetricEvent[]) => {
    // Events of a failed request go back in front, unless the user opted out meanwhile.
    queue = [...batch.filter((event) => event.name === 'opt-out' || !optedOut), ...queue];
    trim();
  };

  function sendByFetch(): void {
    if (inFlight || queue.length === 0 || !doFetch) return;
    const batch = queue.splice(0, maxBatch);
    inFlight = true;
    doFetch(url, {
      method: 'POST',
      body: JSON.stringify(batch),
      keepalive: true,
      headers: { 'content-type': CONTENT_TYPE },
    })
      .then((response) => {
        if (response.ok) {
          stats.sent += batch.length;
          stats.failures = 0;
        } else if (
          response.status >= 400 &&
          response.status < 500 &&
          response.status !== 408 &&
          response.status !== 429
        ) {
          stats.rejected += batch.length;
          stats.failures = 0;
        } else throw new Error(`collector answered ${response.status}`);
      })
      .then(
        () => {
          inFlight = false;
          if (queue.length > 0) schedule(queue.length >= maxBatch ? 0 : flushIntervalMs);
        },
        () => {
          inFlight = false;
          stats.failures++;
          requeue(batch);
          schedule(backoffDelay(stats.failures, backoff, random));
        },
      );
  }

  function sendByBeacon(): void {
    cancelTimer();
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      const body = JSON.stringify(batch);
      let queuedByBrowser = false;
      try {
        queuedByBrowser = sendBeacon?.(url, body) ?? false;
      } catch {
        queuedByBrowser = false;
      }
      if (queuedByBrowser) {
        stats.sent += batch.length;
        continue;
      }
      // sendBeacon refused (quota, size) or missing: fetch with keepalive also outlives the page.
      if (!doFetch) {
        requeue(batch);
        return;
      }
      doFetch(url, { method: 'POST', body, keepalive: true, headers: { 'content-type': CONTENT_TYPE } }).then(
        (response) => {
          if (response.ok) stats.sent += batch.length;
          else requeue(batch);
        },
        () => requeue(batch),
      );
    }
  }

  const onPageHide = () => sendByBeacon();
  const onVisibility = () => {
    if (win?.document?.visibilityState === 'hidden') sendByBeacon();
  };
  win?.addEventListener('pagehide', onPageHide);
  win?.document?.addEventListener('visibilitychange', onVisibility);

  return {
    report(event) {
      if (closed) return;
      if (event.name === 'opt-out') {
        optedOut = event.value === 1;
        if (optedOut) {
          stats.discarded += queue.length;
          queue = [event];
          cancelTimer();
          sendByFetch();
          return;
        }
      } else if (optedOut) return;
      queue.push(event);
      trim();
      // During an outage the retry keeps its backoff (schedule() keeps a pending timer; a hidden-page
      // flush may have cleared it). Otherwise a full batch goes at once, a partial one after the interval.
      if (stats.failures > 0) schedule(backoffDelay(stats.failures, backoff, random));
      else if (queue.length >= maxBatch) {
        cancelTimer();
        schedule(0);
      } else schedule(flushIntervalMs);
    },
    flush: sendByBeacon,
    stats: () => ({ ...stats, queued: queue.length }),
    close() {
      if (closed) return;
      sendByBeacon();
      closed = true;
      cancelTimer();
      win?.removeEventListener('pagehide', onPageHide);
      win?.document?.removeEventListener('visibilitychange', onVisibility);
    },
  };
}

function defaultSendBeacon(): ((url: string, data: string) => boolean) | undefined {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  return typeof nav?.sendBeacon === 'function' ? (url, data) => nav.sendBeacon(url, data) : undefined;
}

function defaultWindow(): BeaconWindow | undefined {
  return (globalThis as { window?: BeaconWindow }).window;
}

function defaultFetch(): BeaconFetch | undefined {
  return typeof globalThis.fetch === 'function' ? (input, init) => globalThis.fetch(input, init) : undefined;
}

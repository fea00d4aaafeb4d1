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

/** Options of `beaconReporter`; only `url` is required. */
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

/** The reporter's working state: options resolved, the queue, counters and the one pending timer. */
interface Core {
  url: string;
  maxQueue: number;
  maxBatch: number;
  flushIntervalMs: number;
  backoff: BackoffOptions;
  random: () => number;
  doFetch: BeaconFetch | undefined;
  sendBeacon: ((url: string, data: string) => boolean) | undefined;
  timers: BeaconTimers;
  stats: BeaconStats;
  queue: MetricEvent[];
  timer: unknown;
  inFlight: boolean;
  closed: boolean;
  /** After an opt-out only the opt-out event itself (and a later opt-in) may leave the page. */
  optedOut: boolean;
  /** True while the page is hidden. */
  hidden(): boolean;
}

/** Drops the oldest events beyond `maxQueue`, counting them. */
function trim(core: Core): void {
  const excess = core.queue.length - core.maxQueue;
  if (excess > 0) {
    core.queue.splice(0, excess);
    core.stats.dropped += excess;
  }
}

/** A timed fetch flush in `ms`, unless one is already pending. */
function schedule(core: Core, ms: number): void {
  if (core.timer !== undefined || core.closed) return;
  core.timer = core.timers.setTimeout(() => {
    core.timer = undefined;
    sendByFetch(core);
  }, ms);
}

function cancelTimer(core: Core): void {
  if (core.timer !== undefined) core.timers.clearTimeout(core.timer);
  core.timer = undefined;
}

/** Events of a failed request go back in front, unless the user opted out meanwhile. */
function requeue(core: Core, batch: readonly MetricEvent[]): void {
  core.queue = [...batch.filter((event) => event.name === 'opt-out' || !core.optedOut), ...core.queue];
  trim(core);
}

/** True for an answer that retrying cannot change (a 4xx other than timeout and rate limit). */
const refused = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/** Sends one batch by fetch; on failure it is requeued and retried with backoff. */
function sendByFetch(core: Core): void {
  const { doFetch, stats } = core;
  if (core.inFlight || core.queue.length === 0 || !doFetch) return;
  const batch = core.queue.splice(0, core.maxBatch);
  core.inFlight = true;
  const init = {
    method: 'POST',
    body: JSON.stringify(batch),
    keepalive: true,
    headers: { 'content-type': CONTENT_TYPE },
  };
  doFetch(core.url, init)
    .then((response) => {
      if (response.ok) stats.sent += batch.length;
      else if (refused(response.status)) stats.rejected += batch.length;
      else throw new Error(`collector answered ${response.status}`);
      stats.failures = 0;
    })
    .then(
      () => {
        core.inFlight = false;
        if (core.queue.length > 0)
          schedule(core, core.queue.length >= core.maxBatch ? 0 : core.flushIntervalMs);
      },
      () => {
        core.inFlight = false;
        stats.failures++;
        requeue(core, batch);
        schedule(core, backoffDelay(stats.failures, core.backoff, core.random));
      },
    );
}

/** Sends everything queued now, by sendBeacon (which outlives the page), else fetch with keepalive. */
function sendByBeacon(core: Core): void {
  cancelTimer(core);
  while (core.queue.length > 0) {
    const batch = core.queue.splice(0, core.maxBatch);
    const body = JSON.stringify(batch);
    let queuedByBrowser = false;
    try {
      queuedByBrowser = core.sendBeacon?.(core.url, body) ?? false;
    } catch {
      queuedByBrowser = false;
    }
    if (queuedByBrowser) {
      core.stats.sent += batch.length;
      continue;
    }
    // sendBeacon refused (quota, size) or missing: fetch with keepalive also outlives the page.
    if (!core.doFetch) {
      requeue(core, batch);
      return;
    }
    const init = { method: 'POST', body, keepalive: true, headers: { 'content-type': CONTENT_TYPE } };
    core.doFetch(core.url, init).then(
      (response) => {
        if (response.ok) core.stats.sent += batch.length;
        else requeue(core, batch);
      },
      () => requeue(core, batch),
    );
  }
}

/** Queues one event and schedules its flush (or, for an opt-out, discards the queue and sends it alone). */
function enqueue(core: Core, event: MetricEvent): void {
  if (event.name === 'opt-out') {
    core.optedOut = event.value === 1;
    if (core.optedOut) {
      core.stats.discarded += core.queue.length;
      core.queue = [event];
      cancelTimer(core);
      sendByFetch(core);
      return;
    }
  } else if (core.optedOut) return;
  core.queue.push(event);
  trim(core);
  // During an outage the retry keeps its backoff (schedule() keeps a pending timer; a hidden-page flush
  // may have cleared it). Otherwise a full batch goes at once, a partial one after the interval.
  if (core.stats.failures > 0) schedule(core, backoffDelay(core.stats.failures, core.backoff, core.random));
  else if (core.hidden()) {
    // A hidden page can be frozen or discarded with no pagehide (mobile), and web-vitals reports LCP and
    // CLS on the hide itself, after our own flush: send what this task reports at once, by sendBeacon.
    cancelTimer(core);
    core.timer = core.timers.setTimeout(() => {
      core.timer = undefined;
      sendByBeacon(core);
    }, 0);
  } else if (core.queue.length >= core.maxBatch) {
    cancelTimer(core);
    schedule(core, 0);
  } else schedule(core, core.flushIntervalMs);
}

/** Creates a beacon reporter. Nothing is sent until a flush; flushes are timed, hidden-page or manual. */
export function beaconReporter(options: BeaconReporterOptions): BeaconReporter {
  const win = options.window ?? defaultWindow();
  const core: Core = {
    url: options.url,
    maxQueue: options.maxQueue ?? 500,
    maxBatch: options.maxBatch ?? 50,
    flushIntervalMs: options.flushIntervalMs ?? 5000,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    random: options.random ?? Math.random,
    doFetch: options.fetch ?? defaultFetch(),
    sendBeacon: options.sendBeacon ?? defaultSendBeacon(),
    timers: options.timers ?? {
      setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    stats: { queued: 0, sent: 0, dropped: 0, rejected: 0, discarded: 0, failures: 0 },
    queue: [],
    timer: undefined,
    inFlight: false,
    closed: false,
    optedOut: false,
    hidden: () => win?.document?.visibilityState === 'hidden',
  };
  const onPageHide = () => sendByBeacon(core);
  const onVisibility = () => {
    if (core.hidden()) sendByBeacon(core);
  };
  win?.addEventListener('pagehide', onPageHide);
  win?.document?.addEventListener('visibilitychange', onVisibility);
  return {
    report(event) {
      if (!core.closed) enqueue(core, event);
    },
    flush: () => sendByBeacon(core),
    stats: () => ({ ...core.stats, queued: core.queue.length }),
    close() {
      if (core.closed) return;
      sendByBeacon(core);
      core.closed = true;
      cancelTimer(core);
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

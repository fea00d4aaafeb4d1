// monitoring() as `token-rollout` exports it: the plugin's small shell now (plugin.ts), and the measuring
// part (run.ts: web-vitals, the guard's observers, the reporters) from its own chunk, so none of it competes
// with first paint. The chunk is fetched once the page's first contentful paint is reported, and started
// after the page's `load` event (or after LOAD_WAIT_MS, or when the page is hidden, if sooner). Fetching it
// before it starts lets a page that is left before `load` start monitoring in its `pagehide` task and send
// its page view and exposures (plugin.ts). web-vitals reads buffered performance entries and the shell
// replays what happened before, so nothing is missed. `token-rollout/monitoring` starts at once.
import { createMonitoring } from './plugin.js';
import type { MonitoringOptions, MonitoringPlugin, MonitoringTimers, MonitoringWindow } from './types.js';

/** The measuring part's module (its own chunk in a bundle). */
export type MonitoringChunk = typeof import('./run.js');

let fetching: Promise<MonitoringChunk> | undefined;
/** The chunk once it has arrived: what a page being left can start in the same task. */
let arrived: MonitoringChunk | undefined;
let arrive: (chunk: MonitoringChunk) => void = () => {};
/** Settles when the chunk has arrived, whoever fetched it. */
const arrival = new Promise<MonitoringChunk>((resolve) => {
  arrive = resolve;
});

/** Fetches the measuring part (nothing starts); once per page, tried again after a failure. */
function fetchMonitoringChunk(): Promise<MonitoringChunk> {
  fetching ??= import('./run.js').then(
    (chunk) => {
      arrived = chunk;
      arrive(chunk);
      return chunk;
    },
    (error: unknown) => {
      fetching = undefined;
      throw error;
    },
  );
  return fetching;
}

/** Calls `use` with the measuring part once it has arrived (at once if it has), without fetching it. */
export function whenMonitoringChunkArrives(use: (chunk: MonitoringChunk) => void): void {
  if (arrived) use(arrived);
  else void arrival.then(use);
}

/** A PerformanceObserver constructor, as much of it as the paint wait uses. */
type PaintObserver = new (
  callback: (list: { getEntriesByName(name: string): readonly unknown[] }) => void,
) => { observe(options: { type: string; buffered: boolean }): void; disconnect(): void };

/**
 * Fetches the measuring part once the page's first contentful paint is reported (buffered: at once if it
 * has happened), so it never competes with it. A page that never paints content (or a browser without
 * PerformanceObserver) fetches it when monitoring may start instead.
 */
function fetchAfterFirstPaint(win: MonitoringWindow): void {
  // A real window's PerformanceObserver is a constructor; the type says only what unchecked.ts reads.
  const Observer = win.PerformanceObserver as PaintObserver | undefined;
  if (typeof Observer !== 'function') return;
  const observer = new Observer((list) => {
    if (list.getEntriesByName('first-contentful-paint').length === 0) return;
    observer.disconnect();
    fetchMonitoringChunk().catch(() => {}); // tried again at start, where a failure is reported
  });
  observer.observe({ type: 'paint', buffered: true });
}

/**
 * Longest wait for the `load` event. A hanging image, iframe or slow third-party script holds `load` back
 * for as long as it hangs; without a bound such a page would never be measured or guarded. By 5 s first
 * paint is long past (the plan's FCP trigger is 1.3 s), so starting then competes with nothing.
 */
export const LOAD_WAIT_MS = 5000;

/**
 * Resolves at the page's `load` event, when the page is hidden first (the user switched away: measure
 * now, while the page can still send), or after LOAD_WAIT_MS, whichever comes first; at once when the
 * page has loaded or there is no document.
 */
function afterLoad(win: MonitoringWindow, timers: Pick<MonitoringTimers, 'setTimeout' | 'clearTimeout'>) {
  return new Promise<void>((resolve) => {
    const doc = win.document;
    if (!doc || doc.readyState === 'complete') return resolve();
    const done = () => {
      timers.clearTimeout(timer);
      win.removeEventListener('load', done);
      win.removeEventListener('visibilitychange', onVisibility);
      resolve();
    };
    // visibilitychange is fired at the document and bubbles to the window.
    const onVisibility = () => {
      if (doc.visibilityState === 'hidden') done();
    };
    const timer = timers.setTimeout(done, LOAD_WAIT_MS);
    win.addEventListener('load', done);
    win.addEventListener('visibilitychange', onVisibility);
  });
}

/**
 * The measuring part when monitoring may start: after `load` (see afterLoad), fetched then unless it
 * arrived before; a failed fetch is tried again on the next call.
 */
export function loadMonitoringChunk(
  win: MonitoringWindow,
  timers: Pick<MonitoringTimers, 'setTimeout' | 'clearTimeout'> = globalThis,
): Promise<MonitoringChunk> {
  return afterLoad(win, timers).then(fetchMonitoringChunk);
}

/**
 * Creates the monitoring plugin; what it measures is fetched after first contentful paint and starts after
 * the page's `load` event (`status().started`, `ready`), or when the page is left before. Budget overrides
 * are checked at once: a wrong value throws a TypeError naming each bad path.
 */
export function monitoring(options: MonitoringOptions = {}): MonitoringPlugin {
  return createMonitoring(options, (win) => {
    fetchAfterFirstPaint(win);
    return {
      later: loadMonitoringChunk(win, options.timers).then((m) => m.startMonitoring),
      now: () => arrived?.startMonitoring,
    };
  });
}

// monitoring() as `token-rollout` exports it: the plugin's small shell now (plugin.ts), and the measuring
// part (run.ts: web-vitals, the guard's observers, the reporters) from its own chunk after the page's
// `load` event (or after LOAD_WAIT_MS, or when the page is hidden, if sooner), so none of it competes with
// first paint. web-vitals reads buffered performance entries and the shell replays what happened before,
// so nothing is missed. `token-rollout/monitoring` starts at once.
import { createMonitoring } from './plugin.js';
import type { MonitoringOptions, MonitoringPlugin, MonitoringTimers, MonitoringWindow } from './types.js';

/** The measuring part's module (its own chunk in a bundle). */
export type MonitoringChunk = typeof import('./run.js');

let chunk: Promise<MonitoringChunk> | undefined;

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
 * Loads the measuring part once per page, after `load` (see afterLoad); a failed load is tried again on
 * the next call. `timers` are the first caller's (monitoring's, injectable in tests).
 */
export function loadMonitoringChunk(
  win: MonitoringWindow,
  timers: Pick<MonitoringTimers, 'setTimeout' | 'clearTimeout'> = globalThis,
): Promise<MonitoringChunk> {
  chunk ??= afterLoad(win, timers)
    .then(() => import('./run.js'))
    .catch((error: unknown) => {
      chunk = undefined;
      throw error;
    });
  return chunk;
}

/**
 * Creates the monitoring plugin; what it measures loads after the page's `load` event (`status().started`,
 * `ready`). Budget overrides are checked at once: a wrong value throws a TypeError naming each bad path.
 */
export function monitoring(options: MonitoringOptions = {}): MonitoringPlugin {
  return createMonitoring(options, (win) =>
    loadMonitoringChunk(win, options.timers).then((m) => m.startMonitoring),
  );
}

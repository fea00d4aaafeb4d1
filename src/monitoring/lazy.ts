// monitoring() as `token-rollout` exports it: the plugin's small shell now (plugin.ts), and the measuring
// part (run.ts: web-vitals, the guard's observers, the reporters) from its own chunk after the page's
// `load` event, so none of it competes with first paint. web-vitals reads buffered performance entries and
// the shell replays what happened before, so nothing is missed. `token-rollout/monitoring` starts at once.
import { createMonitoring } from './plugin.js';
import type { MonitoringOptions, MonitoringPlugin, MonitoringWindow } from './types.js';

/** The measuring part's module (its own chunk in a bundle). */
export type MonitoringChunk = typeof import('./run.js');

let chunk: Promise<MonitoringChunk> | undefined;

/** Resolves at the page's `load` event (at once when it has passed, or when there is no document). */
function afterLoad(win: MonitoringWindow): Promise<void> {
  return new Promise((resolve) => {
    if (!win.document || win.document.readyState === 'complete') resolve();
    else win.addEventListener('load', () => resolve(), { once: true });
  });
}

/** Loads the measuring part once per page, after `load`; a failed load is tried again on the next call. */
export function loadMonitoringChunk(win: MonitoringWindow): Promise<MonitoringChunk> {
  chunk ??= afterLoad(win)
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
  return createMonitoring(options, (win) => loadMonitoringChunk(win).then((m) => m.startMonitoring));
}

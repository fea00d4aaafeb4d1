// The monitoring plugin's shell: it checks the budgets at once (a wrong one throws), keeps the status, and
// starts the measuring part (run.ts) through `load`: synchronously for token-rollout/monitoring (eager),
// after the page's `load` event for the default import (lazy.ts), or in the `pagehide` task of a page left
// before that, if the part has arrived. Until then it records what must not be missed (early.ts). It is in
// every page's eager bundle, so it stays small.
import { type Budgets, resolveBudgets } from '../guard/budgets.js';
import { errorText } from '../json.js';
import { type Early, recordEarly } from './early.js';
import type { MonitorContext, MonitorTarget } from './target.js';
import type { MonitoringOptions, MonitoringPlugin, MonitoringStatus, MonitoringWindow } from './types.js';

/** Everything the measuring part starts from. */
export interface MonitoringRun {
  options: MonitoringOptions;
  budgets: Budgets | undefined;
  target: MonitorTarget;
  context: MonitorContext | undefined;
  win: MonitoringWindow;
  /** Updated in place: `status()` reads it. */
  status: MonitoringStatus;
  /** What happened before it started (absent when it starts with the plugin). */
  early?: Early;
  /** Started in the page's `pagehide` task: what it emits must be sent before that task ends. */
  leaving?: boolean;
}

/** The measuring part's entry (run.ts `startMonitoring`): starts and returns the cleanup. */
export type StartMonitoring = (run: MonitoringRun) => () => void;

/** The measuring part from its own chunk: `later` (after `load`), or `now` if it has already arrived. */
export interface LaterMonitoring {
  later: Promise<StartMonitoring>;
  now(): StartMonitoring | undefined;
}

/** How the shell gets the measuring part: at once, or from its chunk (a page left before `load`: `now`). */
export type LoadMonitoring = (win: MonitoringWindow) => StartMonitoring | LaterMonitoring;

/** The status before monitoring runs. */
const initialStatus = (): MonitoringStatus => ({
  memorySource: 'unavailable',
  session: '',
  errors: 0,
  events: 0,
  problems: [],
  started: false,
  unchecked: {},
});

/**
 * Creates the monitoring plugin over `load`. Budget overrides are checked at once: a wrong value throws a
 * TypeError naming each bad path (e.g. `budgets.fcp.limit`), before anything is measured.
 */
export function createMonitoring(options: MonitoringOptions, load: LoadMonitoring): MonitoringPlugin {
  const resolved = options.budgets === false ? undefined : resolveBudgets(options.budgets ?? {});
  if (resolved && !resolved.ok) {
    throw new TypeError(`token-rollout monitoring: invalid budgets: ${resolved.problems.join('; ')}`);
  }
  const budgets = resolved?.budgets;
  let status = initialStatus();
  let settle: (status: MonitoringStatus) => void = () => {};
  const ready = new Promise<MonitoringStatus>((resolve) => {
    settle = resolve;
  });
  const plugin = (target: MonitorTarget, context?: MonitorContext): (() => void) => {
    status = initialStatus();
    // The rollout's window is a real Window, which has every part a MonitoringWindow may read.
    const win =
      options.window ??
      (context?.window as MonitoringWindow | undefined) ??
      (globalThis as { window?: MonitoringWindow }).window;
    const done = () => settle({ ...status });
    if (!win) {
      done(); // server rendering: nothing to measure
      return () => {};
    }
    const run: MonitoringRun = { options, budgets, target, context, win, status };
    const start = load(win);
    if (typeof start === 'function') {
      const cleanup = start(run);
      done();
      return cleanup;
    }
    return startLater(run, start, done);
  };
  return Object.assign(plugin, { status: () => ({ ...status, unchecked: { ...status.unchecked } }), ready });
}

/**
 * Records the page until the measuring part may start, then starts it; returns the cleanup. A page left
 * before then (`pagehide`) starts it in that task if it has arrived, so the page view and exposures are
 * sent: this capture listener runs before the beacon reporter's own `pagehide` listener, which sends them
 * (and the `visibilitychange` to hidden that follows `pagehide` on the way out sends them too).
 */
function startLater(run: MonitoringRun, loading: LaterMonitoring, done: () => void): () => void {
  const { options, target, win, status } = run;
  const now = options.now ?? Date.now;
  const early = recordEarly(target, win, now);
  let cleanup: (() => void) | undefined;
  let stopped = false;
  // Once started, the listener finds `cleanup` set and does nothing; destroy() removes it.
  const begin = (start: StartMonitoring, leaving: boolean) => {
    if (stopped || cleanup) return;
    cleanup = start({ ...run, early, leaving });
    done();
  };
  const onLeave = () => {
    const start = loading.now();
    if (start) begin(start, true);
  };
  win.addEventListener('pagehide', onLeave, true);
  loading.later.then(
    (start) => begin(start, false),
    (error: unknown) => {
      if (cleanup) return; // started on pagehide with the part that had arrived
      early.take();
      if (!stopped) {
        const problem = `monitoring could not be loaded: ${errorText(error)} (nothing is measured or guarded)`;
        status.problems.push(problem);
        console.warn(`token-rollout: ${problem}`);
      }
      done();
    },
  );
  return () => {
    if (stopped) return;
    stopped = true;
    win.removeEventListener('pagehide', onLeave, true);
    if (cleanup) return cleanup();
    // Destroyed before monitoring ran: stop recording, and close the reporters the plugin owns.
    early.take();
    for (const reporter of options.reporters ?? []) reporter.close();
    done();
  };
}

// monitoring(): a rollout plugin that measures the page (web-vitals, theme switch, errors, memory),
// guards the local budgets (falling back to v1 when one is exceeded), and feeds the reporters. The parts
// are small modules: emitter.ts (events), guarding.ts (the guard), memory-sampling.ts.
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import { FAMILIES, type Family } from '../families.js';
import { type Budgets, resolveBudgets } from '../guard/budgets.js';
import { observeErrors } from '../metrics/errors.js';
import type { MetricEvent } from '../metrics/event.js';
import { exposureTracker } from '../metrics/exposure.js';
import { DEFAULT_USER_SALT, hashUserKey, newSessionId } from '../metrics/identity.js';
import { memorySourceOf } from '../metrics/memory.js';
import { observeWebVitals, type WebVitalsApi } from '../metrics/web-vitals.js';
import { defaultStorage } from '../storage/safe.js';
import { createEmitter, type Emitter, pageFamiliesOf } from './emitter.js';
import { type Guarding, startGuarding } from './guarding.js';
import { sampleMemory } from './memory-sampling.js';
import type { MonitorState, MonitorTarget } from './target.js';
import type {
  MonitoringOptions,
  MonitoringPlugin,
  MonitoringStatus,
  MonitoringTimers,
  MonitoringWindow,
} from './types.js';

export type {
  MonitoringOptions,
  MonitoringPlugin,
  MonitoringStatus,
  MonitoringTimers,
  MonitoringWindow,
} from './types.js';

const DEFAULT_VITALS: WebVitalsApi = { onFCP, onLCP, onINP, onCLS, onTTFB };

/**
 * Creates the monitoring plugin. Budget overrides are checked at once: a wrong value throws a TypeError
 * naming each bad path (e.g. `budgets.fcp.limit`), before anything is measured.
 */
export function monitoring(options: MonitoringOptions = {}): MonitoringPlugin {
  const resolved = options.budgets === false ? undefined : resolveBudgets(options.budgets ?? {});
  if (resolved && !resolved.ok) {
    throw new TypeError(`token-rollout monitoring: invalid budgets: ${resolved.problems.join('; ')}`);
  }
  const budgets = resolved?.budgets;
  let status: MonitoringStatus = {
    memorySource: 'unavailable',
    session: '',
    errors: 0,
    events: 0,
    problems: [],
  };
  const plugin = (target: MonitorTarget): (() => void) => {
    const win = options.window ?? (globalThis as { window?: MonitoringWindow }).window;
    if (!win) return () => {}; // server rendering: nothing to measure
    const session = newSessionId(win.crypto);
    const memorySource = options.memory === false ? 'unavailable' : memorySourceOf(win);
    status = { memorySource, session, errors: 0, events: 0, problems: [] };
    return startMonitoring(options, budgets, target, win, status);
  };
  return Object.assign(plugin, { status: () => ({ ...status }) });
}

/** One page's monitoring: events, guard, observers; returns the cleanup. */
function startMonitoring(
  options: MonitoringOptions,
  budgets: Budgets | undefined,
  target: MonitorTarget,
  win: MonitoringWindow,
  status: MonitoringStatus,
): () => void {
  const now = options.now ?? (() => Date.now());
  const storage = options.storage ?? defaultStorage(win);
  const reporters = options.reporters ?? [];
  const key = options.userKey ?? target.getState().userKey;
  // Without a key, events are anonymous per page session (still a hash, so the contract holds).
  const user = hashUserKey(key ?? `anonymous:${status.session}`, options.salt ?? DEFAULT_USER_SALT);
  let state = target.getState();
  const pageFamilies = (s: MonitorState) => pageFamiliesOf(s, FAMILIES);
  const onSent = (event: MetricEvent) => {
    status.events++;
    options.onEvent?.(event);
  };
  const emitter = createEmitter(
    { reporters, user, session: status.session, key, crypto: win.crypto, now, state: () => state, onSent },
    FAMILIES,
  );
  const guarding = startGuarding({
    budgets,
    storage,
    now,
    target,
    emitter,
    status,
    manifest: options.manifest,
    win,
    pageFamilies,
  });
  const onState = stateFollower(emitter, guarding, pageFamilies);
  // Capture: at the target, capturing listeners run first, so held events reach the beacon reporter's
  // queue before its own pagehide listener sends it.
  win.addEventListener('pagehide', emitter.flushHeld, { capture: true });
  const cleanups: Array<() => void> = [
    () => win.removeEventListener('pagehide', emitter.flushHeld, { capture: true }),
    () => guarding.stop(),
  ];
  emitter.emit('page-view', 1);
  onState(state, undefined);
  cleanups.push(
    target.subscribe((next) => {
      const previous = state;
      state = next;
      onState(next, previous);
    }),
  );
  cleanups.push(...observe(options, target, win, emitter, guarding, status));
  const timers: MonitoringTimers = options.timers ?? globalThis;
  const memory = { win, source: status.memorySource, timers, schedule: options.memory, emitter };
  cleanups.push(sampleMemory({ ...memory, state: () => state, guarded: guarding.guarded }));
  let cleaned = false;
  return () => {
    if (cleaned) return;
    cleaned = true;
    for (const cleanup of cleanups.reverse()) cleanup();
    for (const reporter of reporters) reporter.close();
  };
}

/** What happens on each rollout state: opt-out events, the first settled decision, exposures, the guard's page. */
function stateFollower(
  emitter: Emitter,
  guarding: Guarding,
  pageFamilies: (s: MonitorState) => readonly Family[],
) {
  const expose = exposureTracker();
  let settled = false;
  return (next: MonitorState, previous: MonitorState | undefined) => {
    if (previous && next.optedOut !== previous.optedOut) emitter.emit('opt-out', next.optedOut ? 1 : 0);
    if (next.ready === false) return;
    if (!settled) {
      settled = true;
      emitter.settle();
    }
    if (!next.optedOut) {
      for (const { family, version } of expose(next.families, pageFamilies(next))) {
        emitter.emit('exposure', 1, { family, arm: version });
      }
    }
    guarding.settled(next);
  };
}

/** Web vitals, theme switches, conversions and uncaught errors, as events and guard samples. */
function observe(
  options: MonitoringOptions,
  target: MonitorTarget,
  win: MonitoringWindow,
  emitter: Emitter,
  guarding: Guarding,
  status: MonitoringStatus,
): Array<() => void> {
  const stops: Array<() => void> = [];
  if (options.vitals !== false) {
    stops.push(
      observeWebVitals(options.vitals ?? DEFAULT_VITALS, (name, value) => {
        emitter.emit(name, value);
        if (name === 'fcp') guarding.guarded((guard) => guard.record('fcp', value));
      }),
    );
  }
  stops.push(
    target.onThemeSwitch((ms) => {
      emitter.emit('theme-switch', ms);
      guarding.guarded((guard) => guard.record('themeSwitch', ms));
    }),
    target.onConversion((name, value) => emitter.emit('conversion', value ?? 1, { detail: name })),
  );
  const maxErrorEvents = options.maxErrorEvents ?? 20;
  stops.push(
    observeErrors(win, (info) => {
      status.errors++;
      // value = the page view's running count, so "session had an error" and "errors per view" both read off it.
      if (status.errors <= maxErrorEvents) emitter.emit('js-error', status.errors, { detail: info.message });
      guarding.guarded((guard) => guard.recordError());
    }),
  );
  return stops;
}

// The measuring part of monitoring: web-vitals, theme switches, conversions, errors, memory, the guard and
// the reporters. With the default import it is its own chunk, loaded after the page's `load` event
// (lazy.ts); web-vitals reads the buffered performance entries, so FCP, LCP and TTFB are not missed, and
// what happened before it loaded (early.ts) is replayed in order with its own timestamps.
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import { FAMILIES, type Family } from '../families.js';
import { type ErrorInfo, errorInfoOf, observeErrors } from '../metrics/errors.js';
import type { MetricEvent } from '../metrics/event.js';
import { exposureTracker } from '../metrics/exposure.js';
import { DEFAULT_USER_SALT, hashUserKey, newSessionId } from '../metrics/identity.js';
import { memorySourceOf } from '../metrics/memory.js';
import { observeWebVitals, type WebVitalsApi } from '../metrics/web-vitals.js';
import { defaultStorage } from '../storage/safe.js';
import type { EarlyEntry } from './early.js';
import { createEmitter, type Emitter, pageFamiliesOf } from './emitter.js';
import { type Guarding, startGuarding } from './guarding.js';
import { sampleMemory } from './memory-sampling.js';
import type { MonitoringRun } from './plugin.js';
import type { MonitorState } from './target.js';
import type { MonitoringOptions, MonitoringTimers } from './types.js';
import { markAtStart, uncheckedBudgets } from './unchecked.js';

export { beaconReporter } from '../report/beacon.js';
export { launchDarklyReporter } from '../report/launchdarkly.js';

const DEFAULT_VITALS: WebVitalsApi = { onFCP, onLCP, onINP, onCLS, onTTFB };

/** Starts one page's monitoring (events, guard, observers), replaying what came before; returns the cleanup. */
export function startMonitoring(run: MonitoringRun): () => void {
  const { options, budgets, target, context, win, status, early } = run;
  status.session = newSessionId(win.crypto);
  status.memorySource = options.memory === false ? 'unavailable' : memorySourceOf(win);
  status.started = true;
  // While replaying, "now" is when the replayed thing happened, for events and guard samples alike.
  const clock = options.now ?? Date.now;
  let replayingAt: number | undefined;
  const now = () => replayingAt ?? clock();
  const entries = early?.take() ?? [];
  const storage = options.storage ?? context?.storage ?? defaultStorage(win);
  const reporters = options.reporters ?? [];
  let state = early?.first ?? target.getState();
  const key = options.userKey ?? state.userKey;
  // Without a key, events are anonymous per page session (still a hash, so the contract holds).
  const user = hashUserKey(key ?? `anonymous:${status.session}`, options.salt ?? DEFAULT_USER_SALT);
  const pageFamilies = (s: MonitorState) => pageFamiliesOf(s, FAMILIES);
  const onSent = (event: MetricEvent) => {
    status.events++;
    options.onEvent?.(event);
  };
  const emitter = createEmitter(
    { reporters, user, session: status.session, key, crypto: win.crypto, now, state: () => state, onSent },
    FAMILIES,
  );
  const unchecked = uncheckedBudgets(status);
  markAtStart(unchecked, options, budgets, status, win);
  const guarding = startGuarding({
    ...{ budgets, storage, now, target, emitter, status, unchecked, win, pageFamilies },
    manifest: options.manifest ?? context?.manifest,
    memorySampled: status.memorySource !== 'unavailable',
  });
  const onState = stateFollower(emitter, guarding, pageFamilies);
  const follow = (next: MonitorState) => {
    const previous = state;
    state = next;
    onState(next, previous);
  };
  // Capture: at the target, capturing listeners run first, so held events reach the beacon reporter's
  // queue before its own pagehide listener sends it.
  win.addEventListener('pagehide', emitter.flushHeld, { capture: true });
  const cleanups: Array<() => void> = [
    () => win.removeEventListener('pagehide', emitter.flushHeld, { capture: true }),
    () => guarding.stop(),
  ];
  replayingAt = early?.startedAt;
  emitter.emit('page-view', 1);
  onState(state, undefined);
  const observed = observe(options, emitter, guarding, status);
  for (const entry of entries) {
    replayingAt = entry.ts;
    replay(entry, follow, observed);
  }
  replayingAt = undefined;
  // States past the early buffer's limit: catch up with the current one.
  if (target.getState() !== state) follow(target.getState());
  // Started in the pagehide task: the listener above was added during that event, so it will not run.
  if (run.leaving) emitter.flushHeld();
  cleanups.push(
    target.subscribe(follow),
    ...observed.stops,
    target.onThemeSwitch(observed.themeSwitch),
    target.onConversion(observed.conversion),
    observeErrors(win, observed.error),
  );
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

/** Feeds one early entry to the handler live events go to. */
function replay(entry: EarlyEntry, follow: (state: MonitorState) => void, observed: Observed): void {
  if (entry.type === 'state') follow(entry.state);
  else if (entry.type === 'theme-switch') observed.themeSwitch(entry.ms);
  else if (entry.type === 'conversion') observed.conversion(entry.name, entry.value);
  else observed.error(errorInfoOf(entry.event));
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

/** The handlers of theme switches, conversions and uncaught errors, and web-vitals' stop. */
interface Observed {
  stops: Array<() => void>;
  themeSwitch(ms: number): void;
  conversion(name: string, value?: number): void;
  error(info: ErrorInfo): void;
}

/** Web vitals (subscribed now), and the handlers that turn the rest into events and guard samples. */
function observe(
  options: MonitoringOptions,
  emitter: Emitter,
  guarding: Guarding,
  status: { errors: number },
): Observed {
  const stops: Array<() => void> = [];
  if (options.vitals !== false) {
    stops.push(
      observeWebVitals(options.vitals ?? DEFAULT_VITALS, (name, value) => {
        emitter.emit(name, value);
        if (name === 'fcp') guarding.guarded((guard) => guard.record('fcp', value));
      }),
    );
  }
  const maxErrorEvents = options.maxErrorEvents ?? 20;
  return {
    stops,
    themeSwitch(ms) {
      emitter.emit('theme-switch', ms);
      guarding.guarded((guard) => guard.record('themeSwitch', ms));
    },
    conversion: (name, value) => emitter.emit('conversion', value ?? 1, { detail: name }),
    error(info) {
      status.errors++;
      // value = the page view's running count, so "session had an error" and "errors per view" both read off it.
      if (status.errors <= maxErrorEvents) emitter.emit('js-error', status.errors, { detail: info.message });
      guarding.guarded((guard) => guard.recordError());
    },
  };
}

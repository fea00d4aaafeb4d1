// Test helper: a rollout stand-in for monitoring's tests (state, listeners, fallback), hand-run timers and
// a page still loading.
import { FAMILIES, type Family } from '../families.js';
import type { BeaconWindow } from '../report/beacon.js';
import type { FallbackScope, MonitorFamily, MonitorState, MonitorTarget } from './target.js';
import type { MonitoringTimers, MonitoringWindow } from './types.js';

/** Every family's state, with `v2` on v2 (in-rollout) and the rest on v1, all loaded. */
export function familiesWith(v2: readonly Family[]): Record<Family, MonitorFamily> {
  const out = {} as Record<Family, MonitorFamily>;
  for (const f of FAMILIES) {
    out[f] = v2.includes(f)
      ? { version: 'v2', reason: 'in-rollout', loaded: true }
      : { version: 'v1', reason: 'family-not-in-stage', loaded: true };
  }
  return out;
}

/** A rollout stand-in: state, listeners, and a fallback that moves families to v1 like the runtime does. */
export function fakeRollout(
  v2: readonly Family[] = ['buttons', 'cards'],
  initial: Partial<MonitorState> = {},
) {
  let state: MonitorState = {
    ready: true,
    stage: 'week1',
    configVersion: 'c1',
    assignment: 'treatment',
    bucket: 0.01,
    region: 'au',
    pageFamilies: ['buttons', 'cards', 'forms'],
    optedOut: false,
    families: familiesWith(v2),
    ...initial,
  };
  const listeners = new Set<(s: MonitorState) => void>();
  const themeListeners = new Set<(ms: number) => void>();
  const conversionListeners = new Set<(name: string, value?: number) => void>();
  const fallbacks: Array<[FallbackScope, string]> = [];
  const set = (next: Partial<MonitorState>) => {
    state = { ...state, ...next };
    for (const l of listeners) l(state);
  };
  const target: MonitorTarget = {
    getState: () => state,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onThemeSwitch: (l) => {
      themeListeners.add(l);
      return () => themeListeners.delete(l);
    },
    onConversion: (l) => {
      conversionListeners.add(l);
      return () => conversionListeners.delete(l);
    },
    fallback: (families, reason) => {
      fallbacks.push([families, reason]);
      set({ families: familiesWith([]) });
    },
  };
  return {
    target,
    fallbacks,
    set,
    themeSwitch: (ms: number) => {
      for (const l of themeListeners) l(ms);
    },
    convert: (name: string, value?: number) => {
      for (const l of conversionListeners) l(name, value);
    },
    listenerCount: () => listeners.size + themeListeners.size + conversionListeners.size,
  };
}

/** Timers run by hand: `tick()` fires every live one. */
export function fakeTimers() {
  const live = new Map<number, () => void>();
  let next = 1;
  const add = (cb: () => void) => {
    live.set(next, cb);
    return next++;
  };
  const timers: MonitoringTimers = {
    setTimeout: add,
    setInterval: add,
    clearTimeout: (h) => live.delete(h as number),
    clearInterval: (h) => live.delete(h as number),
  };
  return {
    timers,
    live,
    tick: () => {
      for (const cb of [...live.values()]) cb();
    },
  };
}

/**
 * A page still loading: `load()` fires the event, `hide()` switches the tab away (the browser fires
 * visibilitychange at the document and it bubbles to the window; here the document stands apart).
 */
export function loadingPage() {
  const document = Object.assign(new EventTarget(), { readyState: 'loading', visibilityState: 'visible' });
  // Paint timing: observers of `paint` entries hear first-contentful-paint when the test paints (buffered).
  type PaintList = { getEntriesByName(name: string): unknown[] };
  const observers = new Set<(list: PaintList) => void>();
  let painted = false;
  const fcp: PaintList = {
    getEntriesByName: (name) => (name === 'first-contentful-paint' ? [{ name }] : []),
  };
  class PaintObserver {
    static readonly supportedEntryTypes = ['paint'];
    constructor(private readonly callback: (list: PaintList) => void) {}
    observe() {
      observers.add(this.callback);
      if (painted) queueMicrotask(() => this.callback(fcp));
    }
    disconnect() {
      observers.delete(this.callback);
    }
  }
  // Both the window monitoring reads and the one the beacon reporter listens to (src/report/beacon.ts).
  const win: MonitoringWindow & BeaconWindow = Object.assign(new EventTarget(), {
    document,
    crypto: { randomUUID: () => 'session-uuid' },
    PerformanceObserver: PaintObserver,
  });
  return {
    win,
    load() {
      document.readyState = 'complete';
      win.dispatchEvent(new Event('load'));
    },
    hide() {
      document.visibilityState = 'hidden';
      // Fired at the document, it bubbles to the window: both hear it.
      document.dispatchEvent(new Event('visibilitychange'));
      win.dispatchEvent(new Event('visibilitychange'));
    },
    /** The page's first contentful paint: paint observers hear of it. */
    paint() {
      painted = true;
      for (const callback of [...observers]) callback(fcp);
    },
    /** The user leaves the page (follows a link): `pagehide`, then the document is hidden. */
    leave() {
      win.dispatchEvent(new Event('pagehide'));
      this.hide();
    },
  };
}

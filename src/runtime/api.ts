// The public TokenRollout object over the runtime loop: it checks the app's arguments (a wrong one throws
// a TypeError naming it) and turns each call into an input; theme timing and conversions are plain
// listeners that never reach the state.
import { FAMILIES, type Family, isFamily } from '../families.js';
import type { TokenRollout } from '../rollout.js';
import type { RolloutState } from '../state.js';
import { readFallbackRecord } from '../storage/records.js';
import { type KeyValueStorage, STORAGE_KEYS } from '../storage/storage.js';
import { afterNextPaint } from '../theme/next-paint.js';
import { isThemePreference } from '../theme/types.js';
import type { Loop } from './loop.js';

/** What the API needs from the wiring. */
export interface ApiDeps {
  loop: Loop;
  win: Window;
  storage: KeyValueStorage;
  /** True when token links are in the document (the boot snippet's or ours). */
  linksPresent(): boolean;
  ready: Promise<RolloutState>;
  /** Tears the runtime down (plugins, loader, flag source); called once. */
  teardown(): void;
}

/** A set of listeners with add (returning the remover) and a snapshot to call. */
function listenerSet<T extends unknown[]>() {
  const set = new Set<(...args: T) => void>();
  return {
    add(listener: (...args: T) => void) {
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    call: (...args: T) => {
      for (const listener of [...set]) listener(...args);
    },
    clear: () => set.clear(),
  };
}

/** Checks `fallback()`'s arguments; throws a TypeError naming what is wrong. */
function checkFallback(targets: readonly unknown[], reason: unknown): void {
  const unknown = targets.filter((f) => !isFamily(f));
  if (unknown.length > 0) {
    throw new TypeError(`fallback(): unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`);
  }
  if (typeof reason !== 'string' || reason === '')
    throw new TypeError('fallback(): reason must be a non-empty string');
}

/** Creates the rollout object the app holds. */
export function createRolloutApi(deps: ApiDeps): TokenRollout {
  const { loop, win, storage } = deps;
  const themeSwitches = listenerSet<[number]>();
  const conversions = listenerSet<[string, number?]>();
  let destroyed = false;
  return {
    getState: loop.snapshot,
    subscribe: loop.subscribe,
    ready: deps.ready,
    use(family) {
      if (!isFamily(family)) {
        throw new TypeError(
          `rollout.use(${JSON.stringify(family)}): unknown family; expected one of ${FAMILIES.join(', ')}`,
        );
      }
      void loop.dispatch({ type: 'use', family, linksPresent: deps.linksPresent() });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        void loop.dispatch({ type: 'release', family });
      };
    },
    async setTheme(preference) {
      if (!isThemePreference(preference)) {
        throw new TypeError(`setTheme(${JSON.stringify(preference)}): expected 'light', 'dark' or 'system'`);
      }
      const start = win.performance.now();
      void loop.dispatch({ type: 'theme', preference });
      const ms = (await afterNextPaint(win)) - start;
      themeSwitches.call(ms);
      return ms;
    },
    setOptOut: (optedOut) => loop.dispatch({ type: 'opt-out', optedOut }),
    dismissNotice() {
      void loop.dispatch({ type: 'dismiss-notice' });
    },
    async fallback(families, reason) {
      const targets: readonly Family[] = families === 'all' ? FAMILIES : families;
      checkFallback(targets, reason);
      // Read-modify-write: the freshest record, so a fallback another tab just stored is kept.
      const stored = readFallbackRecord(storage.getItem(STORAGE_KEYS.fallback));
      await loop.dispatch({ type: 'fallback', families: targets, reason, stored });
    },
    onThemeSwitch: themeSwitches.add,
    trackConversion: (name, value) => conversions.call(name, value),
    onConversion: conversions.add,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      void loop.dispatch({ type: 'destroy' });
      deps.teardown();
      loop.clearListeners();
      themeSwitches.clear();
      conversions.clear();
    },
  };
}

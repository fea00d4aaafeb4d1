// What happens on the page before monitoring runs (it starts after the `load` event): held, with its time,
// so the loaded monitoring replays it in order. Kept small on purpose: it is in the page's eager bundle.
import type { MonitorState, MonitorTarget } from './target.js';

/** One thing that happened before monitoring ran. */
export type EarlyEntry =
  | { type: 'state'; ts: number; state: MonitorState }
  | { type: 'theme-switch'; ts: number; ms: number }
  | { type: 'conversion'; ts: number; name: string; value?: number }
  /** An `error` or `unhandledrejection` event, described when replayed. */
  | { type: 'error'; ts: number; event: Event };

/** The page from the plugin's start: its first state and what followed. */
export interface Early {
  startedAt: number;
  first: MonitorState;
  /** Stops recording and returns what was recorded, oldest first. */
  take(): EarlyEntry[];
}

/** Most entries held; a page that throws in a loop before `load` must not grow this without bound. */
export const MAX_EARLY = 200;

/** Starts recording the rollout's states, theme switches, conversions and the window's uncaught errors. */
export function recordEarly(target: MonitorTarget, win: EventTarget, now: () => number): Early {
  const entries: EarlyEntry[] = [];
  const add = (entry: EarlyEntry) => {
    if (entries.length < MAX_EARLY) entries.push(entry);
  };
  const onError = (event: Event) => add({ type: 'error', ts: now(), event });
  const stops = [
    target.subscribe((state) => add({ type: 'state', ts: now(), state })),
    target.onThemeSwitch((ms) => add({ type: 'theme-switch', ts: now(), ms })),
    target.onConversion((name, value) => add({ type: 'conversion', ts: now(), name, value })),
  ];
  win.addEventListener('error', onError);
  win.addEventListener('unhandledrejection', onError);
  return {
    startedAt: now(),
    first: target.getState(),
    take() {
      for (const stop of stops.splice(0)) stop();
      win.removeEventListener('error', onError);
      win.removeEventListener('unhandledrejection', onError);
      return entries.splice(0);
    },
  };
}

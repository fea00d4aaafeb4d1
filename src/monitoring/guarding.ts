// The local guard as monitoring runs it: samples wait for the first settled decision (until then the
// page's config version and families are not final), the page's v2 families and CSS bytes follow the
// rollout's state, and a trip reports a `fallback` event before moving the page back to v1.
import type { TokenManifest } from '../../tokens/manifest.js';
import { fetchManifest } from '../css/manifest.js';
import type { Family } from '../families.js';
import type { Budgets } from '../guard/budgets.js';
import { v2CssBytes } from '../guard/css-bytes.js';
import { createGuard, type Guard } from '../guard/guard.js';
import { v2Families } from '../metrics/arm.js';
import type { KeyValueStorage } from '../storage/storage.js';
import type { Emitter } from './emitter.js';
import type { MonitorState, MonitorTarget } from './target.js';
import type { MonitoringStatus, MonitoringWindow } from './types.js';

/** What the guarding needs from the plugin. */
export interface GuardingOptions {
  budgets: Budgets | undefined;
  storage: KeyValueStorage;
  now(): number;
  target: MonitorTarget;
  emitter: Emitter;
  status: MonitoringStatus;
  /** The manifest, or its URL (fetched), for the CSS size budget. */
  manifest: TokenManifest | string | undefined;
  win: MonitoringWindow;
  pageFamilies(state: MonitorState): readonly Family[];
}

/** The guard of one page, fed in the right order. */
export interface Guarding {
  /** Records now if the decision settled, else once it does. Nothing when the guard is off. */
  guarded(record: (guard: Guard) => void): void;
  /** The settled state changed: the guard's page follows, and held samples are recorded. */
  settled(state: MonitorState): void;
  stop(): void;
}

/** Starts the guard (or nothing, when budgets are off). */
export function startGuarding(options: GuardingOptions): Guarding {
  const { target, emitter, status, win } = options;
  const guard = options.budgets
    ? createGuard({
        budgets: options.budgets,
        storage: options.storage,
        now: options.now,
        onTrip: (trip) => {
          status.trip = trip;
          const reason = `budget:${trip.metric}`;
          // Reported before falling back, so the event carries the arm that exceeded the budget.
          emitter.emit('fallback', reason, { detail: trip.reason });
          fallBack(target, trip.scope === 'page' ? 'all' : trip.scope, reason);
        },
      })
    : undefined;
  let manifest = typeof options.manifest === 'object' ? options.manifest : undefined;
  let latest: MonitorState | undefined;
  const pending: Array<() => void> = [];
  const setPage = (s: MonitorState) => {
    const onV2 = s.optedOut ? [] : v2Families(s.families, options.pageFamilies(s));
    const loaded = onV2.filter((family) => s.families[family].loaded !== false);
    const css = manifest && loaded.length > 0 ? v2CssBytes(manifest, loaded) : undefined;
    guard?.setPage({ configVersion: s.configVersion, v2Families: onV2, css });
  };
  let stopped = false;
  if (typeof options.manifest === 'string' && guard) {
    void fetchManifest((url) => (win.fetch ? win.fetch(url) : globalThis.fetch(url)), options.manifest).then(
      (result) => {
        if (stopped) return;
        if (!result.ok) {
          status.problems.push(`${result.error} (the CSS size budget is not checked)`);
          return;
        }
        manifest = result.manifest;
        if (latest) setPage(latest);
      },
    );
  }
  return {
    guarded(record) {
      if (!guard) return;
      if (latest) record(guard);
      else pending.push(() => record(guard));
    },
    settled(state) {
      latest = state;
      setPage(state);
      for (const record of pending.splice(0)) record();
    },
    stop() {
      stopped = true;
    },
  };
}

/** Moves the page (or some families) back to v1; the rollout reports its own failures. */
function fallBack(target: MonitorTarget, scope: readonly Family[] | 'all', reason: string): void {
  try {
    // A rejection here must not come back as a js-error.
    void Promise.resolve(target.fallback(scope, reason)).catch(() => {});
  } catch {
    // Same for a synchronous throw: monitoring keeps running.
  }
}

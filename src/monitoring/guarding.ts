// The local guard as monitoring runs it: samples wait for the first settled decision (until then the
// page's config version and families are not final), the page's v2 families and CSS bytes follow the
// rollout's state, and a trip reports a `fallback` event before moving the page back to v1. The CSS size
// budget reads the manifest given to monitoring, else the rollout's own; without one it says so.
import type { TokenManifest } from '../../tokens/manifest.js';
import { fetchManifest } from '../css/manifest.js';
import type { Family } from '../families.js';
import type { Budgets } from '../guard/budgets.js';
import { v2CssBytes } from '../guard/css-bytes.js';
import { createGuard, type Guard } from '../guard/guard.js';
import { baselineOf, MEMORY_BASELINE_KEY, parseBaselineSamples } from '../guard/memory-baseline.js';
import { v2Families } from '../metrics/arm.js';
import type { KeyValueStorage } from '../storage/storage.js';
import type { Emitter } from './emitter.js';
import type { ManifestOutcome, MonitorState, MonitorTarget } from './target.js';
import type { MonitoringStatus, MonitoringWindow } from './types.js';
import type { Unchecked } from './unchecked.js';

/** Where the CSS budget's manifest comes from: given (object or URL), the rollout's, or nowhere. */
export type ManifestSource = TokenManifest | string | Promise<ManifestOutcome> | undefined;

/** What the guarding needs from the plugin. */
export interface GuardingOptions {
  budgets: Budgets | undefined;
  storage: KeyValueStorage;
  now(): number;
  target: MonitorTarget;
  emitter: Emitter;
  status: MonitoringStatus;
  unchecked: Unchecked;
  manifest: ManifestSource;
  /** False when memory is not sampled on this page (then no baseline is looked for). */
  memorySampled: boolean;
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

const NO_BASELINE = 'no v1 memory baseline on this device yet (it is recorded on pages without v2)';

/** Starts the guard (or nothing, when budgets are off). */
export function startGuarding(options: GuardingOptions): Guarding {
  const { target, emitter, status, unchecked } = options;
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
  const given = options.manifest;
  // A manifest object is used at once, as before: only a URL or the rollout's manifest is waited for.
  let manifest = typeof given === 'object' && !('then' in given) ? given : undefined;
  let latest: MonitorState | undefined;
  const pending: Array<() => void> = [];
  const setPage = (s: MonitorState) => {
    const onV2 = s.optedOut ? [] : v2Families(s.families, options.pageFamilies(s));
    const loaded = onV2.filter((family) => s.families[family].loaded !== false);
    const css = manifest && loaded.length > 0 ? v2CssBytes(manifest, loaded) : undefined;
    guard?.setPage({ configVersion: s.configVersion, v2Families: onV2, css });
    if (guard && options.memorySampled && onV2.length > 0) {
      const baseline = baselineOf(parseBaselineSamples(options.storage.getItem(MEMORY_BASELINE_KEY)));
      if (baseline === undefined) unchecked.mark('memory', NO_BASELINE);
      else if (status.unchecked.memory === NO_BASELINE) unchecked.clear('memory');
    }
  };
  let stopped = false;
  if (guard && !manifest) {
    void manifestOf(options).then((outcome) => {
      if (stopped) return;
      if (!outcome.manifest) {
        unchecked.mark('cssBytes', outcome.error);
        return;
      }
      manifest = outcome.manifest;
      if (latest) setPage(latest);
    });
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

/** The manifest for the CSS budget, or why there is none. Never rejects. */
async function manifestOf({ manifest, win, status }: GuardingOptions): Promise<ManifestOutcome> {
  if (manifest === undefined) {
    return {
      manifest: null,
      error: 'no token manifest (plug monitoring into createTokenRollout, or pass `manifest`)',
    };
  }
  if (typeof manifest === 'object' && 'then' in manifest) {
    return manifest.catch((error: unknown) => ({
      manifest: null,
      error: `token manifest: ${String(error)}`,
    }));
  }
  if (typeof manifest === 'object') return { manifest };
  const fetcher = (url: string) => (win.fetch ? win.fetch(url) : globalThis.fetch(url));
  const result = await fetchManifest(fetcher, manifest);
  if (result.ok) return { manifest: result.manifest };
  status.problems.push(`${result.error} (the CSS size budget is not checked)`);
  return { manifest: null, error: result.error };
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

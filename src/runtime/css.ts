// The CSS effect: brings the token <link>s in line with the decision. It reads the runtime state, plans the
// sheets (css/plan.ts), loads them (css/loader.ts) and reports what happened as inputs: families whose v2
// file failed go to v1 and the plan is redone, so the page always ends styled. Runs are serialised.
import type { TokenManifest } from '../../tokens/manifest.js';
import type { SheetLoader } from '../css/loader.js';
import { type PlannedSheet, planStylesheets } from '../css/plan.js';
import type { Family } from '../families.js';
import { errorText } from '../json.js';
import type { FamilyState } from '../state.js';
import { effectiveFamilies, pageFamilies, versionsOf } from './snapshot.js';
import type { Input, RuntimeState } from './types.js';

/** What the reconciler works with. */
export interface CssDeps {
  loader: SheetLoader;
  /** Settles once the manifest is known (parsed, or failed). */
  manifestKnown: Promise<void>;
  getState(): RuntimeState;
  dispatch(input: Input): void;
}

/** Runs reconciles one at a time. */
export interface CssReconciler {
  /** Brings the CSS in line; a call during a run makes exactly one more run with the latest state. */
  reconcile(): Promise<void>;
}

/** Creates the reconciler for one rollout. */
export function createCssReconciler(deps: CssDeps): CssReconciler {
  const { getState, dispatch } = deps;
  const once = async (): Promise<void> => {
    // A decision made while the manifest is still being fetched waits for it (rather than record
    // "no manifest" failures that would hold every family on v1 for the session).
    if (getState().manifest.status === 'pending') await deps.manifestKnown;
    const state = getState();
    if (state.destroyed) return;
    if (state.manifest.status !== 'ready') return adoptBootLinks(deps);
    // No family declared yet (components register theirs in effects): keep the boot links as they are
    // rather than drop every sheet for a moment.
    if (pageFamilies(state).length === 0) return;
    const { manifest, base } = state.manifest;
    while (await pass(deps, manifest, base)) {
      // Another pass: a family newly fell back to v1, so the plan changes.
    }
  };

  let running: Promise<void> | null = null;
  let dirty = false;
  return {
    reconcile() {
      dirty = true;
      if (running) return running;
      running = (async () => {
        while (dirty && !getState().destroyed) {
          dirty = false;
          try {
            await once();
          } catch (error) {
            dispatch({ type: 'error', message: `token CSS: ${errorText(error)}` });
          }
        }
      })().finally(() => {
        running = null;
        dispatch({ type: 'css-idle' });
      });
      return running;
    },
  };
}

/** Without a manifest: every family on v1, and the boot snippet's links reported once they loaded. */
async function adoptBootLinks({ loader, getState, dispatch }: CssDeps): Promise<void> {
  const why = getState().errors.find((e) => e.startsWith('token manifest')) ?? 'no token manifest';
  dispatch({ type: 'no-manifest', why });
  await loader.adoptPresent();
  if (getState().destroyed) return;
  dispatch({ type: 'css-adopted', loaded: [...loader.loaded()] });
}

/**
 * One plan-load-swap pass: loads what the decision needs, feeds failures back, then drops the rest. True
 * when a family newly failed, so the caller plans again.
 */
async function pass(deps: CssDeps, manifest: TokenManifest, base: string): Promise<boolean> {
  const { loader, getState, dispatch } = deps;
  const state = getState();
  const families = effectiveFamilies(state);
  const versions = versionsOf(families);
  const plan = planStylesheets(manifest, versions, pageFamilies(state), base);
  const unavailable = Object.entries(plan.unavailable) as Array<[Family, string]>;
  const newly = unavailable.filter(([family]) => state.loadFailures[family] === undefined);
  if (newly.length > 0) dispatch({ type: 'load-failed', failures: newly, report: false });
  if (plan.missingV1) dispatch({ type: 'error', message: plan.missingV1 });
  if (newly.length > 0) return true;
  const needsV1 = plan.sheets.some((s) => s.version === 'v1');
  // Caching the v1 decision early is safe only when every v2 sheet the plan keeps has already loaded:
  // the monolith styles every other family.
  const loadedNow = loader.loaded();
  const bootCache = needsV1 && plan.sheets.every((s) => s.version === 'v1' || loadedNow.has(s.id));
  dispatch({ type: 'css-swapping', needsV1, bootCache, versions });
  const failures = await loader.ensure(plan.sheets);
  if (getState().destroyed) return false;
  if (recordFailures(deps, failures, plan.sheets, families)) return true;
  loader.prune(plan.sheets);
  dispatch({ type: 'css-applied', loaded: [...loader.loaded()], legacy: needsV1, versions });
  return false;
}

/** Reports failed sheets against their families (a failed core fails every v2 page family); true when one newly fell back. */
function recordFailures(
  { getState, dispatch }: CssDeps,
  failures: ReadonlyMap<string, string>,
  sheets: readonly PlannedSheet[],
  families: Readonly<Record<Family, FamilyState>>,
): boolean {
  let changed = false;
  for (const [id, why] of failures) {
    const sheet = sheets.find((s) => s.id === id);
    if (!sheet) continue;
    if (sheet.version === 'v1') {
      dispatch({ type: 'error', message: `v1 token CSS failed: ${why}` });
      continue;
    }
    const state = getState();
    const hit =
      sheet.part === 'core'
        ? pageFamilies(state).filter((f) => families[f].version === 'v2')
        : [sheet.part as Family];
    const newly = hit.filter((family) => state.loadFailures[family] === undefined);
    if (newly.length === 0) continue;
    dispatch({ type: 'load-failed', failures: newly.map((family) => [family, why] as const), report: true });
    changed = true;
  }
  return changed;
}

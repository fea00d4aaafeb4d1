// The step handlers for what the CSS reconciler (css.ts) reports: failed families, a swap under way, a swap
// done, the boot snippet's links adopted. Pure, like step.ts.
import { bootCacheFor, planStylesheets } from '../css/plan.js';
import { FAMILIES, type Family } from '../families.js';
import { serializeBootCache } from '../storage/records.js';
import { STORAGE_KEYS } from '../storage/storage.js';
import { type Handler, only, PUBLISH, store, themeOf, withError } from './step-kit.js';
import type { Effect, Input, RuntimeState, Versions } from './types.js';

/**
 * The boot snippet's cache for these versions: planned for every family, so any page of the app is covered
 * on the next load. Nothing without a manifest (no file can be named).
 */
function bootCache(state: RuntimeState, versions: Versions): Effect[] {
  if (state.manifest.status !== 'ready') return [];
  const { manifest, base } = state.manifest;
  const plan = planStylesheets(manifest, versions, FAMILIES, base);
  return [store(STORAGE_KEYS.decision, serializeBootCache(bootCacheFor(plan.sheets)))];
}

/** `failures` with each of `families` that has none yet failed for `why`. */
function failed(state: RuntimeState, families: readonly Family[], why: string): RuntimeState['loadFailures'] {
  const out = { ...state.loadFailures };
  for (const family of families) out[family] ??= why;
  return out;
}

const onNoManifest: Handler<'no-manifest'> = (state, { why }) =>
  // Without a manifest no v2 file can be located: v2 decisions stay on v1, saying why.
  only({ ...state, loadFailures: failed(state, FAMILIES, why) }, PUBLISH);

const onLoadFailed: Handler<'load-failed'> = (state, { failures, report }) => {
  let loadFailures = state.loadFailures;
  let errors = state.errors;
  for (const [family, why] of failures) {
    if (loadFailures[family] !== undefined) continue;
    loadFailures = { ...loadFailures, [family]: why };
    if (report) errors = withError(errors, `${family}: ${why}`);
  }
  return only({ ...state, loadFailures, errors });
};

const onSwapping: Handler<'css-swapping'> = (state, input) => {
  // The legacy class goes on before the v1 sheet applies, so v1 renders the right theme at once. Towards
  // v1 (a rollback, a fallback, an opt-out) the reconciler says when caching early is safe (`bootCache`):
  // the next load must boot v1 even if the page is left before this swap settles.
  const next = input.needsV1 ? { ...state, legacyLoaded: true } : state;
  const theme = input.needsV1 ? [themeOf(next)] : [];
  return only(next, ...theme, ...(input.bootCache ? bootCache(next, input.versions) : []), PUBLISH);
};

const onApplied: Handler<'css-applied'> = (state, input) => {
  const next = { ...state, loaded: input.loaded, legacyLoaded: input.legacy };
  return only(next, themeOf(next), ...bootCache(next, input.versions), PUBLISH);
};

/** The handlers of the CSS reconciler's inputs. */
export const CSS_HANDLERS: {
  [T in Extract<Input['type'], `css-${string}` | 'no-manifest' | 'load-failed'>]: Handler<T>;
} = {
  'no-manifest': onNoManifest,
  'load-failed': onLoadFailed,
  'css-swapping': onSwapping,
  'css-applied': onApplied,
  // The boot snippet's links still apply without a manifest: report them loaded once they are.
  'css-adopted': (state, { loaded }) => only({ ...state, loaded }, PUBLISH),
  'css-idle': (state) => only(state, PUBLISH),
};

// The public snapshot (RolloutState) derived from the runtime state, and the structural comparison that
// decides whether subscribers hear about it: pure, no page access.
import { FAMILIES, type Family } from '../families.js';
import { deriveArm, type FamilyState, type RolloutState } from '../state.js';
import { fallbacksFor } from '../storage/records.js';
import { resolveTheme } from '../theme/apply.js';
import type { RuntimeState, Versions } from './types.js';

/**
 * The families this page uses, in display order: the declared ones plus those `use()` added; with none
 * declared, those components registered, and every family until one registers (a page without components
 * that register, e.g. no React binding, keeps the whole decision).
 */
export function pageFamilies(state: Pick<RuntimeState, 'baseFamilies' | 'used' | 'registered'>): Family[] {
  const { baseFamilies, used } = state;
  if (baseFamilies === null && !state.registered) return [...FAMILIES];
  return FAMILIES.filter((f) => baseFamilies?.includes(f) || (used[f] ?? 0) > 0);
}

/** The decision with load failures applied: a family whose v2 CSS failed stays on v1, saying why. */
export function effectiveFamilies(state: RuntimeState): Record<Family, FamilyState> {
  const { assignment } = state.decision;
  const detail = fallbacksFor(state.fallbacks, assignment.configVersion);
  const out = {} as Record<Family, FamilyState>;
  for (const family of FAMILIES) {
    const decision = assignment.families[family];
    const failure = state.loadFailures[family];
    const own: FamilyState =
      decision.version === 'v2' && failure !== undefined
        ? { version: 'v1', reason: 'load-failed', loaded: false, error: failure }
        : { version: decision.version, reason: decision.reason, loaded: false };
    const why = detail[family];
    if (own.reason === 'local-fallback' && why !== undefined) own.detail = why;
    out[family] = own;
  }
  return out;
}

/** Each family's version, as the CSS plan reads it. */
export function versionsOf(families: Readonly<Record<Family, FamilyState>>): Versions {
  const out = {} as Record<Family, 'v1' | 'v2'>;
  for (const f of FAMILIES) out[f] = families[f].version;
  return out;
}

/** True when the sheet that styles `family` at `version` is in effect. */
function isLoaded(loaded: readonly string[], family: Family, version: 'v1' | 'v2'): boolean {
  return version === 'v1'
    ? loaded.includes('v1')
    : loaded.includes('v2/core') && loaded.includes(`v2/${family}`);
}

/** The snapshot apps, hooks and plugins read. */
export function snapshotOf(state: RuntimeState): RolloutState {
  const page = pageFamilies(state);
  const families = effectiveFamilies(state);
  for (const family of page) {
    const f = families[family];
    families[family] = { ...f, loaded: isLoaded(state.loaded, family, f.version) };
  }
  const { assignment, configErrors } = state.decision;
  const anyV2 = page.some((f) => families[f].version === 'v2');
  return {
    ready: state.ready,
    stage: assignment.stage,
    bucket: assignment.bucket,
    assignment: assignment.group,
    configVersion: assignment.configVersion,
    region: state.user.region,
    userKey: state.user.key,
    arm: deriveArm(families, page),
    pageFamilies: page,
    families,
    theme: resolveTheme(state.themePreference, state.systemDark),
    themePreference: state.themePreference,
    optedOut: state.optedOut,
    notice: anyV2 && !state.optedOut && !state.noticeDismissed ? 'visible' : 'hidden',
    errors: [...configErrors, ...state.errors],
  };
}

/**
 * True when two snapshots say the same, compared structurally (field by field, into the family map and
 * the lists): no new snapshot is published then. Snapshots hold only plain data, so this is complete.
 */
export function sameSnapshot(a: RolloutState, b: RolloutState): boolean {
  return sameData(a, b);
}

/** Structural equality of plain JSON-like data (objects, arrays, primitives). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

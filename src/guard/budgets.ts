// The plan's rollback triggers as local budgets (ARCHITECTURE.md "Budgets"), with the no-flap rule per metric.
import { describeValue } from '../json.js';

/**
 * A budget on a series of samples. It trips when the last `consecutive` samples are all over `limit`,
 * or when at least `window` samples exist and the 75th percentile of the last `window` is over `limit`.
 * Either way a single slow sample never trips it (as long as `consecutive` ≥ 2 and `window` ≥ 5: the p75,
 * interpolated as in src/quantile.ts, of five or more samples never reads the largest one).
 */
export interface SeriesBudget {
  limit: number;
  consecutive: number;
  window: number;
}

/** Every local budget. Times in ms, sizes in bytes, memory as a fraction over the v1 baseline. */
export interface Budgets {
  /** Bytes of v2 token CSS loaded by the page (core + its v2 families, from the manifest). */
  cssBytes: { limit: number };
  /** First Contentful Paint per page load on v2, ms. One sample per load, so samples persist across loads. */
  fcp: SeriesBudget;
  /** Theme switch time (call to painted frame), ms. */
  themeSwitch: SeriesBudget;
  /** Uncaught errors on v2 pages within `windowMs` that trip the error budget. */
  errors: { limit: number };
  /** JS memory over the user's v1 baseline, as a fraction (0.2 = 20 % more). */
  memory: SeriesBudget;
  /** How long samples count (the guard's "session"), ms. Older samples are forgotten. */
  windowMs: number;
}

/** The plan's thresholds: 40 KB CSS, FCP 1.3 s, theme switch 100 ms, errors, memory +20 %. */
export const DEFAULT_BUDGETS: Budgets = {
  cssBytes: { limit: 40_000 },
  fcp: { limit: 1300, consecutive: 2, window: 5 },
  themeSwitch: { limit: 100, consecutive: 3, window: 10 },
  errors: { limit: 3 },
  memory: { limit: 0.2, consecutive: 3, window: 6 },
  windowMs: 30 * 60_000,
};

/** Budgets as an app passes them: any subset, merged over the defaults. */
export type BudgetOverrides = {
  [K in keyof Budgets]?: Budgets[K] extends object ? Partial<Budgets[K]> : Budgets[K];
};

/** The merged budgets, or the list of problems (each with its path) when an override is invalid. */
export type BudgetsResult = { ok: true; budgets: Budgets } | { ok: false; problems: string[] };

const SERIES = ['fcp', 'themeSwitch', 'memory'] as const;

/** Merges `overrides` over the defaults and checks every number; nothing is thrown. */
export function resolveBudgets(overrides: BudgetOverrides = {}, path = 'budgets'): BudgetsResult {
  const problems: string[] = [];
  const positive = (value: unknown, at: string): number | undefined => {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
    problems.push(`${at} must be a positive number, got ${describeValue(value)}`);
    return undefined;
  };
  const count = (value: unknown, at: string): number | undefined => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
    problems.push(`${at} must be a whole number ≥ 1, got ${describeValue(value)}`);
    return undefined;
  };
  const known = new Set(Object.keys(DEFAULT_BUDGETS));
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) problems.push(`${path}.${key} is not a budget (known: ${[...known].join(', ')})`);
  }
  const budgets: Budgets = structuredClone(DEFAULT_BUDGETS);
  const css = overrides.cssBytes?.limit;
  if (css !== undefined) budgets.cssBytes.limit = positive(css, `${path}.cssBytes.limit`) ?? 0;
  const errors = overrides.errors?.limit;
  if (errors !== undefined) budgets.errors.limit = count(errors, `${path}.errors.limit`) ?? 0;
  if (overrides.windowMs !== undefined)
    budgets.windowMs = positive(overrides.windowMs, `${path}.windowMs`) ?? 0;
  for (const name of SERIES) {
    const given = overrides[name];
    if (!given) continue;
    const target = budgets[name];
    if (given.limit !== undefined) target.limit = positive(given.limit, `${path}.${name}.limit`) ?? 0;
    if (given.consecutive !== undefined) {
      target.consecutive = count(given.consecutive, `${path}.${name}.consecutive`) ?? 0;
    }
    if (given.window !== undefined) target.window = count(given.window, `${path}.${name}.window`) ?? 0;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, budgets };
}

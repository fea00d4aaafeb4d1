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

/** The budgets in the order their problems are reported. */
const CHECK_ORDER = ['cssBytes', 'errors', 'windowMs', 'fcp', 'themeSwitch', 'memory'] as const;

/** Merges `overrides` over the defaults and checks every number; nothing is thrown. */
export function resolveBudgets(overrides: BudgetOverrides = {}, path = 'budgets'): BudgetsResult {
  const problems: string[] = [];
  const known = Object.keys(DEFAULT_BUDGETS);
  for (const key of Object.keys(overrides)) {
    if (!known.includes(key)) problems.push(`${path}.${key} is not a budget (known: ${known.join(', ')})`);
  }
  const budgets: Budgets = structuredClone(DEFAULT_BUDGETS);
  // Counts (`consecutive`, `window`, the error limit) are whole numbers ≥ 1; every other value is positive.
  const check = (value: unknown, at: string, whole: boolean): number => {
    if (
      typeof value === 'number' &&
      (whole ? Number.isInteger(value) && value >= 1 : Number.isFinite(value) && value > 0)
    ) {
      return value;
    }
    problems.push(
      `${at} must be ${whole ? 'a whole number ≥ 1' : 'a positive number'}, got ${describeValue(value)}`,
    );
    return 0;
  };
  for (const name of CHECK_ORDER) {
    const at = `${path}.${name}`;
    if (name === 'windowMs') {
      if (overrides.windowMs !== undefined) budgets.windowMs = check(overrides.windowMs, at, false);
      continue;
    }
    const given = overrides[name] as Record<string, unknown> | undefined;
    const target = budgets[name] as unknown as Record<string, number>;
    for (const key of Object.keys(target)) {
      const value = given?.[key];
      if (value !== undefined)
        target[key] = check(value, `${at}.${key}`, name === 'errors' || key !== 'limit');
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, budgets };
}

// The guard's decision: given the samples of this device's window, is a budget exceeded, and for what?
import type { Family } from '../families.js';
import type { Budgets, SeriesBudget } from './budgets.js';
import { type CssBytes, totalCssBytes } from './css-bytes.js';
import { sustainedOver } from './sustained.js';

/** A guarded metric; the fallback reason is `budget:<metric>`. */
export type GuardMetric = 'css-bytes' | 'js-error' | 'fcp' | 'theme-switch' | 'memory';

/** What the guard has seen on v2 within its window (series are oldest first). */
export interface GuardSamples {
  /** The families on v2 right now: nothing can trip without them. */
  v2Families: readonly Family[];
  /** The v2 CSS the page loads, when the manifest is known. */
  css?: CssBytes;
  fcp: readonly number[];
  themeSwitch: readonly number[];
  /** Uncaught errors on v2 pages in the window. */
  errors: number;
  /** JS memory samples in bytes on v2 pages. */
  memory: readonly number[];
  /** The user's v1 memory baseline in bytes, when one was recorded. */
  memoryBaseline?: number;
}

/** The decision: nothing to do, or fall back `scope` (the whole page, or some families) for `reason`. */
export type BudgetVerdict =
  | { trip: false }
  | {
      trip: true;
      metric: GuardMetric;
      rule: 'total' | 'count' | 'consecutive' | 'p75';
      /** A sentence for logs and the `fallback` event's detail. */
      reason: string;
      observed: number;
      limit: number;
      scope: 'page' | Family[];
    };

/**
 * Checks the budgets in a fixed order (CSS size, errors, FCP, theme switch, memory) and returns the
 * first one exceeded. FCP, theme switch, errors and memory are page-level: a slow paint or a leak cannot
 * be blamed on one family's file, so every v2 family goes back. The CSS budget drops the largest
 * families until the rest fits, because there the cost of each family is known exactly.
 */
export function evaluateBudgets(samples: GuardSamples, budgets: Budgets): BudgetVerdict {
  if (samples.v2Families.length === 0) return { trip: false };

  if (samples.css) {
    const total = totalCssBytes(samples.css);
    const limit = budgets.cssBytes.limit;
    if (total > limit) {
      return {
        trip: true,
        metric: 'css-bytes',
        rule: 'total',
        reason: `css-bytes: v2 token CSS is ${total} bytes, over the ${limit}-byte budget`,
        observed: total,
        limit,
        scope: familiesToDrop(samples.css, samples.v2Families, limit),
      };
    }
  }

  if (samples.errors >= budgets.errors.limit) {
    return {
      trip: true,
      metric: 'js-error',
      rule: 'count',
      reason: `js-error: ${samples.errors} uncaught errors on v2 within ${Math.round(budgets.windowMs / 60_000)} min (limit ${budgets.errors.limit})`,
      observed: samples.errors,
      limit: budgets.errors.limit,
      scope: 'page',
    };
  }

  const fcp = series('fcp', samples.fcp, budgets.fcp, 'ms');
  if (fcp.trip) return fcp;
  const theme = series('theme-switch', samples.themeSwitch, budgets.themeSwitch, 'ms');
  if (theme.trip) return theme;

  const baseline = samples.memoryBaseline;
  if (baseline !== undefined && baseline > 0) {
    const increases = samples.memory.map((bytes) => bytes / baseline - 1);
    const memory = series('memory', increases, budgets.memory, 'over the v1 baseline');
    if (memory.trip) return memory;
  }
  return { trip: false };
}

function series(
  metric: GuardMetric,
  values: readonly number[],
  budget: SeriesBudget,
  unit: 'ms' | 'over the v1 baseline',
): BudgetVerdict {
  const result = sustainedOver(values, budget);
  if (!result.over) return { trip: false };
  const show = (n: number) => (unit === 'ms' ? `${Math.round(n)} ms` : `+${Math.round(n * 100)} %`);
  const how =
    result.rule === 'consecutive'
      ? `the last ${result.count} samples were all over ${show(budget.limit)} (smallest ${show(result.observed)})`
      : `the p75 of the last ${result.count} samples is ${show(result.observed)}, over ${show(budget.limit)}`;
  return {
    trip: true,
    metric,
    rule: result.rule,
    reason: `${metric}: ${how}${unit === 'ms' ? '' : ` ${unit}`}`,
    observed: result.observed,
    limit: budget.limit,
    scope: 'page',
  };
}

/** The largest v2 families whose removal brings the CSS under `limit`; the whole page if core alone is over. */
function familiesToDrop(css: CssBytes, v2Families: readonly Family[], limit: number): 'page' | Family[] {
  if (css.core > limit) return 'page';
  const bySize = [...v2Families].sort((a, b) => (css.families[b] ?? 0) - (css.families[a] ?? 0));
  let total = totalCssBytes(css);
  const drop: Family[] = [];
  for (const family of bySize) {
    if (total <= limit) break;
    total -= css.families[family] ?? 0;
    drop.push(family);
  }
  // Dropping every family means no v2 is left on the page: say so plainly.
  return drop.length === v2Families.length ? 'page' : drop;
}

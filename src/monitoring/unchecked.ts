// Budgets a page cannot check (no manifest, no memory figures, no paint timing, no v1 memory baseline) are
// never silently off: `status().unchecked` names each with why, and the console says so once per page,
// unless the app turned that part off itself (`budgets: false`, `vitals: false`, `memory: false`).
import type { Budgets } from '../guard/budgets.js';
import type { BudgetName, MonitoringOptions, MonitoringStatus, MonitoringWindow } from './types.js';

/** Marks and clears unchecked budgets of one page. */
export interface Unchecked {
  /** `budget` is not checked, for `why`; `chosen` when the app's own options say so (no console line). */
  mark(budget: BudgetName, why: string, chosen?: boolean): void;
  clear(budget: BudgetName): void;
}

const ALL: readonly BudgetName[] = ['cssBytes', 'fcp', 'themeSwitch', 'errors', 'memory'];

/** The unchecked budgets of one page, kept in `status.unchecked`. */
export function uncheckedBudgets(status: MonitoringStatus): Unchecked {
  const said = new Set<BudgetName>();
  return {
    mark(budget, why, chosen = false) {
      status.unchecked[budget] = why;
      if (chosen || said.has(budget)) return;
      said.add(budget);
      console.warn(`token-rollout monitoring: the ${budget} budget is not checked on this page: ${why}`);
    },
    clear(budget) {
      delete status.unchecked[budget];
    },
  };
}

/** What is known at start: budgets off, web-vitals off or no paint timing, memory off or unavailable. */
export function markAtStart(
  unchecked: Unchecked,
  options: MonitoringOptions,
  budgets: Budgets | undefined,
  status: MonitoringStatus,
  win: MonitoringWindow,
): void {
  if (!budgets) {
    for (const budget of ALL) unchecked.mark(budget, 'the local guard is off (`budgets: false`)', true);
    return;
  }
  const entryTypes = win.PerformanceObserver?.supportedEntryTypes;
  if (options.vitals === false) unchecked.mark('fcp', 'web-vitals is off (`vitals: false`)', true);
  else if (entryTypes && !entryTypes.includes('paint')) {
    unchecked.mark('fcp', 'this browser does not report paint timing (First Contentful Paint)');
  }
  if (options.memory === false) unchecked.mark('memory', 'memory sampling is off (`memory: false`)', true);
  else if (status.memorySource === 'unavailable') {
    unchecked.mark(
      'memory',
      'this browser reports no memory figures (`status().memorySource` is unavailable)',
    );
  }
}

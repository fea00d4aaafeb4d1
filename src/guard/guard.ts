// The guard's effectful shell: keeps the persisted window, records samples, and reports the first trip.
import type { Family } from '../families.js';
import type { KeyValueStorage } from '../storage/storage.js';
import type { Budgets } from './budgets.js';
import type { CssBytes } from './css-bytes.js';
import { type BudgetVerdict, evaluateBudgets } from './evaluate.js';
import {
  addError,
  addSample,
  emptyHistory,
  GUARD_HISTORY_KEY,
  type GuardHistory,
  keepFor,
  parseHistory,
  type SeriesName,
} from './history.js';
import {
  addBaselineSample,
  baselineOf,
  MEMORY_BASELINE_KEY,
  parseBaselineSamples,
} from './memory-baseline.js';

/** A verdict that tripped. */
export type Trip = Extract<BudgetVerdict, { trip: true }>;

/** What the guard needs: budgets, a never-throwing storage, a clock, and what to do on a trip. */
export interface GuardOptions {
  budgets: Budgets;
  storage: KeyValueStorage;
  now: () => number;
  onTrip: (trip: Trip) => void;
}

/** The page as the guard sees it. */
export interface GuardPage {
  configVersion: string;
  v2Families: readonly Family[];
  css?: CssBytes;
}

/** The local guard of one page. */
export interface Guard {
  /** Updates the page's decision; re-checks (the CSS budget can trip on a decision alone). */
  setPage(page: GuardPage): void;
  /** Records a sample of a series (only on v2 pages: v1 samples are no evidence against v2). */
  record(series: Exclude<SeriesName, 'memory'>, value: number): void;
  /** Records an uncaught error (on v2 pages). */
  recordError(): void;
  /** Records a memory sample: into the v1 baseline on all-v1 pages, into the window on v2 pages. */
  recordMemory(bytes: number): void;
  /** The trip that happened on this page, if any. */
  tripped(): Trip | undefined;
}

/** Creates the guard. It trips at most once per page; after a trip it records nothing more. */
export function createGuard(options: GuardOptions): Guard {
  const { budgets, storage, now, onTrip } = options;
  let page: GuardPage = { configVersion: '', v2Families: [] };
  let trip: Trip | undefined;

  const load = (): GuardHistory =>
    parseHistory(storage.getItem(GUARD_HISTORY_KEY), page.configVersion, now(), budgets.windowMs);
  const save = (history: GuardHistory) => storage.setItem(GUARD_HISTORY_KEY, JSON.stringify(history));
  const baseline = () => baselineOf(parseBaselineSamples(storage.getItem(MEMORY_BASELINE_KEY)));
  const onV2 = () => trip === undefined && page.v2Families.length > 0;

  const check = (history: GuardHistory) => {
    if (!onV2()) return;
    const verdict = evaluateBudgets(
      {
        v2Families: page.v2Families,
        css: page.css,
        fcp: history.fcp.map((s) => s.v),
        themeSwitch: history.themeSwitch.map((s) => s.v),
        memory: history.memory.map((s) => s.v),
        errors: history.errors.length,
        memoryBaseline: baseline(),
      },
      budgets,
    );
    if (!verdict.trip) return;
    trip = verdict;
    // The fallback holds v1 until the config changes; a fresh window avoids tripping again at once
    // should the fallback be lifted by other means.
    save(emptyHistory(page.configVersion));
    onTrip(verdict);
  };

  return {
    setPage(next) {
      page = next;
      check(load());
    },
    record(series, value) {
      if (!onV2() || !Number.isFinite(value)) return;
      const history = addSample(load(), series, value, now(), keepFor(series, budgets));
      save(history);
      check(history);
    },
    recordError() {
      if (!onV2()) return;
      const history = addError(load(), now(), budgets.errors.limit);
      save(history);
      check(history);
    },
    recordMemory(bytes) {
      if (trip !== undefined || !Number.isFinite(bytes) || bytes <= 0) return;
      if (page.v2Families.length === 0) {
        const samples = addBaselineSample(parseBaselineSamples(storage.getItem(MEMORY_BASELINE_KEY)), bytes);
        storage.setItem(MEMORY_BASELINE_KEY, JSON.stringify(samples));
        return;
      }
      const history = addSample(load(), 'memory', bytes, now(), keepFor('memory', budgets));
      save(history);
      check(history);
    },
    tripped: () => trip,
  };
}

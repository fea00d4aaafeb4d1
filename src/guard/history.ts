// The guard's window of samples, persisted so that evidence spans page loads (FCP comes once per load).
// It belongs to one config version: a new config is a new experiment and starts from nothing.
import { isRecord, parseJson } from '../json.js';
import type { Budgets } from './budgets.js';

/** Storage key of the guard's window. */
export const GUARD_HISTORY_KEY = 'token-rollout:guard';

/** One timed sample. */
export interface Sample {
  t: number;
  v: number;
}

/** The series the guard keeps; `errors` holds the times of uncaught errors. */
export type SeriesName = 'fcp' | 'themeSwitch' | 'memory';

/** Samples on v2 within the window, for one config version. */
export interface GuardHistory {
  v: 1;
  configVersion: string;
  fcp: Sample[];
  themeSwitch: Sample[];
  memory: Sample[];
  errors: number[];
}

/** An empty window for `configVersion`. */
export function emptyHistory(configVersion: string): GuardHistory {
  return { v: 1, configVersion, fcp: [], themeSwitch: [], memory: [], errors: [] };
}

/**
 * Reads a stored window: anything malformed, from another config version, or older than `windowMs`
 * before `now` is dropped (storage is user-writable; a bad record must not trip or crash the guard).
 */
export function parseHistory(
  raw: string | null,
  configVersion: string,
  now: number,
  windowMs: number,
): GuardHistory {
  const empty = emptyHistory(configVersion);
  const record = parseJson(raw);
  if (!isRecord(record) || record.v !== 1 || record.configVersion !== configVersion) return empty;
  const fresh = (t: unknown) => typeof t === 'number' && Number.isFinite(t) && t > now - windowMs && t <= now;
  const samples = (list: unknown): Sample[] =>
    Array.isArray(list)
      ? list.filter(
          (s): s is Sample => isRecord(s) && fresh(s.t) && typeof s.v === 'number' && Number.isFinite(s.v),
        )
      : [];
  return {
    v: 1,
    configVersion,
    fcp: samples(record.fcp),
    themeSwitch: samples(record.themeSwitch),
    memory: samples(record.memory),
    errors: Array.isArray(record.errors) ? record.errors.filter((t): t is number => fresh(t)) : [],
  };
}

/** How many samples of a series the rules can look at: older ones are not kept. */
export function keepFor(series: SeriesName, budgets: Budgets): number {
  const budget = budgets[series];
  return Math.max(budget.consecutive, budget.window);
}

/** A copy of `history` with `value` appended to `series`, keeping only the last `keep` samples. */
export function addSample(
  history: GuardHistory,
  series: SeriesName,
  value: number,
  t: number,
  keep: number,
): GuardHistory {
  return { ...history, [series]: [...history[series], { t, v: value }].slice(-keep) };
}

/** A copy of `history` with one more error at `t`, keeping only the last `keep` times. */
export function addError(history: GuardHistory, t: number, keep: number): GuardHistory {
  return { ...history, errors: [...history.errors, t].slice(-keep) };
}

// The plan's absolute levels (levels.ts) judged on v2's own numbers. Statistical ones use the same
// always-valid sequences as the comparisons (one share of the alpha each): a level is "exceeded" only
// when the sequence shows it, so checking every 15 minutes does not roll back on noise. The p75 levels
// are judged through the share of v2 page loads beyond the level (p75 > L exactly when more than 25 % of
// loads are above L), with users as the units (stats/ratio.ts). Bundle size and Lighthouse are
// measurements, not samples: compared as they are.
import type { LevelStatistics, PageLevelStatistics } from './aggregate.js';
import { MIN_USERS_TO_DECIDE } from './control.js';
import type { CompareSettings } from './decide.js';
import {
  type Bound,
  type LevelId,
  P75_SHARE_ABOVE,
  PAGE_LEVEL_METRICS,
  PLAN_LEVELS,
  type PlanLevel,
} from './levels.js';
import { confidenceSequence, type Interval } from './stats/confidence-sequence.js';
import { ratioOf } from './stats/ratio.js';
import type { Moments } from './stats/summary.js';
import { usersNeeded } from './stats/users-needed.js';

/** Where v2 stands against a rollback level. */
export type LevelStatus =
  | { kind: 'exceeded'; reason: string }
  | { kind: 'clear'; reason: string }
  | { kind: 'not-shown'; usersNeeded: number | null; reason: string }
  | { kind: 'not-measured'; reason: string }
  | { kind: 'no-trigger'; reason: string };

/** Where v2 stands against the table's target. */
export type TargetStatus =
  | { kind: 'met'; reason: string }
  | { kind: 'missed'; reason: string }
  | { kind: 'not-shown'; usersNeeded: number | null; reason: string }
  | { kind: 'not-measured'; reason: string };

/** One row of the table, judged. */
export interface LevelCheck {
  id: LevelId;
  label: string;
  unit: PlanLevel['unit'];
  baseline: number | null;
  rollbackLevel: Bound | null;
  targetText: string;
  /** The measured value: p75 (ms), rate, bytes or score; null when not measured. */
  value: number | null;
  /** Units behind it: treatment users (rates), users with v2 page loads (p75), null for measurements. */
  n: number | null;
  /** For p75 levels: the share of v2 loads beyond the rollback level, with its always-valid interval. */
  rollbackShare: { estimate: number; interval: Interval } | null;
  /** For rates: the always-valid interval of the rate. */
  interval: Interval | null;
  status: LevelStatus;
  target: TargetStatus;
}

/** Measurements the data cannot give: the manifest's v2 bytes and a recorded Lighthouse run. */
export interface LevelInputs {
  bundle: { bytes: number; source: string } | null;
  lighthouse: { score: number; formFactor: string | null; source: string } | null;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

function show(level: PlanLevel, value: number): string {
  if (level.unit === 'ms') return `${Math.round(value)} ms`;
  if (level.unit === 'bytes') return `${value.toLocaleString('en-US')} B`;
  if (level.unit === 'share') return pct(value);
  return String(Math.round(value));
}

/** Where an estimate with always-valid interval stands against a bound: beyond, within, or not shown. */
function against(bound: Bound, interval: Interval): 'beyond' | 'within' | 'open' {
  if (bound.direction === 'above') {
    if (interval.lower > bound.value) return 'beyond';
    if (interval.upper < bound.value) return 'within';
  } else {
    if (interval.upper < bound.value) return 'beyond';
    if (interval.lower > bound.value) return 'within';
  }
  return 'open';
}

function needed(estimate: number, se: number, n: number, value: number, settings: CompareSettings) {
  return usersNeeded(se, n, settings.alpha, settings.rho, Math.abs(estimate - value));
}

function rateCheck(level: PlanLevel, m: Moments, settings: CompareSettings): LevelCheck {
  const base = {
    id: level.id,
    label: level.label,
    unit: level.unit,
    baseline: level.baseline,
    rollbackLevel: level.rollback,
    targetText: level.targetText,
    n: m.n,
    rollbackShare: null,
  };
  if (m.n < MIN_USERS_TO_DECIDE) {
    const reason = `needs ${MIN_USERS_TO_DECIDE} treatment users (has ${m.n})`;
    return {
      ...base,
      value: m.n === 0 ? null : m.sum / m.n,
      interval: null,
      status: { kind: 'not-shown', usersNeeded: null, reason },
      target: { kind: 'not-shown', usersNeeded: null, reason },
    };
  }
  const rate = m.sum / m.n;
  const p = (m.sum + 1) / (m.n + 2);
  const se = Math.sqrt((p * (1 - p)) / m.n);
  const interval = confidenceSequence(rate, se, m.n, settings.alpha, settings.rho);
  const where = `${pct(rate)} [${pct(interval.lower)}, ${pct(interval.upper)}]`;
  const rollback = level.rollback!;
  const r = against(rollback, interval);
  const status: LevelStatus =
    r === 'beyond'
      ? { kind: 'exceeded', reason: `${where} is shown ${rollback.direction} ${show(level, rollback.value)}` }
      : r === 'within'
        ? { kind: 'clear', reason: `${where}: not ${rollback.direction} ${show(level, rollback.value)}` }
        : {
            kind: 'not-shown',
            usersNeeded: needed(rate, se, m.n, rollback.value, settings),
            reason: `${where} includes ${show(level, rollback.value)}`,
          };
  const t = against(level.target, interval);
  const target: TargetStatus =
    t === 'within'
      ? { kind: 'missed', reason: `${where}: target ${level.targetText} missed` }
      : t === 'beyond'
        ? { kind: 'met', reason: `${where}: target ${level.targetText} met` }
        : {
            kind: 'not-shown',
            usersNeeded: needed(rate, se, m.n, level.target.value, settings),
            reason: `${where}: target ${level.targetText} not shown yet`,
          };
  return { ...base, value: rate, interval, status, target };
}

function shareOf(m: PageLevelStatistics['beyond'][number], settings: CompareSettings) {
  const r = ratioOf(m);
  if (r === null) return null;
  const se = Math.sqrt(r.variance);
  return {
    estimate: r.ratio,
    se,
    interval: confidenceSequence(r.ratio, se, m.n, settings.alpha, settings.rho),
  };
}

function pageCheck(level: PlanLevel, s: PageLevelStatistics, settings: CompareSettings): LevelCheck {
  const rollback = level.rollback!;
  const base = {
    id: level.id,
    label: level.label,
    unit: level.unit,
    baseline: level.baseline,
    rollbackLevel: rollback,
    targetText: level.targetText,
    value: s.p75,
    n: s.users,
    interval: null,
  };
  if (s.users < MIN_USERS_TO_DECIDE) {
    const reason =
      s.users === 0
        ? 'no v2 page loads from treatment users (v2 not rendered, or no such events)'
        : `needs ${MIN_USERS_TO_DECIDE} treatment users with v2 page loads (has ${s.users})`;
    const kind = s.users === 0 ? 'not-measured' : 'not-shown';
    const status: LevelStatus =
      kind === 'not-measured' ? { kind, reason } : { kind, usersNeeded: null, reason };
    const target: TargetStatus =
      kind === 'not-measured' ? { kind, reason } : { kind, usersNeeded: null, reason };
    return { ...base, rollbackShare: null, status, target };
  }
  const over = shareOf(s.beyond[0], settings)!;
  const atOrAbove = shareOf(s.beyond[1], settings)!;
  const p75 = s.p75 === null ? '' : `p75 ${show(level, s.p75)}; `;
  const slower = (v: number, share: typeof over, op: string) =>
    `${p75}${pct(share.estimate)} [${pct(share.interval.lower)}, ${pct(share.interval.upper)}] of ${s.loads} v2 loads ${op} ${show(level, v)}`;
  const quarter = { direction: 'above' as const, value: P75_SHARE_ABOVE };
  const r = against(quarter, over.interval);
  const status: LevelStatus =
    r === 'beyond'
      ? {
          kind: 'exceeded',
          reason: `${slower(rollback.value, over, '>')}: p75 is shown above ${show(level, rollback.value)}`,
        }
      : r === 'within'
        ? {
            kind: 'clear',
            reason: `${slower(rollback.value, over, '>')}: p75 shown at or below ${show(level, rollback.value)}`,
          }
        : {
            kind: 'not-shown',
            usersNeeded: needed(over.estimate, over.se, s.beyond[0].n, P75_SHARE_ABOVE, settings),
            reason: `${slower(rollback.value, over, '>')}: 25 % is inside the interval`,
          };
  const t = against(quarter, atOrAbove.interval);
  const target: TargetStatus =
    t === 'within'
      ? {
          kind: 'met',
          reason: `${slower(level.target.value, atOrAbove, '>=')}: p75 shown below ${show(level, level.target.value)}`,
        }
      : t === 'beyond'
        ? {
            kind: 'missed',
            reason: `${slower(level.target.value, atOrAbove, '>=')}: p75 shown at or above ${show(level, level.target.value)}`,
          }
        : {
            kind: 'not-shown',
            usersNeeded: needed(atOrAbove.estimate, atOrAbove.se, s.beyond[1].n, P75_SHARE_ABOVE, settings),
            reason: `${slower(level.target.value, atOrAbove, '>=')}: not shown yet`,
          };
  return { ...base, rollbackShare: { estimate: over.estimate, interval: over.interval }, status, target };
}

function bundleCheck(level: PlanLevel, input: LevelInputs['bundle']): LevelCheck {
  const base = {
    id: level.id,
    label: level.label,
    unit: level.unit,
    baseline: level.baseline,
    rollbackLevel: level.rollback,
    targetText: level.targetText,
    n: null,
    rollbackShare: null,
    interval: null,
  };
  if (input === null) {
    const reason = 'not measured: give --manifest URL (the token manifest the page loads)';
    return {
      ...base,
      value: null,
      status: { kind: 'not-measured', reason },
      target: { kind: 'not-measured', reason },
    };
  }
  const rollback = level.rollback!;
  const bytes = show(level, input.bytes);
  const status: LevelStatus =
    input.bytes > rollback.value
      ? { kind: 'exceeded', reason: `${bytes} in ${input.source} is above ${show(level, rollback.value)}` }
      : { kind: 'clear', reason: `${bytes} in ${input.source}` };
  const target: TargetStatus =
    input.bytes < level.target.value
      ? { kind: 'met', reason: `${bytes} < ${show(level, level.target.value)}` }
      : { kind: 'missed', reason: `${bytes} is not below ${show(level, level.target.value)}` };
  return { ...base, value: input.bytes, status, target };
}

function lighthouseCheck(level: PlanLevel, input: LevelInputs['lighthouse']): LevelCheck {
  const base = {
    id: level.id,
    label: level.label,
    unit: level.unit,
    baseline: level.baseline,
    rollbackLevel: null,
    targetText: level.targetText,
    n: null,
    rollbackShare: null,
    interval: null,
    status: { kind: 'no-trigger' as const, reason: 'a target, not a rollback trigger' },
  };
  if (input === null) {
    return {
      ...base,
      value: null,
      target: {
        kind: 'not-measured',
        reason: 'not measured: give --lighthouse FILE (a Lighthouse JSON result)',
      },
    };
  }
  if (input.formFactor !== null && input.formFactor !== 'mobile') {
    return {
      ...base,
      value: input.score,
      target: {
        kind: 'not-measured',
        reason: `${input.source} is a ${input.formFactor} run; the plan's 95+ is for mobile`,
      },
    };
  }
  const met = input.score > level.target.value;
  return {
    ...base,
    value: input.score,
    target: met
      ? { kind: 'met', reason: `${input.score} in ${input.source} (one recorded run)` }
      : { kind: 'missed', reason: `${input.score} in ${input.source} is below 95` },
  };
}

/** Judges every row of the plan's table. */
export function checkLevels(
  stats: LevelStatistics,
  inputs: LevelInputs,
  settings: CompareSettings,
): LevelCheck[] {
  return PLAN_LEVELS.map((level) => {
    switch (level.id) {
      case 'bundle':
        return bundleCheck(level, inputs.bundle);
      case 'lighthouse':
        return lighthouseCheck(level, inputs.lighthouse);
      case 'error-rate':
        return rateCheck(level, stats.errorRate, settings);
      case 'conversion':
        return rateCheck(level, stats.conversion, settings);
      default:
        return pageCheck(level, stats.pages[PAGE_LEVEL_METRICS[level.id]], settings);
    }
  });
}

/** The level checks that take a share of the alpha (the statistical rollback levels). */
export const STATISTICAL_LEVELS: readonly LevelId[] = [
  'fcp-p75',
  'theme-switch-p75',
  'error-rate',
  'conversion',
];

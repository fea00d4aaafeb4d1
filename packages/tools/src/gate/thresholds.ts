// The plan's rollback triggers, success gates and monitoring intervals, as data. Why each threshold is read
// as absolute or relative is explained in gate/README.md ("Thresholds").
import type { LevelId } from './levels.js';
import type { EffectScale } from './stats/effect.js';

/** The page-level metrics the gate compares between v2 and v1, per user. */
export const PAGE_METRICS = ['error-rate', 'fcp', 'conversion', 'memory', 'theme-switch'] as const;

/** One of the page-level comparisons. */
export type PageMetric = (typeof PAGE_METRICS)[number];

/** How one metric is compared and judged. Thresholds are magnitudes in the harmful direction. */
export interface MetricRule {
  metric: PageMetric;
  label: string;
  scale: EffectScale;
  /** A 0/1 per-user value (a rate): its variance gets the Agresti-Caffo adjustment (stats/stratify.ts). */
  binary: boolean;
  /** `higher` when an increase is a regression (errors, latency, memory), `lower` for conversion. */
  worse: 'higher' | 'lower';
  /** Roll back when a harm beyond this is plausible and some harm is shown (see decide.ts). */
  trigger: number;
  /** Non-inferiority margin: a success gate needs the harm shown to be below this. */
  margin: number;
  /** Where the numbers come from. */
  source: string;
}

/** The five comparisons, with the plan's thresholds. */
export const METRIC_RULES: Readonly<Record<PageMetric, MetricRule>> = {
  'error-rate': {
    metric: 'error-rate',
    label: 'users with a JS error',
    scale: 'absolute',
    binary: true,
    worse: 'higher',
    trigger: 0.005,
    margin: 0.001,
    source:
      'trigger "error rate increases >0.5%" = +0.5 point (baseline 0.1 %); week 1 gate "<0.1% error increase"',
  },
  fcp: {
    metric: 'fcp',
    label: 'page load (FCP, user mean)',
    scale: 'relative',
    binary: false,
    worse: 'higher',
    trigger: 0.1,
    margin: 0.05,
    source: 'trigger "page load time increases >10%"; "maintained" = within +5 %',
  },
  conversion: {
    metric: 'conversion',
    label: 'users who converted',
    scale: 'absolute',
    binary: true,
    worse: 'lower',
    trigger: 0.001,
    margin: 0.001,
    source: 'table: baseline 3.2 %, rollback < 3.1 % = -0.1 point; week 3 gate "no conversion impact"',
  },
  memory: {
    metric: 'memory',
    label: 'memory (user mean)',
    scale: 'relative',
    binary: false,
    worse: 'higher',
    trigger: 0.2,
    margin: 0.1,
    source: 'trigger "memory usage increases >20%"; "maintained" = within +10 %',
  },
  'theme-switch': {
    metric: 'theme-switch',
    label: 'theme switch (user mean)',
    scale: 'relative',
    binary: false,
    worse: 'higher',
    trigger: 0.1,
    margin: 0.05,
    source:
      'latency like page load: trigger +10 %, "maintained" = within +5 %; the table\'s 100 ms is an absolute level (levels.ts)',
  },
};

/**
 * A stage's success gate: the relative comparisons that must be shown within their margin (harm-side
 * bound of the always-valid interval below `margin`) and the plan targets that must be shown met.
 */
export interface SuccessGate {
  /** The plan's words. */
  description: string;
  /** What the gate checks, precisely. */
  definition: string;
  metrics: readonly PageMetric[];
  targets: readonly LevelId[];
}

const GATES: Readonly<Record<string, SuccessGate>> = {
  week1: {
    description: 'error increase < 0.1 point',
    definition:
      'users with a JS error, treatment - control: the upper bound of the always-valid interval is below +0.1 point',
    metrics: ['error-rate'],
    targets: [],
  },
  week2: {
    description: 'performance maintained',
    definition:
      'FCP and theme switch (per-user means, capped) shown below +5 % of control, memory below +10 %',
    metrics: ['fcp', 'theme-switch', 'memory'],
    targets: [],
  },
  week3: {
    description: 'no conversion impact',
    definition: 'users who converted, control - treatment: the bound is below 0.1 point (non-inferiority)',
    metrics: ['conversion'],
    targets: [],
  },
  week4: {
    description: 'all metrics improved',
    definition:
      "every target of the plan's table shown met by v2 itself (FCP p75 < 1.0 s, theme switch p75 < 50 ms, " +
      'bundle < 30 KB, Lighthouse 95+; each better than its baseline), and no metric shown worse than the ' +
      "control by more than its margin (error rate and conversion: the table's targets equal their " +
      'baselines, so "improved" can only mean "not worse" there). At 100 % the control is historical.',
    metrics: PAGE_METRICS,
    targets: ['bundle', 'fcp-p75', 'theme-switch-p75', 'error-rate', 'conversion', 'lighthouse'],
  },
};

/** The plan's success gate for a stage; a stage the plan does not name must show every metric not worse. */
export function successGateOf(stage: string): SuccessGate {
  return (
    GATES[stage] ?? {
      description: 'every metric not worse (stage not in the plan)',
      definition: 'every comparison shown within its margin',
      metrics: PAGE_METRICS,
      targets: [],
    }
  );
}

const MONITOR_MINUTES: Readonly<Record<string, number>> = { week1: 15, week2: 30, week3: 60, week4: 1440 };

/** The plan's monitoring interval for a stage in minutes ("standard alerting" in week 4 read as daily). */
export function monitorEveryOf(stage: string): number {
  return MONITOR_MINUTES[stage] ?? 60;
}

/** The plan's stage order, used to name the next stage when the flag server's list is not at hand. */
export const PLAN_STAGES: readonly string[] = ['week1', 'week2', 'week3', 'week4'];

/** `3+ P1 bugs reported` is a hard rollback. */
export const P1_BUG_LIMIT = 3;

/** P1 bugs count when reported within this window before the check ("reported" read as recently). */
export const P1_WINDOW_MS = 24 * 3_600_000;

/** The plan's stages run Monday to Friday (Feb 10-14, ...): the length "users needed" is weighed against. */
export const PLANNED_STAGE_MS = 5 * 24 * 3_600_000;

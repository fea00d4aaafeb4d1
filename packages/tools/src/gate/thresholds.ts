// The plan's rollback triggers, success gates and monitoring intervals, as data. Why each threshold is read
// as absolute or relative is explained in gate/README.md ("Thresholds").
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
  /** A 0/1 per-user value (a rate): its variance gets the Agresti-Caffo adjustment (see decide.ts). */
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
      'latency like page load: trigger +10 %, "maintained" = within +5 % (the 100 ms budget is per session, in the SDK guard)',
  },
};

/** A stage's success gate: which metrics must be shown within their margin before advancing. */
export interface SuccessGate {
  description: string;
  metrics: readonly PageMetric[];
}

const GATES: Readonly<Record<string, SuccessGate>> = {
  week1: { description: 'error increase < 0.1 point', metrics: ['error-rate'] },
  week2: { description: 'performance maintained', metrics: ['fcp', 'theme-switch', 'memory'] },
  week3: { description: 'no conversion impact', metrics: ['conversion'] },
  week4: { description: 'all metrics improved or at least not worse', metrics: PAGE_METRICS },
};

/** The plan's success gate for a stage; a stage the plan does not name must show every metric not worse. */
export function successGateOf(stage: string): SuccessGate {
  return (
    GATES[stage] ?? { description: 'every metric not worse (stage not in the plan)', metrics: PAGE_METRICS }
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

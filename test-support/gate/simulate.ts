// A simulator of one stage's traffic at the level of sufficient statistics, to check the gate's error rates
// cheaply over many stages: users arrive over time, a stage's percentage of them are treatment, each user
// has a few sessions. Baselines from the plan's table: 0.1 % of users hit a JS error, FCP lognormal with
// p75 1.2 s, 3.2 % convert, theme switch p75 200 ms on v1 and 45 ms on v2 (the plan's "50ms achieved").
// At every look the running per-group moments go to the same `decideStage` the CLI uses, next to the
// naive fixed-threshold check that Argo Rollouts / Flagger-style analysis amounts to: a one-sided z-test
// at alpha 0.05 at every look. Running moments cannot be capped (a cap needs every value), so this
// path is uncapped; the event-level scenarios (scenarios.ts) run the whole pipeline, capping included.

import type { MetricEvent } from 'token-rollout/core';
import type { StageAggregate } from '../../packages/tools/src/gate/aggregate.js';
import { decideStage, type GateOptions } from '../../packages/tools/src/gate/evaluate.js';
import { PAGE_THRESHOLDS } from '../../packages/tools/src/gate/levels.js';
import { effectOf } from '../../packages/tools/src/gate/stats/effect.js';
import { normalQuantile } from '../../packages/tools/src/gate/stats/normal.js';
import { addPair, emptyRatioMoments, type RatioMoments } from '../../packages/tools/src/gate/stats/ratio.js';
import { pooled } from '../../packages/tools/src/gate/stats/stratify.js';
import { addValue, emptyMoments, type Moments } from '../../packages/tools/src/gate/stats/summary.js';
import { METRIC_RULES, PAGE_METRICS, type PageMetric } from '../../packages/tools/src/gate/thresholds.js';
import { quantile } from '../../src/quantile.js';
import type { Random } from '../random.js';
import { eventFor, type UserContext } from './event-builder.js';

/** One version's true behaviour. */
export interface ArmTruth {
  errorRate: number;
  conversionRate: number;
  fcpMedianMs: number;
  memoryMeanMb: number;
  themeSwitchMedianMs: number;
}

/** Lognormal spread of FCP per session (sigma of the log). */
export const FCP_SIGMA = 0.35;
/** Lognormal spread of one theme switch. */
export const THEME_SIGMA = 0.5;
const P75_Z = 0.6745;

/** The plan's v1 baselines (FCP p75 1.2 s and theme switch p75 200 ms, as medians of the lognormals). */
export const BASELINE: ArmTruth = {
  errorRate: 0.001,
  conversionRate: 0.032,
  fcpMedianMs: 1200 / Math.exp(FCP_SIGMA * P75_Z),
  memoryMeanMb: 60,
  themeSwitchMedianMs: 200 / Math.exp(THEME_SIGMA * P75_Z),
};

/** v2 as the plan reports it: like v1, but theme switch p75 45 ms (the "50ms achieved"). */
export const V2_BASELINE: ArmTruth = { ...BASELINE, themeSwitchMedianMs: 45 / Math.exp(THEME_SIGMA * P75_Z) };

/** A simulated stage: traffic, split, truth per group, and how often the gate looks. */
export interface StageScenario {
  stage: string;
  /** Share of arriving users in treatment, 0..100. */
  percentage: number;
  usersPerHour: number;
  peekEveryMinutes: number;
  peeks: number;
  control: ArmTruth;
  treatment: ArmTruth;
  /** Mean sessions per user (at least one). */
  sessionsMean: number;
  /** Share of users who switch theme at least once. */
  themeSwitchShare: number;
}

/** One user's draws: what their events would say once aggregated. */
export interface UserDraw {
  side: 'control' | 'treatment';
  errored: boolean;
  converted: boolean;
  fcpMs: number[];
  memoryMb: number;
  themeSwitchMs: number | null;
}

/** A Poisson draw (Knuth): small means only. */
export function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.uniform();
  while (p > limit) {
    k++;
    p *= random.uniform();
  }
  return k;
}

/** Draws one arriving user: group by the stage's percentage, then sessions and outcomes from its truth. */
export function drawUser(random: Random, scenario: StageScenario): UserDraw {
  const side = random.uniform() < scenario.percentage / 100 ? 'treatment' : 'control';
  const truth = scenario[side];
  const sessions = 1 + poisson(random, scenario.sessionsMean - 1);
  const fcpMs: number[] = [];
  for (let s = 0; s < sessions; s++) fcpMs.push(truth.fcpMedianMs * Math.exp(FCP_SIGMA * random.normal()));
  return {
    side,
    errored: random.uniform() < truth.errorRate,
    converted: random.uniform() < truth.conversionRate,
    fcpMs,
    memoryMb: truth.memoryMeanMb * Math.exp(0.2 * random.normal()),
    themeSwitchMs:
      random.uniform() < scenario.themeSwitchShare
        ? truth.themeSwitchMedianMs * Math.exp(THEME_SIGMA * random.normal())
        : null,
  };
}

/** What happened in one simulated stage. */
export interface StageOutcome {
  /** Look (1-based) at which the gate first said roll back, or null. */
  gatePeek: number | null;
  gateUsers: number | null;
  gateV2Users: number | null;
  /** The same for the naive check on every metric, and on the error rate alone. */
  naivePeek: number | null;
  naiveUsers: number | null;
  naiveErrorPeek: number | null;
  /** The gate's last decision (advance / hold / rollback) when it never rolled back. */
  finalDecision: string;
}

type GroupMoments = Record<PageMetric, { control: Moments; treatment: Moments }>;

interface Running {
  metrics: GroupMoments;
  errorRate: Moments;
  conversion: Moments;
  fcp: { users: number; loads: number; beyond: [RatioMoments, RatioMoments] };
  theme: { users: number; loads: number; beyond: [RatioMoments, RatioMoments] };
}

function emptyRunning(): Running {
  const both = () => ({ control: emptyMoments(), treatment: emptyMoments() });
  const loads = () => ({
    users: 0,
    loads: 0,
    beyond: [emptyRatioMoments(), emptyRatioMoments()] as [RatioMoments, RatioMoments],
  });
  return {
    metrics: {
      'error-rate': both(),
      conversion: both(),
      fcp: both(),
      memory: both(),
      'theme-switch': both(),
    },
    errorRate: emptyMoments(),
    conversion: emptyMoments(),
    fcp: loads(),
    theme: loads(),
  };
}

function countLoads(
  target: Running['fcp'],
  values: readonly number[],
  thresholds: readonly [number, number],
) {
  let over = 0;
  let atOrAbove = 0;
  for (const v of values) {
    if (v > thresholds[0]) over++;
    if (v >= thresholds[1]) atOrAbove++;
  }
  target.users++;
  target.loads += values.length;
  addPair(target.beyond[0], over, values.length);
  addPair(target.beyond[1], atOrAbove, values.length);
}

function addUser(r: Running, u: UserDraw): void {
  const m = r.metrics;
  addValue(m['error-rate'][u.side], u.errored ? 1 : 0);
  addValue(m.conversion[u.side], u.converted ? 1 : 0);
  let sum = 0;
  for (const v of u.fcpMs) sum += v;
  addValue(m.fcp[u.side], sum / u.fcpMs.length);
  addValue(m.memory[u.side], u.memoryMb);
  if (u.themeSwitchMs !== null) addValue(m['theme-switch'][u.side], u.themeSwitchMs);
  if (u.side === 'treatment') {
    // Treated users render v2 here: their loads are the absolute levels' inputs.
    addValue(r.errorRate, u.errored ? 1 : 0);
    addValue(r.conversion, u.converted ? 1 : 0);
    countLoads(r.fcp, u.fcpMs, PAGE_THRESHOLDS.fcp);
    if (u.themeSwitchMs !== null) countLoads(r.theme, [u.themeSwitchMs], PAGE_THRESHOLDS['theme-switch']);
  }
}

/**
 * The sufficient statistics of the running sums, one region, concurrent control; users are treated when
 * their bucket is below `percentage` (%), so the buckets bound it on both sides.
 */
export function aggregateOf(
  r: Running,
  stage: string,
  users: { control: number; treatment: number },
  lastAt: number,
  percentage: number,
): StageAggregate {
  const metrics = Object.fromEntries(
    PAGE_METRICS.map((m) => [m, { cap: null, strata: [{ stratum: 'AU', ...r.metrics[m] }] }]),
  ) as StageAggregate['metrics'];
  return {
    stage,
    metrics,
    families: [],
    levels: {
      pages: { fcp: { ...r.fcp, p75: null }, 'theme-switch': { ...r.theme, p75: null } },
      errorRate: r.errorRate,
      conversion: r.conversion,
    },
    users: {
      ...users,
      ineligible: 0,
      assignmentChanged: 0,
      optedOut: { treatment: 0, control: 0 },
      fellBack: 0,
      refunds: 0,
    },
    regions: ['AU'],
    firstAt: 0,
    lastAt,
    control: { kind: 'concurrent' },
    split: {
      ...users,
      treatmentMaxBucket: percentage / 100 - 1e-6,
      controlMinBucket: percentage / 100,
    },
  };
}

const NAIVE_Z = normalQuantile(0.95);

/** The naive check: a one-sided z-test at alpha 0.05 that treatment is worse, with no correction for peeking. */
export function naiveRollback(metric: PageMetric, control: Moments, treatment: Moments): boolean {
  const rule = METRIC_RULES[metric];
  // Same estimator as the gate (raw means, Agresti-Caffo variance for rates): only the peeking differs.
  const groups = pooled([{ stratum: 'all', control, treatment }], rule.binary, 'merge');
  const effect = effectOf(groups.control, groups.treatment, rule.scale);
  if (effect === null || effect.se === 0 || control.n < 2 || treatment.n < 2) return false;
  const harm = rule.worse === 'higher' ? effect.estimate : -effect.estimate;
  return harm / effect.se > NAIVE_Z;
}

/** Runs one stage: users arrive, and at every look the gate and the naive check look at all data so far. */
export function simulateStage(
  random: Random,
  scenario: StageScenario,
  options: GateOptions = {},
): StageOutcome {
  const running = emptyRunning();
  const perPeek = Math.round((scenario.usersPerHour * scenario.peekEveryMinutes) / 60);
  const outcome: StageOutcome = {
    gatePeek: null,
    gateUsers: null,
    gateV2Users: null,
    naivePeek: null,
    naiveUsers: null,
    naiveErrorPeek: null,
    finalDecision: 'hold',
  };
  const users = { control: 0, treatment: 0 };
  for (let peek = 1; peek <= scenario.peeks; peek++) {
    for (let i = 0; i < perPeek; i++) {
      const user = drawUser(random, scenario);
      addUser(running, user);
      users[user.side]++;
    }
    if (outcome.gatePeek === null) {
      const lastAt = peek * scenario.peekEveryMinutes * 60_000;
      const report = decideStage(
        aggregateOf(running, scenario.stage, users, lastAt, scenario.percentage),
        options,
      );
      outcome.finalDecision = report.decision.kind;
      if (report.decision.kind === 'rollback') {
        outcome.gatePeek = peek;
        outcome.gateUsers = users.control + users.treatment;
        outcome.gateV2Users = users.treatment;
      }
    }
    const m = running.metrics;
    if (
      outcome.naivePeek === null &&
      PAGE_METRICS.some((k) => naiveRollback(k, m[k].control, m[k].treatment))
    ) {
      outcome.naivePeek = peek;
      outcome.naiveUsers = users.control + users.treatment;
    }
    if (
      outcome.naiveErrorPeek === null &&
      naiveRollback('error-rate', m['error-rate'].control, m['error-rate'].treatment)
    ) {
      outcome.naiveErrorPeek = peek;
    }
    if (outcome.gatePeek !== null && outcome.naivePeek !== null && outcome.naiveErrorPeek !== null) break;
  }
  return outcome;
}

/** The plan's week 1 as simulated: 5 % of 4000 users an hour in AU/NZ, a look every 15 min, 200 looks (50 h). */
export function week1Scenario(treatment: Partial<ArmTruth> = {}): StageScenario {
  return {
    stage: 'week1',
    percentage: 5,
    usersPerHour: 4000,
    peekEveryMinutes: 15,
    peeks: 200,
    control: BASELINE,
    treatment: { ...V2_BASELINE, ...treatment },
    sessionsMean: 1.6,
    themeSwitchShare: 0.2,
  };
}

/** Summary of many simulated stages. */
export interface SimulationSummary {
  stages: number;
  gateRollbackRate: number;
  naiveRollbackRate: number;
  naiveErrorOnlyRollbackRate: number;
  medianUsersToGateRollback: number | null;
  medianV2UsersToGateRollback: number | null;
  medianUsersToNaiveRollback: number | null;
  /** How the gate ended in stages where it never rolled back. */
  finalDecisions: Record<string, number>;
}

/** The median of a list, or null when empty. */
export function median(values: number[]): number | null {
  return values.length === 0 ? null : quantile(values, 0.5);
}

/** Runs `stages` independent stages of a scenario and summarises rollback rates and users needed. */
export function simulateMany(
  random: Random,
  scenario: StageScenario,
  stages: number,
  options: GateOptions = {},
): SimulationSummary {
  const outcomes: StageOutcome[] = [];
  for (let i = 0; i < stages; i++) outcomes.push(simulateStage(random, scenario, options));
  const rate = (pick: (o: StageOutcome) => number | null) =>
    outcomes.filter((o) => pick(o) !== null).length / stages;
  const finalDecisions: Record<string, number> = {};
  for (const o of outcomes)
    if (o.gatePeek === null) finalDecisions[o.finalDecision] = (finalDecisions[o.finalDecision] ?? 0) + 1;
  const numbers = (pick: (o: StageOutcome) => number | null) =>
    outcomes.map(pick).filter((v): v is number => v !== null);
  return {
    stages,
    gateRollbackRate: rate((o) => o.gatePeek),
    naiveRollbackRate: rate((o) => o.naivePeek),
    naiveErrorOnlyRollbackRate: rate((o) => o.naiveErrorPeek),
    medianUsersToGateRollback: median(numbers((o) => o.gateUsers)),
    medianV2UsersToGateRollback: median(numbers((o) => o.gateV2Users)),
    medianUsersToNaiveRollback: median(numbers((o) => o.naiveUsers)),
    finalDecisions,
  };
}

/**
 * The same traffic as contract events (FCP per session, errors, conversions, memory, theme switches),
 * treatment users on `mixed` pages as in weeks 1-3, every event stamped with a receive time. Used to
 * check that the events path (evaluateGate) and the running sums agree.
 */
export function simulateEvents(
  random: Random,
  scenario: StageScenario,
  users: number,
  t0: number,
): MetricEvent[] {
  const events: MetricEvent[] = [];
  const spacing = 3_600_000 / scenario.usersPerHour;
  for (let id = 1; id <= users; id++) {
    const draw = drawUser(random, scenario);
    const ts = Math.round(t0 + id * spacing);
    const user: UserContext = {
      id,
      arm: draw.side === 'treatment' ? 'mixed' : 'v1',
      stage: scenario.stage,
      region: 'AU',
    };
    events.push(eventFor(user, 'page-view', 1, ts));
    for (const [s, fcp] of draw.fcpMs.entries())
      events.push(eventFor({ ...user, session: `s${id}-${s}` }, 'fcp', fcp, ts + s));
    events.push(eventFor(user, 'memory', draw.memoryMb, ts + 1));
    if (draw.errored) events.push(eventFor(user, 'js-error', 1, ts + 2));
    if (draw.converted) events.push(eventFor(user, 'conversion', 1, ts + 3));
    if (draw.themeSwitchMs !== null) events.push(eventFor(user, 'theme-switch', draw.themeSwitchMs, ts + 4));
  }
  return events;
}

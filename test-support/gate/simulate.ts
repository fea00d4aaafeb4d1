// A simulator of one stage's traffic, to check the gate's error rates: users arrive over time, a stage's
// percentage of them get v2, each user has a few sessions. Baselines from the plan: 0.1 % of users hit a JS
// error, FCP is lognormal around 1.2 s, 3.2 % convert. The gate is evaluated at every peek on the running
// per-arm summaries (the same decideStage the CLI uses), next to the naive fixed-threshold check that
// Argo Rollouts / Flagger-style analysis amounts to: a one-sided z-test at alpha 0.05 at every peek.
import type { MetricEvent } from 'token-rollout/core';
import type { StageAggregate } from '../../packages/tools/src/gate/aggregate.js';
import { adjustBinary } from '../../packages/tools/src/gate/decide.js';
import { decideStage, type GateOptions } from '../../packages/tools/src/gate/evaluate.js';
import { effectOf } from '../../packages/tools/src/gate/stats/effect.js';
import { normalQuantile } from '../../packages/tools/src/gate/stats/normal.js';
import {
  addValue,
  emptyMoments,
  type Moments,
  summaryOfMoments,
} from '../../packages/tools/src/gate/stats/summary.js';
import { METRIC_RULES, PAGE_METRICS, type PageMetric } from '../../packages/tools/src/gate/thresholds.js';
import type { Random } from '../random.js';
import { eventFor, type UserContext } from './event-builder.js';

/** One arm's true behaviour. */
export interface ArmTruth {
  errorRate: number;
  conversionRate: number;
  fcpMedianMs: number;
  memoryMeanMb: number;
  themeSwitchMedianMs: number;
}

/** The plan's v1 baselines. */
export const BASELINE: ArmTruth = {
  errorRate: 0.001,
  conversionRate: 0.032,
  fcpMedianMs: 1200,
  memoryMeanMb: 60,
  themeSwitchMedianMs: 200,
};

/** A simulated stage: traffic, split, truth per arm, and how often the gate looks. */
export interface StageScenario {
  stage: string;
  /** Share of arriving users on v2, 0..100. */
  percentage: number;
  usersPerHour: number;
  peekEveryMinutes: number;
  peeks: number;
  v1: ArmTruth;
  v2: ArmTruth;
  /** Mean sessions per user (at least one). */
  sessionsMean: number;
  /** Share of users who switch theme at least once. */
  themeSwitchShare: number;
}

/** One user's draws: what their events would say once aggregated. */
export interface UserDraw {
  side: 'v1' | 'v2';
  errored: boolean;
  converted: boolean;
  fcpMs: number[];
  memoryMb: number;
  themeSwitchMs: number | null;
}

function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.uniform();
  while (p > limit) {
    k++;
    p *= random.uniform();
  }
  return k;
}

/** Draws one arriving user: arm by the stage's percentage, then sessions and outcomes from that arm's truth. */
export function drawUser(random: Random, scenario: StageScenario): UserDraw {
  const side = random.uniform() < scenario.percentage / 100 ? 'v2' : 'v1';
  const truth = side === 'v2' ? scenario.v2 : scenario.v1;
  const sessions = 1 + poisson(random, scenario.sessionsMean - 1);
  const fcpMs: number[] = [];
  // Lognormal FCP with sigma 0.35: a median of 1.2 s puts about 40 % of sessions above 1.3 s.
  for (let s = 0; s < sessions; s++) fcpMs.push(truth.fcpMedianMs * Math.exp(0.35 * random.normal()));
  return {
    side,
    errored: random.uniform() < truth.errorRate,
    converted: random.uniform() < truth.conversionRate,
    fcpMs,
    memoryMb: truth.memoryMeanMb * (1 + 0.2 * random.normal()),
    themeSwitchMs:
      random.uniform() < scenario.themeSwitchShare
        ? truth.themeSwitchMedianMs * Math.exp(0.5 * random.normal())
        : null,
  };
}

/** What happened in one simulated stage. */
export interface StageOutcome {
  /** Peek (1-based) at which the gate first said roll back, or null. */
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

type ArmMoments = Record<PageMetric, Record<'v1' | 'v2', Moments>>;

function emptyArmMoments(): ArmMoments {
  const both = () => ({ v1: emptyMoments(), v2: emptyMoments() });
  return { 'error-rate': both(), conversion: both(), fcp: both(), memory: both(), 'theme-switch': both() };
}

function addUser(m: ArmMoments, u: UserDraw): void {
  addValue(m['error-rate'][u.side], u.errored ? 1 : 0);
  addValue(m.conversion[u.side], u.converted ? 1 : 0);
  let sum = 0;
  for (const v of u.fcpMs) sum += v;
  addValue(m.fcp[u.side], sum / u.fcpMs.length);
  addValue(m.memory[u.side], u.memoryMb);
  if (u.themeSwitchMs !== null) addValue(m['theme-switch'][u.side], u.themeSwitchMs);
}

const NAIVE_Z = normalQuantile(0.95);

/** The naive check: a one-sided z-test at alpha 0.05 that v2 is worse, with no correction for peeking. */
export function naiveRollback(metric: PageMetric, v1: Moments, v2: Moments): boolean {
  const rule = METRIC_RULES[metric];
  // Same estimator as the gate (Agresti-Caffo for rates), so the only difference is the peeking correction.
  const a = summaryOfMoments(v1);
  const b = summaryOfMoments(v2);
  const effect = effectOf(rule.binary ? adjustBinary(a) : a, rule.binary ? adjustBinary(b) : b, rule.scale);
  if (effect === null || effect.se === 0 || v1.n < 2 || v2.n < 2) return false;
  const harm = rule.worse === 'higher' ? effect.estimate : -effect.estimate;
  return harm / effect.se > NAIVE_Z;
}

/** Runs one stage: users arrive, and at every peek the gate and the naive check look at all data so far. */
export function simulateStage(
  random: Random,
  scenario: StageScenario,
  options: GateOptions = {},
): StageOutcome {
  const moments = emptyArmMoments();
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
  let v1Users = 0;
  let v2Users = 0;
  for (let peek = 1; peek <= scenario.peeks; peek++) {
    for (let i = 0; i < perPeek; i++) {
      const user = drawUser(random, scenario);
      addUser(moments, user);
      if (user.side === 'v1') v1Users++;
      else v2Users++;
    }
    if (outcome.gatePeek === null) {
      const aggregate: StageAggregate = {
        stage: scenario.stage,
        metrics: Object.fromEntries(
          PAGE_METRICS.map((m) => [
            m,
            { v1: summaryOfMoments(moments[m].v1), v2: summaryOfMoments(moments[m].v2) },
          ]),
        ) as StageAggregate['metrics'],
        families: [],
        users: { v1: v1Users, v2: v2Users, optedOut: 0, outsideRegions: 0 },
        regions: [],
        firstTs: 0,
        lastTs: peek * scenario.peekEveryMinutes * 60_000,
      };
      const report = decideStage(aggregate, options);
      outcome.finalDecision = report.decision.kind;
      if (report.decision.kind === 'rollback') {
        outcome.gatePeek = peek;
        outcome.gateUsers = v1Users + v2Users;
        outcome.gateV2Users = v2Users;
      }
    }
    if (
      outcome.naivePeek === null &&
      PAGE_METRICS.some((m) => naiveRollback(m, moments[m].v1, moments[m].v2))
    ) {
      outcome.naivePeek = peek;
      outcome.naiveUsers = v1Users + v2Users;
    }
    if (
      outcome.naiveErrorPeek === null &&
      naiveRollback('error-rate', moments['error-rate'].v1, moments['error-rate'].v2)
    ) {
      outcome.naiveErrorPeek = peek;
    }
    if (outcome.gatePeek !== null && outcome.naivePeek !== null && outcome.naiveErrorPeek !== null) break;
  }
  return outcome;
}

/** The plan's week 1 as simulated: 5 % of 4000 users an hour in AU/NZ, peeking every 15 min, 200 peeks (50 h). */
export function week1Scenario(v2: Partial<ArmTruth> = {}): StageScenario {
  return {
    stage: 'week1',
    percentage: 5,
    usersPerHour: 4000,
    peekEveryMinutes: 15,
    peeks: 200,
    v1: BASELINE,
    v2: { ...BASELINE, ...v2 },
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

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
 * The same traffic as contract events (page views, FCP per session, errors, conversions, memory, theme
 * switches), with v2 users on `mixed` pages as in weeks 1-3. Used to check that the events path
 * (evaluateGate) and the simulator's running sums agree.
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
      arm: draw.side === 'v2' ? 'mixed' : 'v1',
      stage: scenario.stage,
      region: 'AU',
    };
    events.push(eventFor(user, 'page-view', 1, ts));
    for (const [s, fcp] of draw.fcpMs.entries()) {
      events.push(eventFor({ ...user, session: `s${id}-${s}` }, 'fcp', fcp, ts + s));
    }
    events.push(eventFor(user, 'memory', draw.memoryMb, ts + 1));
    if (draw.errored) events.push(eventFor(user, 'js-error', 1, ts + 2));
    if (draw.converted) events.push(eventFor(user, 'conversion', 1, ts + 3));
    if (draw.themeSwitchMs !== null) events.push(eventFor(user, 'theme-switch', draw.themeSwitchMs, ts + 4));
  }
  return events;
}

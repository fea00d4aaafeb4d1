// The gate's measured scenarios (issue 14), each over many simulated stages with a look every 15 minutes,
// through the whole pipeline: events -> screen -> per-user records -> capping -> stratification ->
// decision. `npm run bench -- gate` runs them at full size; simulation.test.ts at a smaller one.
import type { MetricEvent } from 'token-rollout/core';
import { evaluateTally, type GateOptions } from '../../packages/tools/src/gate/evaluate.js';
import type { GateReport } from '../../packages/tools/src/gate/report.js';
import type { Clock } from '../../packages/tools/src/gate/screen.js';
import { addAllToTally, createTally, type Tally } from '../../packages/tools/src/gate/tally.js';
import type { Random } from '../random.js';
import { BASELINE, V2_BASELINE } from './simulate.js';
import { createTraffic, type TrafficScenario, trafficScenario } from './traffic.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Week 1 starts Monday Feb 10, 2026, as in the plan. */
export const T0 = Date.UTC(2026, 1, 10, 0, 0, 0);
const LOOK = 15 * MINUTE;

/** What one stage's looks saw. */
export interface StageRun {
  /** Look (1-based) of the first rollback, or null. */
  rollbackLook: number | null;
  /** The FCP comparison (not only some trigger) said roll back at some look. */
  fcpRollback: boolean;
  last: GateReport;
}

/**
 * When a stage's looks may stop: never (false-rollback runs look to the end), at the first rollback, or
 * once the FCP comparison itself said roll back (detection runs: another trigger, such as the FCP p75
 * level, may fire first, and the figure is whether the comparison finds the regression).
 */
export type StopAt = 'end' | 'rollback' | 'fcp-rollback';

/** Feeds `traffic` look by look into `tally` and evaluates at each look. */
function runLooks(
  tally: Tally,
  traffic: ReturnType<typeof createTraffic>,
  start: number,
  looks: number,
  options: GateOptions,
  stopAt: StopAt,
): StageRun {
  let run: StageRun | null = null;
  let rollbackLook: number | null = null;
  let fcpRollback = false;
  for (let look = 1; look <= looks; look++) {
    addAllToTally(tally, traffic.until(start + look * LOOK));
    const report = evaluateTally(tally, options);
    if (report.metrics.find((m) => m.metric === 'fcp')?.status.kind === 'rollback') fcpRollback = true;
    if (report.decision.kind === 'rollback' && rollbackLook === null) rollbackLook = look;
    run = { rollbackLook, fcpRollback, last: report };
    if ((stopAt === 'rollback' && rollbackLook !== null) || (stopAt === 'fcp-rollback' && fcpRollback)) break;
  }
  return run!;
}

const AU_NZ = [
  { code: 'AU', usersPerHour: 1400, eligible: true, fcpFactor: 1 },
  { code: 'NZ', usersPerHour: 600, eligible: true, fcpFactor: 1.1 },
];

/** A/A in week 1 with v1 everywhere, plus US traffic outside the stage of which a few users render v2. */
export function regionConfoundScenario(): TrafficScenario {
  return trafficScenario({
    stage: 'week1',
    percentage: 5,
    regions: [
      { code: 'AU', usersPerHour: 560, eligible: true, fcpFactor: 1 },
      { code: 'NZ', usersPerHour: 240, eligible: true, fcpFactor: 1.1 },
      { code: 'US', usersPerHour: 200, eligible: false, fcpFactor: 1.3 },
    ],
    treatedArm: 'v1',
    v1: BASELINE,
    v2: BASELINE,
    strayV2Share: 0.01,
  });
}

/** Week 1 with a true +10 % page load on v2, the slowest 5 % of treated users falling back before any event. */
export function fallbackBiasScenario(): TrafficScenario {
  return trafficScenario({
    stage: 'week1',
    percentage: 5,
    regions: AU_NZ,
    v1: BASELINE,
    v2: { ...V2_BASELINE, fcpMedianMs: V2_BASELINE.fcpMedianMs * 1.1 },
    fallbackSlowestShare: 0.05,
  });
}

const ALL_EXCEPT_US = [
  { code: 'AU', usersPerHour: 300, eligible: true, fcpFactor: 1 },
  { code: 'NZ', usersPerHour: 100, eligible: true, fcpFactor: 1.1 },
  { code: 'CA', usersPerHour: 300, eligible: true, fcpFactor: 1.05 },
  { code: 'GB', usersPerHour: 300, eligible: true, fcpFactor: 0.95 },
];

/** Week 3 (50 % of all regions but the US), the week 4 runs' historical control. */
export function week3History(): TrafficScenario {
  return trafficScenario({
    stage: 'week3',
    percentage: 50,
    regions: [...ALL_EXCEPT_US, { code: 'US', usersPerHour: 1000, eligible: false, fcpFactor: 1.2 }],
    v1: BASELINE,
    v2: V2_BASELINE,
  });
}

/** Week 4 at 100 % of all regions with a true +10 % page load and 0.5 % of treated users falling back. */
export function week4Scenario(): TrafficScenario {
  return trafficScenario({
    stage: 'week4',
    percentage: 100,
    regions: [...ALL_EXCEPT_US, { code: 'US', usersPerHour: 1000, eligible: true, fcpFactor: 1.2 }],
    treatedArm: 'v2',
    v1: BASELINE,
    v2: { ...V2_BASELINE, fcpMedianMs: V2_BASELINE.fcpMedianMs * 1.1 },
    fallbackSlowestShare: 0.005,
  });
}

/** A stage of 3,000 users at 50 % with a true +15 % page load and one control page load of 1,000,000 ms. */
export function outlierScenario(): TrafficScenario {
  return trafficScenario({
    stage: 'week3',
    percentage: 50,
    regions: [{ code: 'AU', usersPerHour: 500, eligible: true, fcpFactor: 1 }],
    v1: BASELINE,
    v2: { ...V2_BASELINE, fcpMedianMs: V2_BASELINE.fcpMedianMs * 1.15 },
    outlier: { nthControlUser: 20, fcpMs: 1_000_000 },
  });
}

/** Week 2 (25 %, AU/NZ/CA), no true difference, regions whose page loads differ by up to 30 %. */
export function stratificationScenario(): TrafficScenario {
  return trafficScenario({
    stage: 'week2',
    percentage: 25,
    regions: [
      { code: 'AU', usersPerHour: 1200, eligible: true, fcpFactor: 1 },
      { code: 'NZ', usersPerHour: 400, eligible: true, fcpFactor: 1.3 },
      { code: 'CA', usersPerHour: 400, eligible: true, fcpFactor: 1.15 },
    ],
    v1: BASELINE,
    v2: V2_BASELINE,
  });
}

/** Rates over many stages of one scenario. */
export interface ScenarioResult {
  stages: number;
  looks: number;
  /** Stages with any rollback. */
  rollbackRate: number;
  /** Stages where the FCP comparison itself said roll back. */
  fcpRollbackRate: number;
  /** Median look of the first rollback (15-minute looks). */
  medianRollbackLook: number | null;
  /** Mean var(stratified) / var(unstratified) of the FCP effect at the last look. */
  fcpVarianceRatio: number | null;
  seconds: number;
}

function summarize(runs: StageRun[], looks: number, started: number): ScenarioResult {
  const looksAt = runs
    .map((r) => r.rollbackLook)
    .filter((l): l is number => l !== null)
    .sort((a, b) => a - b);
  const ratios = runs
    .map((r) => r.last.metrics.find((m) => m.metric === 'fcp')?.stratification.varianceRatio ?? null)
    .filter((x): x is number => x !== null);
  return {
    stages: runs.length,
    looks,
    rollbackRate: looksAt.length / runs.length,
    fcpRollbackRate: runs.filter((r) => r.fcpRollback).length / runs.length,
    medianRollbackLook: looksAt.length === 0 ? null : looksAt[Math.floor(looksAt.length / 2)]!,
    fcpVarianceRatio: ratios.length === 0 ? null : ratios.reduce((a, b) => a + b, 0) / ratios.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Runs `stages` stages of `scenario` with `looks` looks each (after `history`, if any, has run its course). */
export function runScenario(
  random: Random,
  scenario: TrafficScenario,
  stages: number,
  looks: number,
  options: { stopAt: StopAt; history?: { scenario: TrafficScenario; hours: number } },
): ScenarioResult {
  const started = performance.now();
  const runs: StageRun[] = [];
  for (let i = 0; i < stages; i++) {
    const tally = createTally('server');
    let start = T0;
    if (options.history) {
      const past = createTraffic(random, options.history.scenario, start, 10_000_000);
      start += options.history.hours * HOUR;
      addAllToTally(tally, past.until(start));
    }
    const traffic = createTraffic(random, scenario, start, 0);
    runs.push(runLooks(tally, traffic, start, looks, { stage: scenario.stage }, options.stopAt));
  }
  return summarize(runs, looks, started);
}

/** Result of the clock-skew runs: decisions that changed because client clocks were wrong. */
export interface ClockSkewResult {
  stages: number;
  looks: number;
  /** Looks whose (stage judged, decision) differs from the same data with right clocks: server time. */
  wrongDecisions: number;
  /** The same when the events carry no receive time and the gate must use client clocks. */
  wrongDecisionsClientClock: number;
  /** Looks where the server-time gate judged the live stage (week 2). */
  liveStageJudged: number;
  seconds: number;
}

function withoutReceivedAt(events: MetricEvent[]): MetricEvent[] {
  return events.map(({ receivedAt: _r, ...rest }) => rest);
}

function withTrueClock(events: MetricEvent[]): MetricEvent[] {
  return events.map((e) => ({ ...e, ts: e.receivedAt! }));
}

const key = (r: GateReport) => `${r.stage}:${r.decision.kind}`;

/**
 * Week 1 ran 4 hours and ended; week 2 is live and the gate looks every 15 minutes without --stage (the
 * stage judged is the latest by time). 5 % of users' clocks are off by ±30 h or 400 h; half the stages
 * have a true +20 % page load in week 2. Each look is evaluated four ways: server or client time, with the
 * skewed or the right clocks, and decisions are compared within each.
 */
export function runClockSkew(random: Random, stages: number, looks: number): ClockSkewResult {
  const started = performance.now();
  let wrong = 0;
  let wrongClient = 0;
  let live = 0;
  // Week 1's wrong clocks include one 400 h fast (a week-1 event "later" than all of week 2); week 2's
  // include one 400 h slow (a stage that "ran" for weeks).
  const skew1 = { share: 0.05, offsetsMs: [-30 * HOUR, 30 * HOUR, 400 * HOUR] };
  const skew2 = { share: 0.05, offsetsMs: [-30 * HOUR, 30 * HOUR, -400 * HOUR] };
  for (let i = 0; i < stages; i++) {
    const regions = [
      { code: 'AU', usersPerHour: 300, eligible: true, fcpFactor: 1 },
      { code: 'NZ', usersPerHour: 100, eligible: true, fcpFactor: 1.1 },
    ];
    const week1 = createTraffic(
      random,
      trafficScenario({
        stage: 'week1',
        percentage: 5,
        regions,
        v1: BASELINE,
        v2: V2_BASELINE,
        clockSkew: skew1,
      }),
      T0,
      10_000_000,
    );
    const regressed = i % 2 === 0;
    const v2 = regressed ? { ...V2_BASELINE, fcpMedianMs: V2_BASELINE.fcpMedianMs * 1.2 } : V2_BASELINE;
    const start = T0 + 4 * HOUR;
    const week2 = createTraffic(
      random,
      trafficScenario({ stage: 'week2', percentage: 25, regions, v1: BASELINE, v2, clockSkew: skew2 }),
      start,
      0,
    );
    const tallies = {
      server: createTally('server'),
      serverTrue: createTally('server'),
      client: createTally('client' satisfies Clock),
      clientTrue: createTally('client'),
    };
    const feed = (events: MetricEvent[]) => {
      addAllToTally(tallies.server, events);
      addAllToTally(tallies.serverTrue, withTrueClock(events));
      addAllToTally(tallies.client, withoutReceivedAt(events));
      addAllToTally(tallies.clientTrue, withoutReceivedAt(withTrueClock(events)));
    };
    feed(week1.until(start));
    for (let look = 1; look <= looks; look++) {
      feed(week2.until(start + look * LOOK));
      const judge = (t: Tally) => evaluateTally(t, {});
      const server = judge(tallies.server);
      if (key(server) !== key(judge(tallies.serverTrue))) wrong++;
      if (key(judge(tallies.client)) !== key(judge(tallies.clientTrue))) wrongClient++;
      if (server.stage === 'week2') live++;
    }
  }
  return {
    stages,
    looks,
    wrongDecisions: wrong,
    wrongDecisionsClientClock: wrongClient,
    liveStageJudged: live,
    seconds: (performance.now() - started) / 1000,
  };
}

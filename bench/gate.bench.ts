// `npm run bench -- gate [--quick]`: the gate's error rates by simulation.
// 1. Week 1 at the level of sufficient statistics (many stages, cheap): the gate's false rollbacks and
//    detection next to the naive fixed-threshold check (one-sided z-test at alpha 0.05 on every look).
// 2. Issue 14's scenarios at the level of events, through the whole pipeline (assignment, server time,
//    capping, stratification): region confounding, fallback bias, week 4's historical control, clock skew,
//    an outlier, and the variance stratification saves. Every scenario looks every 15 minutes.
// 3. The sample ratio check (gate/stats/sample-ratio.ts) on users arriving one by one: its false alarms
//    over a whole stage however often it looks, and how many users it takes to find treated users lost.

import { SRM_ALPHA } from '../packages/tools/src/gate/stats/sample-ratio.js';
import { usersToMismatch } from '../test-support/gate/sample-ratio-sim.js';
import {
  fallbackBiasScenario,
  outlierScenario,
  regionConfoundScenario,
  runClockSkew,
  runScenario,
  type ScenarioResult,
  stratificationScenario,
  week3History,
  week4Scenario,
} from '../test-support/gate/scenarios.js';
import {
  BASELINE,
  type SimulationSummary,
  simulateMany,
  week1Scenario,
} from '../test-support/gate/simulate.js';
import { seededRandom } from '../test-support/random.js';
import type { BenchContext } from './run.js';

function row(name: string, s: SimulationSummary, ms: number): Record<string, unknown> {
  return {
    scenario: name,
    stages: s.stages,
    'gate rollbacks': `${(s.gateRollbackRate * 100).toFixed(1)} %`,
    'naive rollbacks (5 metrics)': `${(s.naiveRollbackRate * 100).toFixed(1)} %`,
    'naive rollbacks (errors only)': `${(s.naiveErrorOnlyRollbackRate * 100).toFixed(1)} %`,
    'median users to gate rollback': s.medianUsersToGateRollback ?? '–',
    'median treated users': s.medianV2UsersToGateRollback ?? '–',
    'median users to naive rollback': s.medianUsersToNaiveRollback ?? '–',
    seconds: (ms / 1000).toFixed(1),
  };
}

function eventRow(name: string, r: ScenarioResult, figure: string): Record<string, unknown> {
  return {
    scenario: name,
    stages: r.stages,
    looks: r.looks,
    'any rollback': `${(r.rollbackRate * 100).toFixed(1)} %`,
    'FCP comparison rollback': `${(r.fcpRollbackRate * 100).toFixed(1)} %`,
    'median look of rollback': r.medianRollbackLook ?? '–',
    'FCP var strat/plain': r.fcpVarianceRatio === null ? '–' : r.fcpVarianceRatio.toFixed(3),
    figure,
    seconds: r.seconds.toFixed(1),
  };
}

/** Runs the scenarios, prints the tables and returns the figures for bench/results/gate.json. */
export default async function gateBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const nullStages = quick ? 100 : 400;
  const regressionStages = quick ? 50 : 200;
  const eventStages = 100;
  const scenarios = [
    { name: 'no difference (A/A)', truth: {}, stages: nullStages, seed: 101 },
    {
      name: 'errors 0.1 % -> 0.6 % (+0.5 pt)',
      truth: { errorRate: 0.006 },
      stages: regressionStages,
      seed: 202,
    },
    {
      name: 'errors 0.1 % -> 0.35 % (+0.25 pt, half the trigger)',
      truth: { errorRate: 0.0035 },
      stages: regressionStages,
      seed: 303,
    },
    {
      name: 'FCP +15 % (p75 1.2 s -> 1.38 s)',
      truth: { fcpMedianMs: BASELINE.fcpMedianMs * 1.15 },
      stages: regressionStages,
      seed: 404,
    },
  ];
  const results: { name: string; summary: SimulationSummary; ms: number }[] = [];
  for (const s of scenarios) {
    const start = performance.now();
    const summary = simulateMany(seededRandom(s.seed), week1Scenario(s.truth), s.stages);
    results.push({ name: s.name, summary, ms: performance.now() - start });
  }
  ctx.table(
    'gate vs naive fixed threshold: week 1, 5 % of 4000 users/h, a look every 15 min, 200 looks (50 h) per stage',
    results.map((r) => row(r.name, r.summary, r.ms)),
  );

  const regionConfound = runScenario(seededRandom(501), regionConfoundScenario(), eventStages, 96, {
    stopAt: 'end',
  });
  const fallbackBias = runScenario(seededRandom(502), fallbackBiasScenario(), eventStages, 96, {
    stopAt: 'fcp-rollback',
  });
  const week4 = runScenario(seededRandom(503), week4Scenario(), eventStages, 96, {
    stopAt: 'fcp-rollback',
    history: { scenario: week3History(), hours: 6 },
  });
  const outlier = runScenario(seededRandom(504), outlierScenario(), eventStages, 24, {
    stopAt: 'fcp-rollback',
  });
  const stratification = runScenario(seededRandom(505), stratificationScenario(), eventStages, 12, {
    stopAt: 'end',
  });
  const clockSkew = runClockSkew(seededRandom(506), eventStages, 8);
  ctx.table('issue 14 scenarios, events through the whole pipeline, a look every 15 min', [
    eventRow('A/A, v1 everywhere, 1 % of US (outside the stage) on v2', regionConfound, 'false rollbacks'),
    eventRow('week 1, FCP +10 %, slowest 5 % of treated fall back', fallbackBias, 'detection'),
    eventRow('week 4 at 100 %, FCP +10 %, 0.5 % fall back, week 3 control', week4, 'detection'),
    eventRow('3,000 users, FCP +15 %, one 1,000,000 ms load', outlier, 'detection'),
    eventRow('week 2, A/A, regions differ by 30 %', stratification, 'variance ratio'),
  ]);
  ctx.table('clock skew: 5 % of clocks off by ±30 h or 400 h, no --stage', [
    {
      stages: clockSkew.stages,
      looks: clockSkew.looks,
      'wrong decisions (server time)': clockSkew.wrongDecisions,
      'wrong decisions (client clocks)': clockSkew.wrongDecisionsClientClock,
      'looks judging the live stage': clockSkew.liveStageJudged,
      seconds: clockSkew.seconds.toFixed(1),
    },
  ]);
  const srm = sampleRatioFigures(quick ? 200 : 1000, quick ? 30 : 100);
  ctx.table(
    'sample ratio check: false alarms over a stage (a look every 250 users, 20,000 users)',
    srm.falseAlarms.map((f) => ({ percentage: f.percentage, alpha: f.alpha, 'false alarm rate': f.rate })),
  );
  ctx.table(
    `sample ratio check: users until a loss of treated users is found (alpha ${SRM_ALPHA}, a look every 500 users)`,
    srm.detection.map((d) => ({
      percentage: d.percentage,
      'treated lost': d.lost,
      found: d.rate,
      'median users': d.medianUsers ?? '–',
    })),
  );
  const [aa, regression] = results;
  return {
    falseRollbackRate: aa!.summary.gateRollbackRate,
    naiveFalseRollbackRate: aa!.summary.naiveRollbackRate,
    naiveErrorOnlyFalseRollbackRate: aa!.summary.naiveErrorOnlyRollbackRate,
    detectionRate: regression!.summary.gateRollbackRate,
    medianUsersToDetect: regression!.summary.medianUsersToGateRollback,
    medianV2UsersToDetect: regression!.summary.medianV2UsersToGateRollback,
    naiveMedianUsersToDetect: regression!.summary.medianUsersToNaiveRollback,
    regionConfoundFalseRollbackRate: regionConfound.rollbackRate,
    fallbackBiasDetectionRate: fallbackBias.fcpRollbackRate,
    week4DetectionRate: week4.fcpRollbackRate,
    clockSkewWrongDecisions: clockSkew.wrongDecisions,
    clockSkewWrongDecisionsClientClock: clockSkew.wrongDecisionsClientClock,
    outlierDetectionRate: outlier.fcpRollbackRate,
    stratificationVarianceRatio: stratification.fcpVarianceRatio,
    sampleRatio: srm,
    settings: {
      stage: 'week1',
      percentage: 5,
      usersPerHour: 4000,
      peekEveryMinutes: 15,
      peeks: 200,
      alpha: 0.05,
      comparisons: 'Bonferroni over 5 comparisons + 4 plan levels (+ families in the event scenarios)',
      targetUsers: 100_000,
      naive: 'one-sided z-test at alpha 0.05 per metric per peek, no correction',
      detection: 'event scenarios: the FCP comparison itself said roll back at some look',
    },
    scenarios: results.map((r) => ({ name: r.name, ...r.summary, seconds: r.ms / 1000 })),
    eventScenarios: {
      regionConfound,
      fallbackBias,
      week4,
      outlier,
      stratification,
      clockSkew,
    },
  };
}

/** The sample ratio check's error rates: false alarms under the null, and users until a loss is found. */
function sampleRatioFigures(stages: number, lossStages: number) {
  const falseAlarms = (
    [
      [0.05, 0.05],
      [0.5, 0.05],
      [0.01, 0.05],
      [0.05, SRM_ALPHA],
    ] as const
  ).map(([percentage, alpha]) => {
    let alarms = 0;
    for (let seed = 1; seed <= stages; seed++) {
      if (usersToMismatch(seed, percentage, 0, 80, 250, alpha) !== null) alarms++;
    }
    return { percentage, alpha, stages, rate: alarms / stages };
  });
  const detection = (
    [
      [0.05, 0.1],
      [0.05, 0.2],
      [0.05, 0.3],
      [0.25, 0.1],
      [0.01, 0.3],
    ] as const
  ).map(([percentage, lost]) => {
    const found: number[] = [];
    for (let seed = 1; seed <= lossStages; seed++) {
      const users = usersToMismatch(5000 + seed, percentage, lost, 400, 500);
      if (users !== null) found.push(users);
    }
    found.sort((a, b) => a - b);
    return {
      percentage,
      lost,
      stages: lossStages,
      rate: found.length / lossStages,
      medianUsers: found.length > 0 ? found[Math.floor(found.length / 2)]! : null,
    };
  });
  return {
    falseAlarms,
    detection,
    looks: 'false alarms: 80 looks of 250 users; detection: up to 400 looks of 500 users',
  };
}

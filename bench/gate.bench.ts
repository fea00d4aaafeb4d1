// `npm run bench -- gate [--quick]`: the gate's false rollbacks and detection by simulation, next to the
// naive fixed-threshold check (one-sided z-test at alpha 0.05 on every peek) on the same simulated data.
// Week 1 as the plan has it: 5 % of users on v2, checked every 15 minutes, 200 checks per stage.

import { type SimulationSummary, simulateMany, week1Scenario } from '../test-support/gate/simulate.js';
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
    'median v2 users': s.medianV2UsersToGateRollback ?? '–',
    'median users to naive rollback': s.medianUsersToNaiveRollback ?? '–',
    seconds: (ms / 1000).toFixed(1),
  };
}

/** Runs the scenarios, prints the table and returns the figures for bench/results/gate.json. */
export default async function gateBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const nullStages = quick ? 100 : 400;
  const regressionStages = quick ? 50 : 200;
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
      name: 'FCP +15 % (1.2 s -> 1.38 s)',
      truth: { fcpMedianMs: 1380 },
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
    'gate vs naive fixed threshold: week 1, 5 % of 4000 users/h, a check every 15 min, 200 checks (50 h) per stage',
    results.map((r) => row(r.name, r.summary, r.ms)),
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
    settings: {
      stage: 'week1',
      percentage: 5,
      usersPerHour: 4000,
      peekEveryMinutes: 15,
      peeks: 200,
      alpha: 0.05,
      alphaPerComparison: 0.01,
      targetUsers: 100_000,
      naive: 'one-sided z-test at alpha 0.05 per metric per peek, no correction',
    },
    scenarios: results.map((r) => ({ name: r.name, ...r.summary, seconds: r.ms / 1000 })),
  };
}

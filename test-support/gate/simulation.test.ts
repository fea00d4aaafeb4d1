// Verification by simulation (fixed seeds, smaller than the bench): the gate's false rollbacks with no
// true difference, its detection of regressions, and issue 14's scenarios through the whole event
// pipeline. The full-size run is `npm run bench -- gate`.
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../packages/tools/src/gate/evaluate.js';
import { seededRandom } from '../random.js';
import {
  fallbackBiasScenario,
  outlierScenario,
  regionConfoundScenario,
  runClockSkew,
  runScenario,
  stratificationScenario,
  week3History,
  week4Scenario,
} from './scenarios.js';
import { simulateEvents, simulateMany, week1Scenario } from './simulate.js';

describe('simulated week 1 (5 % of 4000 users/h, a look every 15 min, 200 looks)', () => {
  it('rolls back at most 5 % of stages with no true difference, where the naive check rolls back far more', () => {
    const result = simulateMany(seededRandom(7), week1Scenario(), 30);
    expect(result.gateRollbackRate).toBeLessThanOrEqual(0.05);
    expect(result.naiveRollbackRate).toBeGreaterThan(result.gateRollbackRate + 0.3);
  });

  it('catches a +0.5 point error-rate regression (0.1 % -> 0.6 %) in every stage', () => {
    const result = simulateMany(seededRandom(11), week1Scenario({ errorRate: 0.006 }), 20);
    expect(result.gateRollbackRate).toBe(1);
    expect(result.medianUsersToGateRollback!).toBeLessThan(200_000);
  });

  it('decides the same from contract events (evaluateGate): per-user rates, by assignment', () => {
    const scenario = week1Scenario({ errorRate: 0.04 });
    const events = simulateEvents(
      seededRandom(3),
      { ...scenario, percentage: 30 },
      6000,
      Date.UTC(2026, 1, 10),
    );
    const report = evaluateGate(events, { minDurationMs: 0 });
    const errors = report.metrics.find((m) => m.metric === 'error-rate')!;
    expect(report.users.treatment + report.users.control).toBe(6000);
    const treated = new Set(events.filter((e) => e.assignment === 'treatment').map((e) => e.user));
    const treatedErrored = new Set(
      events.filter((e) => e.assignment === 'treatment' && e.name === 'js-error').map((e) => e.user),
    );
    expect(errors.treatment.n).toBe(treated.size);
    expect(errors.treatment.mean).toBeCloseTo(treatedErrored.size / treated.size, 12);
    expect(errors.status.kind).toBe('rollback');
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
    expect(Math.abs(report.metrics.find((m) => m.metric === 'fcp')!.estimate!)).toBeLessThan(0.05);
  });
});

describe("issue 14's scenarios through the event pipeline (a look every 15 min)", () => {
  it('does not roll back an A/A week 1 where a few users outside the stage render v2', () => {
    const result = runScenario(seededRandom(21), regionConfoundScenario(), 6, 48, { stopAt: 'end' });
    expect(result.rollbackRate).toBe(0);
  });

  it('finds a +10 % page load although the slowest 5 % of treated users fell back before any event', () => {
    const result = runScenario(seededRandom(22), fallbackBiasScenario(), 8, 96, { stopAt: 'fcp-rollback' });
    expect(result.fcpRollbackRate).toBe(1);
  });

  it("finds a +10 % page load at 100 % against week 3's control group", () => {
    const result = runScenario(seededRandom(23), week4Scenario(), 6, 48, {
      stopAt: 'fcp-rollback',
      history: { scenario: week3History(), hours: 6 },
    });
    expect(result.fcpRollbackRate).toBe(1);
  });

  it('finds a +15 % page load despite one 1,000,000 ms page load among 3,000 users', () => {
    const result = runScenario(seededRandom(24), outlierScenario(), 8, 24, { stopAt: 'fcp-rollback' });
    expect(result.fcpRollbackRate).toBe(1);
  });

  it('post-stratification cuts the variance when regions differ by 30 %', () => {
    const result = runScenario(seededRandom(25), stratificationScenario(), 4, 24, { stopAt: 'end' });
    expect(result.fcpVarianceRatio!).toBeLessThan(0.97);
    expect(result.rollbackRate).toBe(0);
  });

  it('takes no decision differently because client clocks are off by ±30 h or 400 h (they would with client time)', () => {
    const result = runClockSkew(seededRandom(26), 3, 8);
    expect(result.wrongDecisions).toBe(0);
    expect(result.liveStageJudged).toBe(24);
    expect(result.wrongDecisionsClientClock).toBeGreaterThan(0);
  });
});

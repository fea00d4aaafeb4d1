// Verification by simulation (fixed seeds): the gate's false rollbacks under no true difference, its
// detection of the +0.5 point error regression at a 5 % stage, and the naive check beside it.
// The larger run is `npm run bench -- gate`.
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../packages/tools/src/gate/evaluate.js';
import { seededRandom } from '../random.js';
import { simulateEvents, simulateMany, week1Scenario } from './simulate.js';

describe('simulated week 1 (5 % of 4000 users/h, peeking every 15 min, 200 peeks)', () => {
  it('rolls back at most 5 % of stages with no true difference, where the naive check rolls back far more', () => {
    const result = simulateMany(seededRandom(7), week1Scenario(), 60);
    expect(result.gateRollbackRate).toBeLessThanOrEqual(0.05);
    // Naive one-sided z-tests at 0.05 on every peek: the error rate alone already fires in ~20 % of stages.
    expect(result.naiveErrorOnlyRollbackRate).toBeGreaterThan(result.gateRollbackRate);
    expect(result.naiveRollbackRate).toBeGreaterThan(result.gateRollbackRate + 0.3);
  });

  it('catches a +0.5 point error-rate regression (0.1 % -> 0.6 %) in every stage', () => {
    const result = simulateMany(seededRandom(11), week1Scenario({ errorRate: 0.006 }), 25);
    expect(result.gateRollbackRate).toBe(1);
    // Detected within the 50 simulated hours, so well before the 200k users the stage would see.
    expect(result.medianUsersToGateRollback).toBeGreaterThan(0);
    expect(result.medianUsersToGateRollback!).toBeLessThan(200_000);
  });

  it('decides the same from contract events (evaluateGate): per-user rates, mixed pages as v2', () => {
    const scenario = week1Scenario({ errorRate: 0.04 });
    const events = simulateEvents(
      seededRandom(3),
      { ...scenario, percentage: 30 },
      6000,
      Date.UTC(2026, 1, 10),
    );
    const report = evaluateGate(events, { minDurationMs: 0 });
    const errors = report.metrics.find((m) => m.metric === 'error-rate')!;
    expect(report.users.v1 + report.users.v2).toBe(6000);
    const mixedUsers = new Set(events.filter((e) => e.arm === 'mixed').map((e) => e.user));
    const mixedErrored = new Set(
      events.filter((e) => e.arm === 'mixed' && e.name === 'js-error').map((e) => e.user),
    );
    expect(errors.v2.n).toBe(mixedUsers.size);
    expect(errors.v2.mean).toBeCloseTo(mixedErrored.size / mixedUsers.size, 12);
    // 4 % vs 0.1 % of users with errors, ~1800 on v2: shown, and beyond the trigger.
    expect(errors.status.kind).toBe('rollback');
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
    const fcp = report.metrics.find((m) => m.metric === 'fcp')!;
    expect(Math.abs(fcp.estimate!)).toBeLessThan(0.05);
  });
});

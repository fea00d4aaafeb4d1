import { describe, expect, it } from 'vitest';
import { metric } from '../../../../test-support/gate-view.js';
import { gateOptionsFrom } from './endpoint.js';
import { gateViewOf } from './view.js';

describe('the gate as the dashboard shows it', () => {
  it('says what a flag rollback does and shows rates in points with a signed trigger', () => {
    const view = gateViewOf({
      stage: 'week1',
      decision: { kind: 'rollback', scope: 'flag', reasons: ['users with a JS error: shown worse'] },
      metrics: [
        metric({}),
        metric({
          metric: 'conversion',
          label: 'users who converted',
          worse: 'lower',
          trigger: 0.001,
          estimate: null,
          interval: null,
          status: { kind: 'insufficient', reason: 'needs 30 users per arm' },
        }),
      ],
    });
    expect(view.decision).toBe('rollback');
    expect(view.reason).toBe('turn the flag off: users with a JS error: shown worse');
    const [errors, conversion] = view.comparisons;
    expect(errors).toMatchObject({
      id: 'error-rate',
      unit: 'pp',
      estimate: 2,
      lower: 1,
      upper: 3,
      threshold: 0.5,
    });
    expect(errors?.n).toEqual({ v1: 40, v2: 38 });
    // Conversion is harmed when it drops: its trigger is negative; no data shows as nulls, not zeros.
    expect(conversion).toMatchObject({ threshold: -0.1, estimate: null, lower: null, upper: null });
  });

  it('names the families a family rollback kills, and the next stage of an advance', () => {
    const kill = gateViewOf({
      stage: 'week2',
      decision: { kind: 'rollback', scope: 'families', families: ['forms'], reasons: ['forms errors'] },
      metrics: [],
    });
    expect(kill.reason).toBe('kill forms: forms errors');
    const advance = gateViewOf({
      stage: 'week1',
      decision: { kind: 'advance', nextStage: 'week2', reasons: ['success gate met'] },
      metrics: [],
    });
    expect(advance.reason).toBe('advance to week2: success gate met');
  });

  it('shows the sample ratio check, a mismatch marked as one', () => {
    const hold = (sampleRatio: Parameters<typeof gateViewOf>[0]['sampleRatio']) =>
      gateViewOf({ stage: 'week2', decision: { kind: 'hold', reasons: ['x'] }, metrics: [], sampleRatio });
    expect(
      hold({ kind: 'checked', mismatch: true, reason: 'sample ratio mismatch: 900 treated of 20000' })
        .sampleRatio,
    ).toEqual({ mismatch: true, text: 'sample ratio mismatch: 900 treated of 20000' });
    expect(
      hold({ kind: 'not-checked', reason: 'needs users in both groups of the stage' }).sampleRatio,
    ).toEqual({
      mismatch: false,
      text: 'not checked: needs users in both groups of the stage',
    });
    expect(hold(undefined).sampleRatio).toBeUndefined();
  });

  it('reads the gate options a release manager puts in the dashboard URL', () => {
    expect(gateOptionsFrom(new URLSearchParams('targetUsers=64&p1Bugs=3&alpha=0.1&minUsers=50'))).toEqual({
      targetUsers: 64,
      p1Bugs: 3,
      alpha: 0.1,
      minUsersPerArm: 50,
    });
    expect(gateOptionsFrom(new URLSearchParams('targetUsers=zero&alpha=2'))).toEqual({});
  });
});

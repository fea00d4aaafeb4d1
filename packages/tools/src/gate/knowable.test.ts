import { describe, expect, it } from 'vitest';
import { decisionUsers, expectedUsers, knowability } from './knowable.js';
import { sequentialHalfwidth, sequentialRho } from './stats/confidence-sequence.js';

const settings = { alpha: 0.005, rho: sequentialRho(0.005, 100_000) };
const HOUR = 3_600_000;

describe('expectedUsers', () => {
  it('extrapolates the pace to the planned length, and stops there once the stage has run it', () => {
    expect(expectedUsers({ users: 1000, durationMs: 10 * HOUR, plannedMs: 120 * HOUR })).toBe(12_000);
    expect(expectedUsers({ users: 1000, durationMs: 130 * HOUR, plannedMs: 120 * HOUR })).toBe(1000);
  });
});

describe('decisionUsers', () => {
  const rule = { margin: 0.05, trigger: 0.1 };
  const se = 0.03;
  const n = 2000;
  const h = sequentialHalfwidth(se, n, settings.alpha, settings.rho);

  it('needs the users that make the interval narrower than the distance to the margin', () => {
    const needed = decisionUsers(rule, 0, se, n, h, settings)!;
    expect(needed).toBeGreaterThan(n);
    expect(
      sequentialHalfwidth((se * Math.sqrt(n)) / Math.sqrt(needed), needed, settings.alpha, settings.rho),
    ).toBeLessThan(0.05);
  });

  it('or the users that show a harm past half the trigger, whichever comes first', () => {
    const toHarm = decisionUsers(rule, 0.08, se, n, h, settings)!;
    expect(toHarm).toBeLessThan(decisionUsers(rule, 0.01, se, n, h, settings)!);
  });

  it('has no answer when the estimate is past the margin and harm is already shown short of the trigger', () => {
    expect(decisionUsers(rule, 0.06, 0.001, 1_000_000, 0.004, settings)).toBeNull();
  });
});

describe('knowability', () => {
  const pace = { users: 10_000, durationMs: 24 * HOUR, plannedMs: 120 * HOUR };
  it('says a stage cannot judge what needs more users than it will see', () => {
    expect(knowability('conversion', 'week1', false, 2_000_000, pace)).toMatchObject({
      kind: 'not-in-this-stage',
      usersNeeded: 2_000_000,
      expectedUsers: 50_000,
    });
    expect(knowability('conversion', 'week1', false, 2_000_000, pace).reason).toMatch(
      /conversion: week1 cannot judge it: a decision needs about 2\.0 million users .* week1 will see about 50,000/,
    );
  });
  it('and says when it will, or that it has', () => {
    expect(knowability('x', 'week1', false, 30_000, pace).kind).toBe('reachable');
    expect(knowability('x', 'week1', true, null, pace).kind).toBe('decided');
    expect(knowability('x', 'week1', false, 'too-few', pace).kind).toBe('unknown');
  });
});

import { describe, expect, it } from 'vitest';
import { compare, MIN_USERS_TO_DECIDE } from './decide.js';
import { sequentialRho } from './stats/confidence-sequence.js';
import { stratify } from './stats/stratify.js';
import { METRIC_RULES } from './thresholds.js';

const settings = { alpha: 0.01, rho: sequentialRho(0.01, 100_000) };
const fcp = METRIC_RULES.fcp;

describe('compare (the rollback and success rules)', () => {
  it('rolls back when v2 is shown worse and the trigger is not ruled out', () => {
    const result = compare(
      fcp,
      { n: 5000, mean: 1200, variance: 200_000 },
      { n: 5000, mean: 1380, variance: 260_000 },
      settings,
    );
    expect(result.status.kind).toBe('rollback');
    expect(result.interval!.lower).toBeGreaterThan(0);
    expect(result.interval!.upper).toBeGreaterThan(0.1);
    expect(result.status.reason).toMatch(
      /v2 is worse \(\+\d+\.\d % at least\) and the trigger \+10\.0 % is not ruled out/,
    );
  });

  it('does not roll back a harm that is shown but shown below the trigger', () => {
    // +3 % with a tight interval: real, but well inside the +10 % the plan tolerates.
    const result = compare(
      fcp,
      { n: 500_000, mean: 1200, variance: 200_000 },
      { n: 500_000, mean: 1236, variance: 200_000 },
      settings,
    );
    expect(result.interval!.lower).toBeGreaterThan(0);
    expect(result.interval!.upper).toBeLessThan(0.1);
    expect(result.status.kind).not.toBe('rollback');
    // It is within the +5 % "maintained" margin as well.
    expect(result.status.kind).toBe('within-margin');
  });

  it('reads conversion the other way round: a drop is the harm', () => {
    const rule = METRIC_RULES.conversion;
    const drop = compare(
      rule,
      { n: 50_000, mean: 0.032, variance: 0.031 },
      { n: 50_000, mean: 0.024, variance: 0.0234 },
      settings,
    );
    expect(drop.status.kind).toBe('rollback');
    const rise = compare(
      rule,
      { n: 50_000, mean: 0.032, variance: 0.031 },
      { n: 50_000, mean: 0.04, variance: 0.0384 },
      settings,
    );
    expect(rise.status).toMatchObject({ kind: 'within-margin', improved: true });
  });

  it('holds with an estimate of the users needed while the margin is not shown', () => {
    const result = compare(
      METRIC_RULES['error-rate'],
      { n: 5000, mean: 0.001, variance: 0.001 },
      { n: 5000, mean: 0.001, variance: 0.001 },
      settings,
    );
    expect(result.status.kind).toBe('pending');
    if (result.status.kind === 'pending') expect(result.status.usersNeeded).toBeGreaterThan(10_000);
  });

  it('takes no decision below the minimum users per arm', () => {
    const result = compare(
      fcp,
      { n: MIN_USERS_TO_DECIDE - 1, mean: 1200, variance: 1 },
      { n: 500, mean: 5000, variance: 1 },
      settings,
    );
    expect(result.status.kind).toBe('insufficient');
  });

  it('does not let a group with no conversions yet claim zero variance (the early false alarm)', () => {
    // 96 treated users without a conversion against 3.2 % in control: about 5 % of small samples look like this.
    const rule = METRIC_RULES.conversion;
    const groups = stratify(
      [
        {
          stratum: 'AU',
          control: { n: 1900, sum: 61, sumSquares: 61 },
          treatment: { n: 96, sum: 0, sumSquares: 0 },
        },
      ],
      true,
      'merge',
    ).groups;
    // The mean stays the observed 0 %; the variance is Agresti-Caffo's p~(1 - p~) with p~ = 1 / 98.
    expect(groups.treatment.mean).toBe(0);
    expect(groups.treatment.variance).toBeCloseTo((1 / 98) * (97 / 98), 12);
    expect(compare(rule, groups.control, groups.treatment, settings).status.kind).not.toBe('rollback');
  });
});

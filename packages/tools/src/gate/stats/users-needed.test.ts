import { describe, expect, it } from 'vitest';
import { sequentialHalfwidth, sequentialRho } from './confidence-sequence.js';
import { usersNeeded } from './users-needed.js';

describe('usersNeeded', () => {
  const alpha = 0.01;
  const rho = sequentialRho(alpha, 100_000);

  it('finds the sample at which the sequence becomes narrow enough', () => {
    const se = 0.002;
    const n = 20_000;
    const needed = usersNeeded(se, n, alpha, rho, 0.003)!;
    expect(needed).toBeGreaterThan(n);
    const perUnit = se * Math.sqrt(n);
    expect(sequentialHalfwidth(perUnit / Math.sqrt(needed), needed, alpha, rho)).toBeLessThan(0.003);
    expect(
      sequentialHalfwidth(perUnit / Math.sqrt(needed - 1), needed - 1, alpha, rho),
    ).toBeGreaterThanOrEqual(0.003);
  });

  it('says the current sample is enough when it already is', () => {
    expect(usersNeeded(0.0001, 50_000, alpha, rho, 0.01)).toBe(50_000);
  });

  it('gives no number when the estimate is on the wrong side of the bound', () => {
    expect(usersNeeded(0.002, 20_000, alpha, rho, -0.001)).toBeNull();
  });
});

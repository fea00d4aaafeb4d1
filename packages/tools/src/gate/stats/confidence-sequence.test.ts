import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../../test-support/random.js';
import { confidenceSequence, sequentialHalfwidth, sequentialRho } from './confidence-sequence.js';
import { effectOf } from './effect.js';
import { normalQuantile } from './normal.js';
import { addValue, emptyMoments, summaryOfMoments } from './summary.js';

describe('sequentialRho', () => {
  it('matches GrowthBook for alpha 0.05 and its default tuning parameter 5000', () => {
    // sqrt((-2 ln 0.05 + ln(-2 ln 0.05 + 1)) / 5000), computed independently.
    expect(sequentialRho(0.05, 5000)).toBeCloseTo(0.03984006677137368, 12);
    expect(sequentialRho(0.01, 100_000)).toBeCloseTo(0.01073952575336324, 12);
  });

  it('rejects an alpha outside (0, 1) or a non-positive target with a clear message', () => {
    expect(() => sequentialRho(0, 5000)).toThrow(/alpha must be in \(0, 1\), got 0/);
    expect(() => sequentialRho(0.05, 0)).toThrow(/target sample size must be positive, got 0/);
  });
});

describe('sequentialHalfwidth', () => {
  it('matches the GrowthBook formula at known values', () => {
    // s2 = 4 and n = 10000 give se = 0.02; reference values from the Python formula.
    expect(sequentialHalfwidth(0.02, 10_000, 0.05, sequentialRho(0.05, 5000))).toBeCloseTo(
      0.06122954437734833,
      12,
    );
    const se = Math.sqrt(0.5 / 200_000);
    expect(sequentialHalfwidth(se, 200_000, 0.01, sequentialRho(0.01, 100_000))).toBeCloseTo(
      0.005685150365546052,
      12,
    );
  });

  it('is wider than the fixed-horizon interval at the same n (the price of peeking) and shrinks with n', () => {
    const rho = sequentialRho(0.05, 10_000);
    const fixed = normalQuantile(0.975) * 1;
    expect(sequentialHalfwidth(1, 10_000, 0.05, rho)).toBeGreaterThan(fixed);
    const wide = sequentialHalfwidth(1 / Math.sqrt(1000), 1000, 0.05, rho);
    const narrow = sequentialHalfwidth(1 / Math.sqrt(100_000), 100_000, 0.05, rho);
    expect(narrow).toBeLessThan(wide);
  });

  it('is infinite before any data', () => {
    expect(sequentialHalfwidth(1, 0, 0.05, 0.01)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('coverage under repeated peeking', () => {
  // Two arms with unequal variances and a true difference of 0.3; peek after every 50 new units per arm.
  function missRate(runs: number, interval: (estimate: number, se: number, n: number) => [number, number]) {
    const random = seededRandom(20_260_210);
    const truth = 0.3;
    let missed = 0;
    for (let run = 0; run < runs; run++) {
      const a = emptyMoments();
      const b = emptyMoments();
      for (let peek = 1; peek <= 60; peek++) {
        for (let i = 0; i < 50; i++) {
          addValue(a, 1 + 1 * random.normal());
          addValue(b, 1 + truth + 2 * random.normal());
        }
        const effect = effectOf(summaryOfMoments(a), summaryOfMoments(b), 'absolute')!;
        const [lower, upper] = interval(effect.estimate, effect.se, a.n + b.n);
        if (truth < lower || truth > upper) {
          missed++;
          break;
        }
      }
    }
    return missed / runs;
  }

  it('covers the true difference at every peek in at least 1 - alpha of runs', () => {
    const alpha = 0.05;
    const rho = sequentialRho(alpha, 3000);
    const rate = missRate(400, (estimate, se, n) => {
      const cs = confidenceSequence(estimate, se, n, alpha, rho);
      return [cs.lower, cs.upper];
    });
    expect(rate).toBeLessThanOrEqual(alpha);
  });

  it('whereas a fixed 95 % interval checked at every peek misses far more often', () => {
    const z = normalQuantile(0.975);
    const rate = missRate(400, (estimate, se) => [estimate - z * se, estimate + z * se]);
    expect(rate).toBeGreaterThan(0.1);
  });
});

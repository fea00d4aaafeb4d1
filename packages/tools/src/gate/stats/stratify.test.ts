import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../../test-support/random.js';
import { effectOf } from './effect.js';
import { MIN_STRATUM_USERS, pooled, type StratumMoments, stratify } from './stratify.js';
import { addValue, emptyMoments, type Moments } from './summary.js';

function moments(values: number[]): Moments {
  const m = emptyMoments();
  for (const v of values) addValue(m, v);
  return m;
}

describe('stratify (post-stratification by region)', () => {
  it('weights each region by its share of all users, and its variance is Σ w² s² / n', () => {
    const strata: StratumMoments[] = [
      { stratum: 'AU', control: moments([1, 2, 3, 4]), treatment: moments([2, 3, 4, 5, 6, 7]) },
      { stratum: 'NZ', control: moments([10, 12, 14, 16, 18, 20]), treatment: moments([11, 13, 15, 17]) },
    ];
    // Ten times the users, so no region is below the merge threshold; both have 100: weights 1/2 each.
    const big = strata.map((s) => ({
      ...s,
      control: { n: s.control.n * 10, sum: s.control.sum * 10, sumSquares: s.control.sumSquares * 10 },
      treatment: {
        n: s.treatment.n * 10,
        sum: s.treatment.sum * 10,
        sumSquares: s.treatment.sumSquares * 10,
      },
    }));
    const result = stratify(big, false, 'merge');
    expect(result.strata).toEqual(['AU', 'NZ']);
    expect(result.groups.control.mean).toBeCloseTo(0.5 * 2.5 + 0.5 * 15, 12);
    expect(result.groups.treatment.mean).toBeCloseTo(0.5 * 4.5 + 0.5 * 14, 12);
    const varOfMean = (m: Moments) => (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1) / m.n;
    const expected = 0.25 * varOfMean(big[0]!.control) + 0.25 * varOfMean(big[1]!.control);
    expect(result.groups.control.variance / result.groups.control.n).toBeCloseTo(expected, 12);
  });

  it('pools regions with fewer than MIN_STRATUM_USERS users in a group into one residual stratum', () => {
    const tiny = { stratum: 'FJ', control: moments([5, 6]), treatment: moments([5]) };
    const tiny2 = {
      stratum: 'WS',
      control: moments([5, 6, 7, 8, 9, 1, 2, 3, 4]),
      treatment: moments([5, 9]),
    };
    const large = (name: string) => ({
      stratum: name,
      control: moments(Array.from({ length: 50 }, (_, i) => i)),
      treatment: moments(Array.from({ length: 50 }, (_, i) => i + 1)),
    });
    const result = stratify([large('AU'), tiny, tiny2, large('NZ')], false, 'merge');
    expect(MIN_STRATUM_USERS).toBe(10);
    expect(result.merged).toEqual(['FJ', 'WS']);
    // The residual (11 control, 3 treatment) is still too small: it joins the largest region.
    expect(result.strata).toEqual(['AU+other', 'NZ']);
    expect(result.groups.control.n + result.groups.treatment.n).toBe(214);
  });

  it('for a 0/1 metric takes the observed rate as the mean and Agresti-Caffo only in the variance', () => {
    const result = stratify(
      [
        {
          stratum: 'AU',
          control: { n: 1000, sum: 1, sumSquares: 1 },
          treatment: { n: 100, sum: 0, sumSquares: 0 },
        },
      ],
      true,
      'merge',
    );
    expect(result.groups.treatment.mean).toBe(0);
    expect(result.groups.treatment.variance / 100).toBeCloseTo(((1 / 102) * (101 / 102)) / 100, 15);
  });

  it('leaves out regions one group never covered, for a historical control', () => {
    const covered = {
      stratum: 'AU',
      control: moments(Array(20).fill(1)),
      treatment: moments(Array(20).fill(2)),
    };
    const uncovered = { stratum: 'US', control: emptyMoments(), treatment: moments(Array(40).fill(9)) };
    const dropped = stratify([covered, uncovered], false, 'drop');
    expect(dropped.dropped).toEqual(['US']);
    expect(dropped.groups.treatment.mean).toBe(2);
    expect(pooled([covered, uncovered], false, 'drop').treatment.mean).toBe(2);
    // Merged instead, the US users would be compared with nobody of theirs.
    expect(pooled([covered, uncovered], false, 'merge').treatment.mean).toBeCloseTo((40 + 360) / 60, 12);
  });

  it('cuts the variance of the effect when regions differ, and costs nothing when they do not', () => {
    const random = seededRandom(17);
    const ratio = (shift: number) => {
      const strata = ['AU', 'NZ', 'CA'].map((stratum, k) => {
        const base = 1000 * (1 + shift * k);
        const draw = (n: number) =>
          moments(Array.from({ length: n }, () => base * Math.exp(0.35 * random.normal())));
        return { stratum, control: draw(3000), treatment: draw(1000) };
      });
      const s = stratify(strata, false, 'merge').groups;
      const p = pooled(strata, false, 'merge');
      const se = (g: typeof s) => effectOf(g.control, g.treatment, 'relative')!.se;
      return se(s) ** 2 / se(p) ** 2;
    };
    expect(ratio(0.3)).toBeLessThan(0.9);
    expect(ratio(0)).toBeGreaterThan(0.97);
    expect(ratio(0)).toBeLessThan(1.03);
  });
});

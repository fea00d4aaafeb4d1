import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantile, sortedQuantile } from './quantile.js';

describe('quantile (R-7, linear interpolation between closest ranks)', () => {
  it('interpolates between ranks, as numpy and Excel do by default', () => {
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5); // any order; an even count's median is the middle mean
    expect(quantile([10, 20, 30, 40], 0.75)).toBe(32.5);
    expect(quantile([5], 0.75)).toBe(5);
    expect(quantile([1, 9], 0)).toBe(1);
    expect(quantile([1, 9], 1)).toBe(9);
    expect(quantile([], 0.5)).toBeNaN();
    expect(sortedQuantile(new Float64Array([1, 2, 3]), 0.5)).toBe(2);
  });

  it('stays within the data and does not decrease as q grows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(quantile(values, lo)).toBeLessThanOrEqual(quantile(values, hi) + 1e-9);
          expect(quantile(values, lo)).toBeGreaterThanOrEqual(Math.min(...values));
          expect(quantile(values, hi)).toBeLessThanOrEqual(Math.max(...values));
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueList } from './quantile.js';

describe('ValueList', () => {
  it('gives null figures when empty', () => {
    const list = new ValueList();
    expect([list.count, list.mean(), list.quantile(0.5)]).toEqual([0, null, null]);
  });

  it('interpolates between closest ranks', () => {
    const list = new ValueList();
    for (const v of [40, 10, 30, 20]) list.push(v);
    expect(list.mean()).toBe(25);
    expect(list.quantile(0)).toBe(10);
    expect(list.quantile(0.5)).toBe(25);
    expect(list.quantile(0.75)).toBe(32.5);
    expect(list.quantile(1)).toBe(40);
    list.push(1000); // a later value invalidates the cached order
    expect(list.quantile(1)).toBe(1000);
  });

  it('matches a naive sort for any list (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const list = new ValueList();
          for (const v of values) list.push(v);
          const sorted = [...values].sort((a, b) => a - b);
          const rank = q * (sorted.length - 1);
          const lo = sorted[Math.floor(rank)] as number;
          const hi = sorted[Math.min(Math.floor(rank) + 1, sorted.length - 1)] as number;
          expect(list.quantile(q)).toBeCloseTo(lo + (hi - lo) * (rank - Math.floor(rank)), 3);
          expect(list.count).toBe(values.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

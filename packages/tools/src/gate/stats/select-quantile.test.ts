import { quantile } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../../test-support/random.js';
import { selectQuantile } from './select-quantile.js';

describe('selectQuantile', () => {
  it("equals core's quantile (R-7, SQL's PERCENTILE_CONT) on random, sorted, reversed and tied inputs", () => {
    const random = seededRandom(5);
    const inputs: number[][] = [
      Array.from({ length: 1001 }, () => Math.exp(random.normal())),
      Array.from({ length: 500 }, (_, i) => i),
      Array.from({ length: 500 }, (_, i) => 500 - i),
      Array.from({ length: 300 }, (_, i) => i % 3),
      [7],
      [2, 1],
    ];
    for (const values of inputs) {
      for (const q of [0, 0.25, 0.5, 0.75, 0.99, 1]) {
        expect(selectQuantile(Float64Array.from(values), values.length, q)).toBe(quantile(values, q));
      }
    }
  });

  it('reads only the first `length` values and is NaN for none', () => {
    expect(selectQuantile(Float64Array.from([1, 2, 3, 1000]), 3, 1)).toBe(3);
    expect(selectQuantile(new Float64Array(0), 0, 0.5)).toBeNaN();
  });

  it('rejects a quantile outside [0, 1]', () => {
    expect(() => selectQuantile(Float64Array.from([1]), 1, 1.5)).toThrow(
      /between 0 and 1 is needed, got 1\.5/,
    );
  });
});

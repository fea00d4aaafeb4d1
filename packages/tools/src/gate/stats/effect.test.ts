import { describe, expect, it } from 'vitest';
import { effectOf } from './effect.js';
import { summarize } from './summary.js';

describe('effectOf', () => {
  const v1 = { n: 1000, mean: 1200, variance: 90_000 };
  const v2 = { n: 250, mean: 1260, variance: 160_000 };

  it('gives the Welch difference in means for an absolute effect', () => {
    const effect = effectOf(v1, v2, 'absolute')!;
    expect(effect.estimate).toBeCloseTo(60, 10);
    expect(effect.se).toBeCloseTo(Math.sqrt(160_000 / 250 + 90_000 / 1000), 10);
  });

  it('gives the delta-method relative change, as GrowthBook does', () => {
    const effect = effectOf(v1, v2, 'relative')!;
    expect(effect.estimate).toBeCloseTo(0.05, 12);
    const variance = 160_000 / (1200 ** 2 * 250) + (90_000 * 1260 ** 2) / (1200 ** 4 * 1000);
    expect(effect.se).toBeCloseTo(Math.sqrt(variance), 12);
  });

  it('cannot estimate with an empty arm or a relative change against a zero baseline', () => {
    expect(effectOf({ n: 0, mean: 0, variance: 0 }, v2, 'absolute')).toBeNull();
    expect(effectOf({ n: 10, mean: 0, variance: 0 }, v2, 'relative')).toBeNull();
  });
});

describe('summarize', () => {
  it('computes the sample variance with an n - 1 denominator', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ n: 4, mean: 2.5, variance: 5 / 3 });
    expect(summarize([7])).toEqual({ n: 1, mean: 7, variance: 0 });
  });
});

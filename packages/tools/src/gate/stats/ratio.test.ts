import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../../test-support/random.js';
import { addPair, emptyRatioMoments, ratioOf } from './ratio.js';

describe('ratioOf (share of page loads, users as units)', () => {
  it('is Σa / Σb with the delta-method variance GrowthBook uses for ratio metrics', () => {
    const m = emptyRatioMoments();
    const pairs: [number, number][] = [
      [1, 3],
      [0, 2],
      [2, 2],
      [1, 4],
      [0, 1],
    ];
    for (const [a, b] of pairs) addPair(m, a, b);
    const r = ratioOf(m)!;
    expect(r.ratio).toBeCloseTo(4 / 12, 12);
    const n = 5;
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const as = pairs.map((p) => p[0]);
    const bs = pairs.map((p) => p[1]);
    const cov = (xs: number[], ys: number[]) =>
      xs.reduce((s, x, i) => s + (x - mean(xs)) * (ys[i]! - mean(ys)), 0) / (n - 1);
    const R = 4 / 12;
    const delta = (cov(as, as) - 2 * R * cov(as, bs) + R * R * cov(bs, bs)) / (n * mean(bs) ** 2);
    expect(r.variance).toBeCloseTo(Math.max(delta, ((5 / 14) * (9 / 14)) / 12), 12);
  });

  it('covers the true share in about 95 % of samples when users differ (clustered page loads)', () => {
    const random = seededRandom(3);
    let covered = 0;
    for (let run = 0; run < 400; run++) {
      const m = emptyRatioMoments();
      for (let u = 0; u < 300; u++) {
        // Slow and fast users: a user's loads are alike, so loads are not independent.
        const p = random.uniform() < 0.3 ? 0.7 : 0.1;
        const loads = 1 + Math.floor(random.uniform() * 4);
        let above = 0;
        for (let k = 0; k < loads; k++) if (random.uniform() < p) above++;
        addPair(m, above, loads);
      }
      const r = ratioOf(m)!;
      const truth = 0.3 * 0.7 + 0.7 * 0.1;
      if (Math.abs(r.ratio - truth) < 1.96 * Math.sqrt(r.variance)) covered++;
    }
    expect(covered / 400).toBeGreaterThan(0.92);
  });

  it('has no estimate without any page load', () => {
    expect(ratioOf(emptyRatioMoments())).toBeNull();
  });
});

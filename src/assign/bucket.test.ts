import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, inRollout, rolloutThreshold } from './bucket.js';

/** LaunchDarkly's Bucketer, transcribed: hex digest, parseInt of 15 digits, divided by 0xFFFFFFFFFFFFFFF. */
function launchDarklyBucket(flagKey: string, salt: string, key: string): number {
  const hex = createHash('sha1').update(`${flagKey}.${salt}.${key}`).digest('hex');
  return parseInt(hex.substring(0, 15), 16) / 1152921504606847e3;
}

describe('bucketOf', () => {
  it("gives the buckets LaunchDarkly's SDK test suites expect", () => {
    expect(bucketOf('hashKey', 'saltyA', 'userKeyA')).toBeCloseTo(0.42157587, 7);
    expect(bucketOf('hashKey', 'saltyA', 'userKeyB')).toBeCloseTo(0.6708485, 7);
    expect(bucketOf('hashKey', 'saltyA', 'userKeyC')).toBeCloseTo(0.10343106, 7);
  });

  it("equals LaunchDarkly's formula bit for bit (parseInt rounding included) for any key", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        fc.string({ maxLength: 10 }),
        fc.string({ unit: 'grapheme' }),
        (f, s, k) => {
          expect(bucketOf(f, s, k)).toBe(launchDarklyBucket(f, s, k));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('is deterministic and depends on flag key, salt and user key', () => {
    const b = bucketOf('design-tokens-v2', 'design-tokens-v2', 'user-1');
    expect(bucketOf('design-tokens-v2', 'design-tokens-v2', 'user-1')).toBe(b);
    expect(bucketOf('design-tokens-v2', 'other-salt', 'user-1')).not.toBe(b);
    expect(bucketOf('other-flag', 'design-tokens-v2', 'user-1')).not.toBe(b);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThanOrEqual(1);
  });
});

describe('inRollout', () => {
  it('compares with weights in thousandths of a percent, as LaunchDarkly does', () => {
    expect(rolloutThreshold(5)).toBe(5000 / 100000);
    expect(rolloutThreshold(99.999)).toBe(99999 / 100000);
    expect(rolloutThreshold(12.3456)).toBe(12346 / 100000);
    expect(inRollout(0.05, 5)).toBe(false); // the boundary is outside: bucket < threshold
    expect(inRollout(0.0499999, 5)).toBe(true);
    expect(inRollout(0, 0)).toBe(false);
    expect(inRollout(0.999999, 100)).toBe(true);
  });
});

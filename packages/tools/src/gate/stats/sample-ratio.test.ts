// The sample ratio check: what it says on clear cases, that its false alarms stay under alpha however often
// it looks (the promise the gate's 15-minute looks rely on), and that it finds users lost from one group.
import { describe, expect, it } from 'vitest';
import { srmStage, usersToMismatch } from '../../../../../test-support/gate/sample-ratio-sim.js';
import { logGamma, type SampleRatio, sampleRatio } from './sample-ratio.js';

const checked = (r: SampleRatio) => {
  if (r.kind !== 'checked') throw new Error(`not checked: ${r.reason}`);
  return r;
};

describe('logGamma', () => {
  it('matches known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 10);
    // Stirling at a size the gate meets (a million users in a group).
    const x = 1e6;
    const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x);
    expect(logGamma(x) / stirling).toBeCloseTo(1, 12);
  });
});

describe('sampleRatio', () => {
  it('finds no mismatch when the treated share is what the buckets allow', () => {
    const r = checked(
      sampleRatio({
        treatment: 1000,
        control: 19_000,
        treatmentMaxBucket: 0.04998,
        controlMinBucket: 0.05001,
      }),
    );
    expect(r.mismatch).toBe(false);
    expect(r.observed).toBeCloseTo(0.05, 10);
    expect(r.reason).toContain('no mismatch shown');
  });

  it('finds a mismatch when a third of the treated users are missing, and says what it saw', () => {
    const r = checked(
      sampleRatio({
        treatment: 670,
        control: 19_000,
        treatmentMaxBucket: 0.04998,
        controlMinBucket: 0.05001,
      }),
    );
    expect(r.mismatch).toBe(true);
    expect(r.bayesFactor).toBeGreaterThanOrEqual(r.threshold);
    expect(r.reason).toMatch(
      /^sample ratio mismatch: 670 treated of 19670 eligible users \(3\.41 %\) where the percentage gives 5\.00 %/,
    );
  });

  it('takes the whole share the buckets allow: equal groups fit buckets that only say "between 1 % and 99 %"', () => {
    const r = checked(
      sampleRatio({ treatment: 1000, control: 1000, treatmentMaxBucket: 0.01, controlMinBucket: 0.99 }),
    );
    expect(r.mismatch).toBe(false);
    expect(r.expected).toEqual({ lower: 0.01, upper: 0.99 });
  });

  it('does not check a stage without both groups, or one whose percentage changed (the buckets overlap)', () => {
    expect(
      sampleRatio({ treatment: 500, control: 0, treatmentMaxBucket: 0.9, controlMinBucket: null }),
    ).toEqual({
      kind: 'not-checked',
      reason: 'needs users in both groups of the stage',
    });
    const changed = sampleRatio({
      treatment: 500,
      control: 500,
      treatmentMaxBucket: 0.1,
      controlMinBucket: 0.05,
    });
    expect(changed.kind).toBe('not-checked');
    expect(changed.kind === 'not-checked' && changed.reason).toContain(
      'the percentage changed within the stage',
    );
  });

  it('refuses an alpha outside (0, 1)', () => {
    const split = { treatment: 1, control: 1, treatmentMaxBucket: 0.1, controlMinBucket: 0.5 };
    expect(() => sampleRatio(split, 0)).toThrow(/SRM alpha must be in \(0, 1\), got 0/);
  });

  it('looked at every 250 users up to 20,000, raises a false alarm in at most alpha of the stages', () => {
    const alpha = 0.05;
    const runs = 300;
    let alarms = 0;
    for (let seed = 1; seed <= runs; seed++)
      if (usersToMismatch(seed, 0.05, 0, 80, 250, alpha) !== null) alarms++;
    // Ville's inequality bounds it by alpha over all looks; the mixture's margin usually leaves it far below.
    expect(alarms / runs).toBeLessThanOrEqual(alpha);
  });

  it('finds 30 % of treated users lost at a 5 % stage within 20,000 users, in nearly every stage', () => {
    const runs = 50;
    let found = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const s = srmStage(1000 + seed, 0.05, 0.3);
      s.arrive(20_000);
      const r = sampleRatio(s.split);
      if (r.kind === 'checked' && r.mismatch) found++;
    }
    expect(found / runs).toBeGreaterThanOrEqual(0.95);
  });
});

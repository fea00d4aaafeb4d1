import type { MetricEvent } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { cohorts, HOUR, T0 } from '../../../../test-support/gate/cohorts.js';
import { seededRandom } from '../../../../test-support/random.js';
import { evaluateGate } from './evaluate.js';
import { GateInputError } from './events.js';

const metric = (r: ReturnType<typeof evaluateGate>, m: string) => r.metrics.find((x) => x.metric === m)!;

describe('evaluateGate: decisions', () => {
  it('rolls the flag back when treatment clearly raises the share of users with errors', () => {
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 2000, errors: 2 },
        { group: 'treatment', users: 2000, errors: 100 },
      ]),
    );
    expect(report.stage).toBe('week1');
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
    expect(report.decision.reasons[0]).toMatch(/users with a JS error: v2 is worse/);
    expect(metric(report, 'error-rate').estimate).toBeCloseTo(0.049, 3);
  });

  it('rolls back on a conversion drop (lower is worse)', () => {
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 20_000, conversions: 640, errors: 20 },
        { group: 'treatment', users: 20_000, conversions: 300, errors: 20 },
      ]),
      { stage: 'week1' },
    );
    expect(metric(report, 'conversion').status.kind).toBe('rollback');
    expect(report.decision.kind).toBe('rollback');
  });

  it('advances week 1 when the error increase is shown below 0.1 point with enough users and time', () => {
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 40_000, errors: 40, conversions: 1280 },
        { group: 'treatment', users: 40_000, errors: 40, conversions: 1280 },
      ]),
    );
    expect(report.decision).toMatchObject({ kind: 'advance', nextStage: 'week2' });
    expect(report.successGate).toMatchObject({ description: 'error increase < 0.1 point', met: true });
    expect(metric(report, 'error-rate').interval!.upper).toBeLessThan(0.001);
  });

  it('holds, saying how many more users it needs, when the gate is not shown yet', () => {
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 5000, errors: 5, conversions: 160 },
        { group: 'treatment', users: 5000, errors: 5, conversions: 160 },
      ]),
    );
    expect(report.decision.kind).toBe('hold');
    if (report.decision.kind === 'hold') {
      expect(report.decision.usersNeeded).toBeGreaterThan(10_000);
      expect(report.decision.reasons.join('\n')).toMatch(/about \d+ more users/);
    }
  });

  it('rolls back on 3 P1 bugs whatever the data says, even with no data at all', () => {
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 100 },
        { group: 'treatment', users: 100 },
      ]),
      {
        p1Bugs: 3,
      },
    );
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
    expect(report.decision.reasons[0]).toMatch(/3 P1 bugs/);
    expect(evaluateGate([], { p1Bugs: 4 }).decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
  });

  it('kills only the family whose tagged errors rose, when the page-level rate is too noisy to show it', () => {
    const v2 = [
      { family: 'buttons' as const, arm: 'v2' as const },
      { family: 'cards' as const, arm: 'v2' as const },
    ];
    const v1 = v2.map((x) => ({ ...x, arm: 'v1' as const }));
    // cards errors 0 -> 0.38 % of users; 0.3 % untagged errors in both groups make the page level noisier,
    // and keep v2's own rate (0.68 %) from being shown above the table's 0.5 %.
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 10_000, exposures: v1, noiseErrors: 30, conversions: 320 },
        {
          group: 'treatment',
          users: 10_000,
          exposures: v2,
          errors: 38,
          errorFamily: 'cards',
          noiseErrors: 30,
          conversions: 320,
        },
      ]),
      { stage: 'week1' },
    );
    // 5 comparisons, 2 families, 4 statistical plan levels.
    expect(report.alpha.comparisons).toBe(11);
    expect(report.families.find((f) => f.family === 'cards')!.kill).toBe(true);
    expect(report.families.find((f) => f.family === 'buttons')!.kill).toBe(false);
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'families', families: ['cards'] });
    expect(metric(report, 'error-rate').status.kind).not.toBe('rollback');
  });
});

describe('evaluateGate: who is compared (intention to treat, eligible users only)', () => {
  it('keeps treated users the guard moved to v1 in treatment, so a slow v2 is not flattered', () => {
    // 10 % of treated users fell back to v1 before any event; they are the slowest (3 s).
    const events = cohorts([
      { group: 'control', users: 3000, fcp: () => 1000 },
      { group: 'treatment', users: 2700, fcp: () => 1150 },
      { group: 'treatment', users: 300, arm: 'v1', fcp: () => 3000 },
    ]);
    const report = evaluateGate(events, { minDurationMs: 0 });
    const fcp = metric(report, 'fcp');
    expect(fcp.treatment.n).toBe(3000);
    expect(fcp.control.n).toBe(3000);
    expect(fcp.estimate!).toBeGreaterThan(0.2);
  });

  it('never compares with ineligible users, even when some outside the stage render v2', () => {
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 1000, errors: 1 },
        { group: 'treatment', users: 1000, errors: 1 },
        { group: 'ineligible', users: 5000, region: 'US', errors: 500 },
        { group: 'ineligible', users: 3, region: 'US', arm: 'v2' },
      ]),
    );
    expect(report.users).toMatchObject({ treatment: 1000, control: 1000, ineligible: 5003 });
    expect(report.regions).toEqual(['AU']);
    expect(metric(report, 'error-rate').control.mean).toBeCloseTo(0.001, 12);
  });

  it('keeps users who opted out in their group and counts them; leaves out users seen in both groups', () => {
    const events = cohorts([
      { group: 'control', users: 300 },
      { group: 'treatment', users: 100 },
    ]);
    const treated = events.find((e) => e.assignment === 'treatment')!;
    events.push({ ...treated, name: 'opt-out', value: 1, ts: treated.ts + 5 });
    const switcher = events.find((e) => e.assignment === 'control')!;
    events.push({
      ...switcher,
      assignment: 'treatment',
      bucket: 0.01,
      ts: switcher.ts + 5,
      receivedAt: switcher.ts + 5,
    });
    const report = evaluateGate(events);
    expect(report.users).toMatchObject({
      treatment: 100,
      control: 299,
      assignmentChanged: 1,
      optedOut: { treatment: 1, control: 0 },
    });
    expect(report.notes.join('\n')).toMatch(/1 users seen in both groups/);
  });

  it('post-stratifies by region and reports the variance it saves', () => {
    const random = seededRandom(9);
    const fcp = (base: number) => () => base * Math.exp(0.3 * random.normal());
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 3000, fcp: fcp(1000) },
        { group: 'treatment', users: 1000, fcp: fcp(1000) },
        { group: 'control', users: 3000, region: 'NZ', fcp: fcp(1400) },
        { group: 'treatment', users: 1000, region: 'NZ', fcp: fcp(1400) },
      ]),
    );
    const f = metric(report, 'fcp');
    expect(f.stratification.strata).toEqual(['AU', 'NZ']);
    expect(f.stratification.varianceRatio!).toBeLessThan(0.9);
  });
});

describe('evaluateGate: the data it refuses to be steered by', () => {
  it('keeps contract-forbidden values out of the statistics and counts them', () => {
    const events = cohorts([
      { group: 'control', users: 2000, fcp: () => 1200 },
      { group: 'treatment', users: 2000, fcp: () => 1200 },
    ]);
    const one = events.find((e) => e.name === 'fcp' && e.assignment === 'treatment')!;
    events.push({ ...one, value: -1e9 }, { ...one, value: Number.NaN }, {
      ...one,
      name: 'bogus',
    } as unknown as MetricEvent);
    const report = evaluateGate(events, { minDurationMs: 0 });
    expect(report.input.excluded.invalid).toBe(3);
    expect(metric(report, 'fcp').estimate).toBe(0);
    expect(report.notes.join('\n')).toMatch(/events not used: 3 invalid/);
  });

  it('does not count a refund (a negative conversion) as a conversion', () => {
    const report = evaluateGate(
      cohorts([
        { group: 'control', users: 1000, conversions: 32 },
        { group: 'treatment', users: 1000, conversions: 32, refunds: 50 },
      ]),
    );
    expect(metric(report, 'conversion').treatment.mean).toBeCloseTo(0.032, 12);
    expect(report.users.refunds).toBe(50);
  });

  it('caps page loads per user at the 99th percentile: one 1,000,000 ms load does not hide +15 %', () => {
    const random = seededRandom(4);
    const events = cohorts([
      { group: 'control', users: 1500, fcp: () => 1000 * Math.exp(0.3 * random.normal()) },
      { group: 'treatment', users: 1500, fcp: () => 1150 * Math.exp(0.3 * random.normal()) },
    ]);
    events.push({ ...events.find((e) => e.name === 'fcp' && e.assignment === 'control')!, value: 1_000_000 });
    const fcp = metric(evaluateGate(events), 'fcp');
    expect(fcp.cap!).toBeLessThan(3000);
    expect(fcp.estimate!).toBeGreaterThan(0.1);
    expect(fcp.status.kind).toBe('rollback');
  });

  it('counts events without an assignment as unusable, without failing', () => {
    const events = cohorts([
      { group: 'control', users: 100 },
      { group: 'treatment', users: 100 },
    ]);
    const old = events.slice(0, 10).map(({ assignment: _a, bucket: _b, ...rest }) => rest);
    const report = evaluateGate([...events, ...old]);
    expect(report.input.excluded['no-assignment']).toBe(10);
    expect(report.users.treatment + report.users.control).toBe(200);
  });

  it('times the stage by server receive time: a client clock 30 h early does not make 2 h of data "24 h"', () => {
    const events = cohorts(
      [
        { group: 'control', users: 40_000, errors: 40, conversions: 1280 },
        { group: 'treatment', users: 40_000, errors: 40, conversions: 1280 },
      ],
      { hours: 2 },
    );
    events[0] = { ...events[0]!, ts: events[0]!.ts - 30 * HOUR };
    const report = evaluateGate(events);
    expect(report.durationMs).toBeLessThan(2.1 * HOUR);
    expect(report.decision.kind).toBe('hold');
    expect(report.decision.reasons.join('\n')).toMatch(
      /minimum duration: 24\.0 h \(stage data spans 2\.0 h, server time\)/,
    );
  });

  it('leaves out events without a receive time, unless told to use the client clock, and says so', () => {
    const events = cohorts([
      { group: 'control', users: 100 },
      { group: 'treatment', users: 100 },
    ]).map(({ receivedAt: _r, ...rest }) => rest);
    expect(() => evaluateGate(events)).toThrow(/no usable events in a stage/);
    const report = evaluateGate(events, { clock: 'client' });
    expect(report.users.treatment).toBe(100);
    expect(report.input.clientTimed).toBe(events.length);
    expect(report.notes.join('\n')).toMatch(/timed by the client's ts/);
  });

  it('judges the stage with the latest server time, not a future-dated client clock; names the stages for a missing one', () => {
    const week1 = cohorts([{ group: 'control', users: 10, stage: 'week1' }], { hours: 1 });
    const week2 = cohorts([{ group: 'control', users: 10, stage: 'week2' }], {
      hours: 1,
      t0: T0 + 30 * HOUR,
      firstId: 100,
    });
    // One week-1 event whose client clock is 400 h fast.
    week1[0] = { ...week1[0]!, ts: week1[0]!.ts + 400 * HOUR };
    const events = [...week1, ...week2];
    expect(evaluateGate(events).stage).toBe('week2');
    expect(evaluateGate(events).stageSource).toEqual({ kind: 'latest-data' });
    expect(() => evaluateGate(events, { stage: 'week9' })).toThrow(GateInputError);
    expect(() => evaluateGate(events, { stage: 'week9' })).toThrow(
      /stage "week9" has no usable events; stages in the data: week1, week2/,
    );
  });

  it("judges the flag's current stage even before it has data (hold, not an error)", () => {
    const events = cohorts([{ group: 'control', users: 10, stage: 'week1' }]);
    const report = evaluateGate(events, {
      stage: 'week2',
      stageSource: { kind: 'flag-server', url: 'http://f' },
    });
    expect(report.stage).toBe('week2');
    expect(report.decision.kind).toBe('hold');
  });
});

describe('evaluateGate: week 4 at 100 % (no concurrent control)', () => {
  const week3 = () =>
    cohorts(
      [
        { group: 'control', users: 3000, errors: 3, stage: 'week3' },
        { group: 'treatment', users: 3000, errors: 3, stage: 'week3' },
      ],
      { hours: 24 },
    );
  const week4 = (errors: number, extra: Parameters<typeof cohorts>[0] = []) =>
    cohorts([{ group: 'treatment', users: 4000, errors, stage: 'week4', arm: 'v2' }, ...extra], {
      t0: T0 + 40 * HOUR,
      firstId: 100_000,
    });

  it("compares with the previous stage's control group, and says so, naming regions it did not cover", () => {
    const report = evaluateGate([
      ...week3(),
      ...week4(200, [{ group: 'treatment', users: 500, stage: 'week4', arm: 'v2', region: 'US' }]),
    ]);
    expect(report.stage).toBe('week4');
    expect(report.control).toEqual({
      kind: 'historical',
      stage: 'week3',
      users: 3000,
      regionsWithout: ['US'],
    });
    const errors = metric(report, 'error-rate');
    expect(errors.control.n).toBe(3000);
    expect(errors.treatment.n).toBe(4000);
    // The US users (no week-3 control there) are out of the comparison, not out of the plan's levels.
    expect(report.levels.find((l) => l.id === 'error-rate')!.n).toBe(4500);
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
    const notes = report.notes.join('\n');
    expect(notes).toMatch(/no concurrent control .* the control group of week3 \(3000 users\) stands in/);
    expect(notes).toMatch(/regions without a historical control: US/);
  });

  it('judges the absolute levels even with no control at all', () => {
    const report = evaluateGate(week4(120));
    expect(report.control.kind).toBe('none');
    expect(report.levels.find((l) => l.id === 'error-rate')!.status.kind).toBe('exceeded');
    expect(report.decision.kind).toBe('rollback');
  });
});

describe('evaluateGate: with no data', () => {
  it('says there is nothing to judge', () => {
    expect(() => evaluateGate([])).toThrow(/no usable events in a stage/);
  });
});

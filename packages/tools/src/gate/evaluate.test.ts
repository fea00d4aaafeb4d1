import type { MetricEvent } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { eventFor, type UserContext } from '../../../../test-support/gate/event-builder.js';
import { evaluateGate } from './evaluate.js';
import { GateInputError } from './events.js';

const T0 = Date.UTC(2026, 1, 10, 0, 0, 0);
const HOUR = 3_600_000;

interface Cohort {
  arm: 'v1' | 'v2' | 'mixed';
  users: number;
  /** How many of them had a js-error / converted. */
  errors?: number;
  conversions?: number;
  fcp?: (i: number) => number;
  region?: string;
  stage?: string;
  errorFamily?: MetricEvent['family'];
  /** Users (counted from the end) with an untagged js-error: page-level noise. */
  noiseErrors?: number;
  exposures?: { family: NonNullable<MetricEvent['family']>; arm: 'v1' | 'v2' }[];
}

/** Users spread evenly over `hours`, each with a page view and the listed outcomes. */
function cohorts(list: Cohort[], hours = 25): MetricEvent[] {
  const events: MetricEvent[] = [];
  let id = 1;
  for (const c of list) {
    for (let i = 0; i < c.users; i++) {
      const user: UserContext = { id: id++, arm: c.arm, stage: c.stage ?? 'week1', region: c.region ?? 'AU' };
      const ts = T0 + Math.floor((i / c.users) * hours * HOUR);
      events.push(eventFor(user, 'page-view', 1, ts));
      if (c.fcp) events.push(eventFor(user, 'fcp', c.fcp(i), ts + 10));
      if (i < (c.errors ?? 0)) {
        events.push(eventFor(user, 'js-error', 1, ts + 20, c.errorFamily ? { family: c.errorFamily } : {}));
      }
      if (i >= c.users - (c.noiseErrors ?? 0)) events.push(eventFor(user, 'js-error', 1, ts + 25));
      // Conversions are spread over the cohort rather than bunched at its start.
      const conv = c.conversions ?? 0;
      if (conv > 0 && i % Math.floor(c.users / conv) === 0 && i / Math.floor(c.users / conv) < conv) {
        events.push(eventFor(user, 'conversion', 1, ts + 30));
      }
      for (const x of c.exposures ?? [])
        events.push(eventFor(user, 'exposure', 1, ts + 1, { family: x.family, arm: x.arm }));
    }
  }
  return events;
}

describe('evaluateGate', () => {
  it('rolls the flag back when v2 clearly raises the share of users with errors', () => {
    const report = evaluateGate(
      cohorts([
        { arm: 'v1', users: 2000, errors: 2 },
        { arm: 'mixed', users: 2000, errors: 100 },
      ]),
    );
    expect(report.stage).toBe('week1');
    expect(report.decision.kind).toBe('rollback');
    if (report.decision.kind === 'rollback') {
      expect(report.decision.scope).toBe('flag');
      expect(report.decision.reasons[0]).toMatch(/users with a JS error: v2 is worse/);
    }
    const errors = report.metrics.find((m) => m.metric === 'error-rate')!;
    expect(errors.interval!.lower).toBeGreaterThan(0);
    expect(errors.estimate).toBeCloseTo(0.049, 3);
  });

  it('rolls back on a conversion drop (lower is worse)', () => {
    const report = evaluateGate(
      cohorts([
        { arm: 'v1', users: 20_000, conversions: 640, errors: 20 },
        { arm: 'v2', users: 20_000, conversions: 300, errors: 20 },
      ]),
      { stage: 'week1' },
    );
    const conversion = report.metrics.find((m) => m.metric === 'conversion')!;
    expect(conversion.status.kind).toBe('rollback');
    expect(conversion.interval!.upper).toBeLessThan(0);
    expect(report.decision.kind).toBe('rollback');
  });

  it('advances week 1 when the error increase is shown below 0.1 point with enough users and time', () => {
    const report = evaluateGate(
      cohorts([
        { arm: 'v1', users: 40_000, errors: 40 },
        { arm: 'mixed', users: 40_000, errors: 40 },
      ]),
    );
    expect(report.decision).toMatchObject({ kind: 'advance', nextStage: 'week2' });
    expect(report.successGate).toMatchObject({ description: 'error increase < 0.1 point', met: true });
    const errors = report.metrics.find((m) => m.metric === 'error-rate')!;
    expect(errors.interval!.upper).toBeLessThan(0.001);
  });

  it('holds, saying how many more users it needs, when the gate is not shown yet', () => {
    const report = evaluateGate(
      cohorts([
        { arm: 'v1', users: 5000, errors: 5 },
        { arm: 'mixed', users: 5000, errors: 5 },
      ]),
    );
    expect(report.decision.kind).toBe('hold');
    if (report.decision.kind === 'hold') {
      expect(report.decision.usersNeeded).toBeGreaterThan(10_000);
      expect(report.decision.reasons.join('\n')).toMatch(/about \d+ more users/);
    }
  });

  it('holds before the minimum duration even when the gate is met', () => {
    const events = cohorts(
      [
        { arm: 'v1', users: 40_000, errors: 40 },
        { arm: 'v2', users: 40_000, errors: 40 },
      ],
      2,
    );
    const report = evaluateGate(events);
    expect(report.decision.kind).toBe('hold');
    if (report.decision.kind === 'hold')
      expect(report.decision.reasons.join('\n')).toMatch(/minimum duration: 24\.0 h/);
    expect(evaluateGate(events, { minDurationMs: 0 }).decision.kind).toBe('advance');
  });

  it('rolls back on 3 P1 bugs whatever the data says', () => {
    const report = evaluateGate(
      cohorts([
        { arm: 'v1', users: 100 },
        { arm: 'v2', users: 100 },
      ]),
      { p1Bugs: 3 },
    );
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
    expect(report.decision.kind === 'rollback' && report.decision.reasons[0]).toMatch(/3 P1 bugs/);
  });

  it('kills only the family whose tagged errors rose, when the page-level rate is too noisy to show it', () => {
    const both = [
      { family: 'buttons' as const, arm: 'v2' as const },
      { family: 'cards' as const, arm: 'v2' as const },
    ];
    const control = [
      { family: 'buttons' as const, arm: 'v1' as const },
      { family: 'cards' as const, arm: 'v1' as const },
    ];
    const report = evaluateGate(
      cohorts([
        { arm: 'v1', users: 2000, exposures: control, errors: 2, errorFamily: 'cards', noiseErrors: 400 },
        { arm: 'mixed', users: 2000, exposures: both, errors: 60, errorFamily: 'cards', noiseErrors: 400 },
      ]),
      { stage: 'week1' },
    );
    // Both families are compared, so alpha is split seven ways.
    expect(report.alpha.comparisons).toBe(7);
    const cards = report.families.find((f) => f.family === 'cards')!;
    expect(cards.kill).toBe(true);
    expect(report.families.find((f) => f.family === 'buttons')!.kill).toBe(false);
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'families', families: ['cards'] });
    expect(report.metrics.find((m) => m.metric === 'error-rate')!.status.kind).not.toBe('rollback');
  });

  it('counts mixed pages as treated, and leaves out opted-out users and control users outside the stage regions', () => {
    const events = cohorts([
      { arm: 'v1', users: 300 },
      { arm: 'mixed', users: 100 },
      { arm: 'v1', users: 500, region: 'US' },
    ]);
    const optOutUser = events.find((e) => e.arm === 'mixed')!;
    events.push({ ...optOutUser, name: 'opt-out', value: 1, ts: optOutUser.ts + 5 });
    // Opting back in is sent as 0 and does not count as opting out.
    const other = events.find((e) => e.arm === 'mixed' && e.user !== optOutUser.user)!;
    events.push({ ...other, name: 'opt-out', value: 0, ts: other.ts + 5 });
    const report = evaluateGate(events);
    expect(report.users).toEqual({ v1: 300, v2: 99, optedOut: 1, outsideRegions: 500 });
    expect(report.regions).toEqual(['AU']);
  });

  it('judges the stage with the latest events by default, and names the stages when asked for a missing one', () => {
    const events = [
      ...cohorts([{ arm: 'v1', users: 10, stage: 'week1' }], 1),
      ...cohorts([{ arm: 'v1', users: 10, stage: 'week2' }], 1).map((e) => ({ ...e, ts: e.ts + 30 * HOUR })),
    ];
    expect(evaluateGate(events).stage).toBe('week2');
    expect(() => evaluateGate(events, { stage: 'week9' })).toThrow(GateInputError);
    expect(() => evaluateGate(events, { stage: 'week9' })).toThrow(
      /stage "week9" has no events; stages in the data: week1, week2/,
    );
  });

  it('rolls back on 3 P1 bugs even with no data at all', () => {
    expect(evaluateGate([], { p1Bugs: 4 }).decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
  });

  it("at 100 % (no v1 users left) compares with the previous stage's v1 users, and says so", () => {
    const week3 = cohorts([
      { arm: 'v1', users: 3000, errors: 3, stage: 'week3' },
      { arm: 'mixed', users: 3000, errors: 3, stage: 'week3' },
    ]);
    const week4 = cohorts([{ arm: 'v2', users: 4000, errors: 200, stage: 'week4' }]).map((e) => ({
      ...e,
      user: `f${e.user}`,
      ts: e.ts + 40 * HOUR,
    }));
    const report = evaluateGate([...week3, ...week4]);
    expect(report.stage).toBe('week4');
    expect(report.control).toEqual({ kind: 'historical', stage: 'week3' });
    const errors = report.metrics.find((m) => m.metric === 'error-rate')!;
    expect(errors.v1.n).toBe(3000);
    expect(errors.v2.n).toBe(4000);
    expect(report.decision).toMatchObject({ kind: 'rollback', scope: 'flag' });
  });

  it('refuses data without any stage', () => {
    expect(() => evaluateGate([])).toThrow(/no events with a stage/);
  });
});

// The plan's week gates as checks, and what the report says when a stage cannot show its gate.
import { describe, expect, it } from 'vitest';
import { healthyAggregate, loadsBeyond } from '../../../../test-support/gate/aggregates.js';
import { decideStage, type GateOptions } from './evaluate.js';
import type { GateReport } from './report.js';

const HOUR = 3_600_000;
const reasons = (r: GateReport) => r.decision.reasons.join('\n');

describe('week 1: error increase < 0.1 point', () => {
  it('advances when treatment - control is shown below +0.1 point, with users and a day of data', () => {
    const report = decideStage(healthyAggregate('week1', 200_000));
    expect(report.successGate.met).toBe(true);
    expect(report.decision).toMatchObject({ kind: 'advance', nextStage: 'week2' });
  });

  it('holds while +0.08 point is not shown below +0.1', () => {
    const n = 200_000;
    const report = decideStage(
      healthyAggregate('week1', n, {
        'error-rate': { control: { n, mean: 0.001 }, treatment: { n, mean: 0.0018 } },
      }),
    );
    expect(report.decision.kind).toBe('hold');
    expect(reasons(report)).toMatch(/users with a JS error: /);
  });

  it('says that week 1 cannot judge conversion, without holding for it', () => {
    const aggregate = { ...healthyAggregate('week1', 200_000), lastAt: 48 * HOUR };
    const report = decideStage(aggregate);
    expect(report.decision.kind).toBe('advance');
    const conversion = report.metrics.find((m) => m.metric === 'conversion')!;
    expect(conversion.inGate).toBe(false);
    expect(conversion.knowable.kind).toBe('not-in-this-stage');
    expect(report.cannotKnow.join('\n')).toMatch(
      /users who converted: week1 cannot judge it: a decision needs about [\d.]+ million users/,
    );
  });
});

describe('week 2: performance maintained', () => {
  it('advances when FCP and theme switch are shown within +5 % and memory within +10 %', () => {
    expect(decideStage(healthyAggregate('week2', 1_000_000)).decision).toMatchObject({
      kind: 'advance',
      nextStage: 'week3',
    });
  });

  it('holds on FCP +6 % shown (past the margin, short of the trigger) and says more data will not decide it', () => {
    const n = 1_000_000;
    const report = decideStage(
      healthyAggregate('week2', n, { fcp: { control: { n, mean: 1200 }, treatment: { n, mean: 1272 } } }),
    );
    expect(report.decision.kind).toBe('hold');
    const fcp = report.metrics.find((m) => m.metric === 'fcp')!;
    expect(fcp.status.kind).toBe('pending');
    expect(fcp.knowable).toMatchObject({ kind: 'not-in-this-stage', usersNeeded: null });
    expect(report.decision.kind === 'hold' && report.decision.cannotBeShown).toEqual([
      'page load (FCP, user mean)',
    ]);
    expect(reasons(report)).toMatch(/decide by hand/);
  });
});

describe('week 3: no conversion impact', () => {
  it('advances when a conversion loss of 0.1 point is ruled out', () => {
    expect(decideStage(healthyAggregate('week3', 10_000_000)).decision).toMatchObject({
      kind: 'advance',
      nextStage: 'week4',
    });
  });

  it('holds, saying this stage cannot show it, when it would need far more users than the stage will see', () => {
    const report = decideStage({ ...healthyAggregate('week3', 20_000), lastAt: 24 * HOUR });
    expect(report.decision.kind).toBe('hold');
    if (report.decision.kind !== 'hold') return;
    expect(report.decision.cannotBeShown).toEqual(['users who converted']);
    expect(reasons(report)).toMatch(
      /users who converted: week3 cannot judge it: a decision needs about .* users .*week3 will see about 200,000/,
    );
  });
});

describe('week 4: all metrics improved', () => {
  const inputs: GateOptions = {
    levels: {
      bundle: { bytes: 26_735, source: 'manifest.json' },
      lighthouse: { score: 96, formFactor: 'mobile', source: 'lhr.json' },
    },
  };

  it('is defined as the targets of the table shown met and no metric shown worse', () => {
    const report = decideStage(healthyAggregate('week4', 10_000_000), inputs);
    expect(report.successGate.definition).toMatch(
      /FCP p75 < 1\.0 s, theme switch p75 < 50 ms, bundle < 30 KB, Lighthouse 95\+/,
    );
    expect(report.successGate.checks.map((c) => c.name)).toEqual([
      'users with a JS error',
      'page load (FCP, user mean)',
      'users who converted',
      'memory (user mean)',
      'theme switch (user mean)',
      'bundle size (v2 token CSS, whole site) target < 30 KB',
      'FCP p75 (v2 page loads) target < 1.0 s',
      'theme switch p75 (v2 pages) target < 50 ms',
      'users with a JS error (treatment) target 0.1 % (judged: shown below 0.2 %, baseline + the 0.1 pt week-1 margin)',
      'users who converted (treatment) target 3.2 %+ (judged: shown above 3.1 %, baseline - 0.1 pt)',
      'Lighthouse performance (mobile, recorded run) target 95+',
    ]);
    expect(report.decision).toMatchObject({ kind: 'advance', nextStage: null });
  });

  it('holds when a target is missed: FCP p75 not below 1.0 s, Lighthouse 93', () => {
    const aggregate = healthyAggregate('week4', 10_000_000);
    const users = aggregate.levels.pages.fcp.users;
    aggregate.levels.pages.fcp.beyond = [loadsBeyond(users, 2, 0.15), loadsBeyond(users, 2, 0.3)];
    const report = decideStage(aggregate, {
      levels: { ...inputs.levels, lighthouse: { score: 93, formFactor: 'mobile', source: 'lhr.json' } },
    });
    expect(report.decision.kind).toBe('hold');
    expect(reasons(report)).toMatch(
      /FCP p75 \(v2 page loads\) target < 1\.0 s: .*p75 shown at or above 1000 ms/,
    );
    expect(reasons(report)).toMatch(/Lighthouse .*93 in lhr\.json is below 95/);
  });

  it('says what was not measured (no manifest, a desktop Lighthouse run) instead of passing it', () => {
    const report = decideStage(healthyAggregate('week4', 10_000_000), {
      levels: { lighthouse: { score: 99, formFactor: 'desktop', source: 'lhr.json' } },
    });
    expect(report.decision.kind).toBe('hold');
    if (report.decision.kind !== 'hold') return;
    expect(report.decision.cannotBeShown).toEqual([
      'bundle size (v2 token CSS, whole site) target < 30 KB',
      'Lighthouse performance (mobile, recorded run) target 95+',
    ]);
    expect(reasons(report)).toMatch(/give --manifest URL/);
    expect(reasons(report)).toMatch(/a desktop run; the plan's 95\+ is for mobile/);
  });
});

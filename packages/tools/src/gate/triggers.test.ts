// Every rollback trigger of the plan: a case that fires it and one just under it that does not. Decisions
// are made from sufficient statistics (decideStage), so the samples can be large enough that "just under"
// is shown to be under (an interval narrower than the gap to the trigger).
import { describe, expect, it } from 'vitest';
import { healthyAggregate, loadsBeyond, rateOf } from '../../../../test-support/gate/aggregates.js';
import type { Bug } from '../bugs/bug.js';
import { decideStage, type GateOptions } from './evaluate.js';
import type { GateReport } from './report.js';
import type { RatioMoments } from './stats/ratio.js';
import type { PageMetric } from './thresholds.js';

const HOUR = 3_600_000;

function reasons(report: GateReport): string {
  return report.decision.reasons.join('\n');
}

function relative(metric: PageMetric, n: number, control: number, treatment: number, sd?: number) {
  return decideStage(
    healthyAggregate('week2', n, {
      [metric]: { control: { n, mean: control, sd }, treatment: { n, mean: treatment, sd } },
    }),
  );
}

describe('the relative triggers (treatment against control)', () => {
  it('"error rate increases >0.5%" (+0.5 point): +0.575 pt rolls back, +0.425 pt does not', () => {
    const n = 10_000_000;
    const fired = relative('error-rate', n, 0.001, 0.00675);
    expect(fired.decision.kind).toBe('rollback');
    expect(reasons(fired)).toMatch(/users with a JS error: v2 is worse/);
    const under = relative('error-rate', n, 0.001, 0.00525);
    expect(under.metrics.find((m) => m.metric === 'error-rate')!.status.kind).not.toBe('rollback');
    expect(under.metrics.find((m) => m.metric === 'error-rate')!.interval!.upper).toBeLessThan(0.005);
  });

  it('"page load time increases >10%": +11.5 % rolls back, +8.5 % does not', () => {
    const n = 1_000_000;
    expect(relative('fcp', n, 1200, 1200 * 1.115).decision.kind).toBe('rollback');
    const under = relative('fcp', n, 1200, 1200 * 1.085);
    const fcp = under.metrics.find((m) => m.metric === 'fcp')!;
    expect(fcp.status.kind).not.toBe('rollback');
    expect(fcp.interval!.upper).toBeLessThan(0.1);
    expect(under.decision.kind).not.toBe('rollback');
  });

  it('"conversion rate drops >1%" (read as the table\'s -0.1 point): -0.115 pt rolls back, -0.085 pt does not', () => {
    const n = 100_000_000;
    expect(relative('conversion', n, 0.032, 0.032 - 0.00115).decision.kind).toBe('rollback');
    const under = relative('conversion', n, 0.032, 0.032 - 0.00085);
    expect(under.metrics.find((m) => m.metric === 'conversion')!.status.kind).not.toBe('rollback');
    expect(under.decision.kind).not.toBe('rollback');
  });

  it('"memory usage increases >20%": +23 % rolls back, +17 % does not', () => {
    const n = 1_000_000;
    expect(relative('memory', n, 60, 60 * 1.23).decision.kind).toBe('rollback');
    expect(relative('memory', n, 60, 60 * 1.17).decision.kind).not.toBe('rollback');
  });

  it('theme switch +10 % (the gate reads it like page load): +11.5 % rolls back, +8.5 % does not', () => {
    const n = 1_000_000;
    expect(relative('theme-switch', n, 150, 150 * 1.115).decision.kind).toBe('rollback');
    expect(relative('theme-switch', n, 150, 150 * 1.085).decision.kind).not.toBe('rollback');
  });
});

describe("the table's absolute levels (v2's own numbers)", () => {
  const users = 200_000;
  function level(levels: Parameters<typeof healthyAggregate>[3], options: GateOptions = {}) {
    return decideStage(healthyAggregate('week2', 1_000_000, {}, levels), options);
  }
  const check = (r: GateReport, id: string) => r.levels.find((l) => l.id === id)!;

  /** v2 page loads: the share of FCP loads above 1.3 s and of theme switches above 100 ms. */
  function pages(fcpShare: number, themeShare: number) {
    return {
      pages: {
        fcp: {
          users,
          loads: 2 * users,
          beyond: [loadsBeyond(users, 2, fcpShare), loadsBeyond(users, 2, 0.1)] as [
            RatioMoments,
            RatioMoments,
          ],
          p75: null,
        },
        'theme-switch': {
          users,
          loads: users,
          beyond: [loadsBeyond(users, 1, themeShare), loadsBeyond(users, 1, 0.1)] as [
            RatioMoments,
            RatioMoments,
          ],
          p75: null,
        },
      },
    };
  }

  it('FCP p75 > 1.3 s: 27 % of v2 loads above 1.3 s rolls back, 23 % does not', () => {
    const fired = level(pages(0.27, 0.05));
    expect(check(fired, 'fcp-p75').status.kind).toBe('exceeded');
    expect(fired.decision.kind).toBe('rollback');
    expect(reasons(fired)).toMatch(/FCP p75 \(v2 page loads\) \(plan level\): .*p75 is shown above 1300 ms/);
    const under = level(pages(0.23, 0.05));
    expect(check(under, 'fcp-p75').status.kind).toBe('clear');
    expect(under.decision.kind).not.toBe('rollback');
  });

  it('theme switch p75 > 100 ms: 27 % of v2 switches above 100 ms rolls back, 23 % does not', () => {
    const fired = level(pages(0.15, 0.27));
    expect(check(fired, 'theme-switch-p75').status.kind).toBe('exceeded');
    expect(fired.decision.kind).toBe('rollback');
    const under = level(pages(0.15, 0.23));
    expect(check(under, 'theme-switch-p75').status.kind).toBe('clear');
    expect(under.decision.kind).not.toBe('rollback');
  });

  it('bundle > 40 KB: 40,001 bytes rolls back, 40,000 does not', () => {
    const bundle = (bytes: number) => ({ levels: { bundle: { bytes, source: 'manifest.json' } } });
    const fired = level({}, bundle(40_001));
    expect(check(fired, 'bundle').status.kind).toBe('exceeded');
    expect(reasons(fired)).toMatch(/bundle size .*40,001 B in manifest\.json is above 40,000 B/);
    expect(level({}, bundle(40_000)).decision.kind).not.toBe('rollback');
  });

  it('error rate > 0.5 %: 0.6 % of treated users rolls back, 0.4 % does not (even with control equal)', () => {
    const n = 1_000_000;
    const at = (rate: number) =>
      decideStage(
        healthyAggregate(
          'week2',
          n,
          { 'error-rate': { control: { n, mean: rate }, treatment: { n, mean: rate } } },
          { errorRate: rateOf(n, rate) },
        ),
      );
    const fired = at(0.006);
    expect(check(fired, 'error-rate').status.kind).toBe('exceeded');
    expect(fired.decision.kind).toBe('rollback');
    expect(check(at(0.004), 'error-rate').status.kind).toBe('clear');
    expect(at(0.004).decision.kind).not.toBe('rollback');
  });

  it('conversion < 3.1 %: 3.0 % of treated users rolls back, 3.2 % does not (even with control equal)', () => {
    const n = 4_000_000;
    const at = (rate: number) =>
      decideStage(
        healthyAggregate(
          'week2',
          n,
          { conversion: { control: { n, mean: rate }, treatment: { n, mean: rate } } },
          { conversion: rateOf(n, rate) },
        ),
      );
    expect(check(at(0.03), 'conversion').status.kind).toBe('exceeded');
    expect(at(0.03).decision.kind).toBe('rollback');
    expect(check(at(0.032), 'conversion').status.kind).toBe('clear');
    expect(at(0.032).decision.kind).not.toBe('rollback');
  });
});

describe('"3+ P1 bugs reported" (the bug service, the last 24 h)', () => {
  const now = Date.UTC(2026, 1, 12, 12);
  const bug = (id: string, hoursAgo: number, extra: Partial<Bug> = {}): Bug => ({
    id,
    severity: 'P1',
    title: `broken ${id}`,
    link: null,
    reportedAt: now - hoursAgo * HOUR,
    receivedAt: now - hoursAgo * HOUR,
    withdrawnAt: null,
    ...extra,
  });
  const judge = (bugs: Bug[]) =>
    decideStage(healthyAggregate('week1', 10_000), {
      p1: { kind: 'bug-service', url: 'http://x/bugs', bugs, now },
    });

  it('three P1s in the last 24 h roll back and are listed; two do not', () => {
    const fired = judge([bug('WEB-1', 1), bug('WEB-2', 5), bug('WEB-3', 23.9)]);
    expect(fired.decision.kind).toBe('rollback');
    expect(reasons(fired)).toMatch(/3 P1 bugs reported in the last 24 h \(WEB-1, WEB-2, WEB-3\)/);
    expect(fired.p1.bugs.map((b) => b.id)).toEqual(['WEB-1', 'WEB-2', 'WEB-3']);
    expect(judge([bug('WEB-1', 1), bug('WEB-2', 5)]).decision.kind).not.toBe('rollback');
  });

  it('does not count a P1 older than 24 h, a withdrawn one, or a P2', () => {
    const report = judge([
      bug('WEB-1', 1),
      bug('WEB-2', 2),
      bug('OLD', 24.1),
      bug('OOPS', 3, { withdrawnAt: now - HOUR }),
      bug('MINOR', 1, { severity: 'P2' }),
    ]);
    expect(report.p1Bugs).toBe(2);
    expect(report.p1.withdrawn).toBe(1);
    expect(report.decision.kind).not.toBe('rollback');
  });

  it('a typed --p1-bugs count overrides the bug service: 3 rolls back, 2 does not', () => {
    const three = decideStage(healthyAggregate('week1', 10_000), { p1Bugs: 3 });
    expect(three.decision.kind).toBe('rollback');
    expect(three.p1.source).toMatch(/--p1-bugs/);
    expect(decideStage(healthyAggregate('week1', 10_000), { p1Bugs: 2 }).decision.kind).not.toBe('rollback');
  });
});

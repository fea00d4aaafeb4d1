import type { MetricEvent } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { createAggregates } from './aggregates.js';

const base = {
  stage: 'week1',
  configVersion: 'c1',
  region: 'AU',
  ts: 1,
  assignment: 'treatment',
  bucket: 0.1,
} as const;
function ev(
  partial: Partial<MetricEvent> & Pick<MetricEvent, 'name' | 'arm' | 'user' | 'session'>,
): MetricEvent {
  return { value: 1, ...base, ...partial };
}

function feed(): ReturnType<typeof createAggregates> {
  const agg = createAggregates();
  const events: MetricEvent[] = [
    // v2: two users, three sessions; one session has two errors, one user converts twice
    ev({ name: 'page-view', arm: 'v2', user: 'a', session: 'a1' }),
    ev({ name: 'page-view', arm: 'v2', user: 'a', session: 'a1' }),
    ev({ name: 'js-error', arm: 'v2', user: 'a', session: 'a1' }),
    ev({ name: 'js-error', arm: 'v2', user: 'a', session: 'a1' }),
    ev({ name: 'page-view', arm: 'v2', user: 'a', session: 'a2' }),
    ev({ name: 'page-view', arm: 'v2', user: 'b', session: 'b1' }),
    ev({ name: 'conversion', arm: 'v2', user: 'b', session: 'b1', value: 30, family: 'checkout' }),
    ev({ name: 'conversion', arm: 'v2', user: 'b', session: 'b1', value: 20, family: 'checkout' }),
    ev({ name: 'fcp', arm: 'v2', user: 'a', session: 'a1', value: 100, family: 'buttons' }),
    ev({ name: 'fcp', arm: 'v2', user: 'a', session: 'a2', value: 300, family: 'buttons' }),
    ev({ name: 'fcp', arm: 'v2', user: 'b', session: 'b1', value: 200, family: 'buttons' }),
    ev({ name: 'fcp', arm: 'v2', user: 'b', session: 'b1', value: 1000 }),
    ev({ name: 'fallback', arm: 'v2', user: 'b', session: 'b1', value: 'fcp-budget', family: 'buttons' }),
    // v1: one user, one session, in another stage too
    ev({ name: 'page-view', arm: 'v1', user: 'c', session: 'c1' }),
    ev({ name: 'fcp', arm: 'v1', user: 'c', session: 'c1', value: 500 }),
    ev({ name: 'page-view', arm: 'v1', user: 'c', session: 'c2', stage: null }),
  ];
  for (const e of events) agg.add(e);
  return agg;
}

describe('aggregates', () => {
  it('gives count, mean and quantiles per arm × stage × family × metric', () => {
    const { metrics } = feed().summary({ metric: 'fcp' });
    expect(metrics).toEqual([
      {
        arm: 'v1',
        stage: 'week1',
        family: null,
        metric: 'fcp',
        count: 1,
        mean: 500,
        p50: 500,
        p75: 500,
        p95: 500,
      },
      {
        arm: 'v2',
        stage: 'week1',
        family: null,
        metric: 'fcp',
        count: 1,
        mean: 1000,
        p50: 1000,
        p75: 1000,
        p95: 1000,
      },
      {
        arm: 'v2',
        stage: 'week1',
        family: 'buttons',
        metric: 'fcp',
        count: 3,
        mean: 200,
        p50: 200,
        p75: 250,
        p95: 290,
      },
    ]);
  });

  it('computes error and conversion rates per arm × stage', () => {
    const rates = feed().summary({ arm: 'v2' }).rates;
    expect(rates).toEqual([
      {
        arm: 'v2',
        stage: 'week1',
        users: 2,
        sessions: 3,
        pageViews: 4,
        pageViewSessions: 3,
        jsErrors: 2,
        errorSessions: 1,
        errorSessionRate: 1 / 3,
        errorsPerPageView: 0.5,
        conversions: 2,
        convertingUsers: 1,
        conversionRate: 0.5,
      },
    ]);
  });

  it('counts distinct users and sessions per arm, fallback reasons, and filters by stage (null = no stage)', () => {
    const agg = feed();
    const summary = agg.summary();
    expect(summary.events).toBe(16);
    expect(summary.arms).toEqual([
      { arm: 'v1', users: 1, sessions: 2, events: 3 },
      { arm: 'v2', users: 2, sessions: 3, events: 13 },
    ]);
    expect(summary.fallbacks).toEqual([
      { arm: 'v2', stage: 'week1', family: 'buttons', reason: 'fcp-budget', count: 1 },
    ]);
    expect(agg.summary({ stage: null }).rates.map((r) => [r.arm, r.stage, r.pageViews])).toEqual([
      ['v1', null, 1],
    ]);
    expect(agg.summary({ family: 'checkout' }).metrics.map((m) => m.metric)).toEqual(['conversion']);
  });

  it('gives per-user rows for the gate', () => {
    const { users } = feed().users({ arm: 'v2' });
    expect(users).toEqual([
      {
        user: 'a',
        arm: 'v2',
        stage: 'week1',
        sessions: 2,
        pageViews: 3,
        errors: 2,
        conversions: 0,
        conversionValue: 0,
        metrics: { fcp: { sum: 400, count: 2 } },
      },
      {
        user: 'b',
        arm: 'v2',
        stage: 'week1',
        sessions: 1,
        pageViews: 1,
        errors: 0,
        conversions: 2,
        conversionValue: 50,
        metrics: { fcp: { sum: 1200, count: 2 } },
      },
    ]);
  });

  it('returns copies: a caller changing a result does not change the aggregates', () => {
    const agg = feed();
    const first = agg.users({ arm: 'v1', stage: 'week1' });
    const row = first.users[0];
    if (row?.metrics.fcp) row.metrics.fcp.sum = -1;
    expect(agg.users({ arm: 'v1', stage: 'week1' }).users[0]?.metrics.fcp?.sum).toBe(500);
  });
});

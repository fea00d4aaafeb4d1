// The collector's aggregates are one SQL query over the store: the same figures on DuckDB and ClickHouse.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricEvent } from 'token-rollout/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickHouseOrSkipNotice,
  dropTestDatabases,
  testDatabaseUrl,
} from '../../../../test-support/store/clickhouse.js';
import { openStore, type StoreSpec } from '../store/open.js';
import type { EventStore } from '../store/types.js';
import { type AggregateQuery, aggregatesOf } from './aggregates.js';

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

const EVENTS: MetricEvent[] = [
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

let dir = '';
const chUp = await clickHouseOrSkipNotice();
const chUrl = testDatabaseUrl('tr_aggregates');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aggregates-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  if (chUp) await dropTestDatabases([chUrl]);
}, 60_000);

const engines: { name: string; up: boolean; spec: () => StoreSpec }[] = [
  { name: 'duckdb', up: true, spec: () => ({ engine: 'duckdb', path: join(dir, 'aggregates.duckdb') }) },
  { name: 'clickhouse', up: chUp, spec: () => ({ engine: 'clickhouse', url: chUrl }) },
];

for (const engine of engines) {
  describe.skipIf(!engine.up)(`aggregates in SQL: ${engine.name}`, () => {
    let store: EventStore;
    const summary = (query?: AggregateQuery) => aggregatesOf(store, query);
    beforeAll(async () => {
      store = await openStore(engine.spec());
      await store.append(EVENTS.map((e, i) => ({ ...e, id: `agg-${i}`, receivedAt: 1_700_000_000_000 + i })));
    });
    afterAll(() => store.close());
    it('gives count, mean and quantiles per arm × stage × family × metric', async () => {
      const { metrics } = await summary({ metric: 'fcp' });
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

    it('computes error and conversion rates per arm × stage', async () => {
      const { rates } = await summary({ arm: 'v2' });
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

    it('counts distinct users and sessions per arm, fallback reasons, and filters by stage (null = no stage)', async () => {
      const all = await summary();
      expect(all.events).toBe(16);
      expect(all.arms).toEqual([
        { arm: 'v1', users: 1, sessions: 2, events: 3 },
        { arm: 'v2', users: 2, sessions: 3, events: 13 },
      ]);
      expect(all.fallbacks).toEqual([
        { arm: 'v2', stage: 'week1', family: 'buttons', reason: 'fcp-budget', count: 1 },
      ]);
      expect((await summary({ stage: null })).rates.map((r) => [r.arm, r.stage, r.pageViews])).toEqual([
        ['v1', null, 1],
      ]);
      expect((await summary({ family: 'checkout' })).metrics.map((m) => m.metric)).toEqual(['conversion']);
    });
  });
}

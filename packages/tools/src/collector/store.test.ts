// The collector over its event store: a retried batch is answered 200 and stored once, a full store
// refuses events with 507, failing writes make /health say so, and the same routes work on ClickHouse.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { MetricEvent } from 'token-rollout/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sampleSession } from '../../../../test-support/collector/sample-events.js';
import { mulberry32 } from '../../../../test-support/random.js';
import {
  clickHouseOrSkipNotice,
  dropTestDatabases,
  testDatabaseUrl,
} from '../../../../test-support/store/clickhouse.js';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { openStore } from '../store/open.js';
import type { EventStore } from '../store/types.js';
import { type CollectorServer, startCollectorServer } from './server.js';

const dirs = tempDirs('collector-store-');
const open: CollectorServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
const chUp = await clickHouseOrSkipNotice();
const chUrl = testDatabaseUrl('tr_collector');
afterAll(async () => {
  dirs.removeAll();
  if (chUp) await dropTestDatabases([chUrl]);
}, 60_000);

async function start(options: Partial<Parameters<typeof startCollectorServer>[0]> = {}) {
  const server = await startCollectorServer({ dataDir: dirs.make(), ...options });
  open.push(server);
  return server;
}

const post = (url: string, events: readonly MetricEvent[]) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(events) });

const withIds = (events: MetricEvent[], prefix: string) =>
  events.map((e, i) => ({ ...e, id: `${prefix}-${i}` }));

describe('retries', () => {
  it('answers a retried batch 200 and stores it once; a grown retry stores only what is new', async () => {
    const server = await start();
    const random = mulberry32(5);
    const batch = withIds(sampleSession(random, 'a', 1_700_000_000_000), 'a');
    const more = withIds(sampleSession(random, 'b', 1_700_000_000_000), 'b');
    const first = await post(server.collectUrl, batch);
    expect(await first.json()).toEqual({ accepted: batch.length, rejected: 0, errors: [] });
    const again = await post(server.collectUrl, batch);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({
      accepted: batch.length,
      rejected: 0,
      errors: [],
      known: batch.length,
    });
    const grown = await post(server.collectUrl, [...batch, ...more]);
    expect(await grown.json()).toMatchObject({ accepted: batch.length + more.length, known: batch.length });
    expect(await server.collector.store.count()).toBe(batch.length + more.length);
  });

  it('recognises the retry of events sent without ids (ids from their content)', async () => {
    const server = await start();
    const batch = sampleSession(mulberry32(6), 'c', 1_700_000_000_000);
    await post(server.collectUrl, batch);
    expect(await (await post(server.collectUrl, batch)).json()).toMatchObject({ known: batch.length });
    expect(await server.collector.store.count()).toBe(batch.length);
  });
});

describe('bounds', () => {
  it('refuses new events with 507 over --max-store-bytes, and /health says the store is full', async () => {
    const server = await start({ maxStoreBytes: 1 });
    const res = await post(server.collectUrl, sampleSession(mulberry32(7), 'd', 1_700_000_000_000));
    expect(res.status).toBe(507);
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(
      /^the event store is full: .*events\.duckdb takes \d+ bytes, over the limit of 1 \(--max-store-bytes\)/,
    );
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      ok: false,
      maxStoreBytes: 1,
      full: error,
      writeFailure: null,
    });
    expect(await server.collector.store.count()).toBe(0);
  });

  it('/health says not ok while appends fail (a full disk), and ok again once one succeeds', async () => {
    let failing = false;
    const real = await openStore({ engine: 'duckdb', path: `${dirs.make()}/events.duckdb` });
    const store: EventStore = {
      ...real,
      append: (events) =>
        failing ? Promise.reject(new Error('IO Error: No space left on device')) : real.append(events),
    };
    const server = await start({ store });
    failing = true;
    const batch = sampleSession(mulberry32(8), 'e', 1_700_000_000_000);
    const refused = await post(server.collectUrl, batch);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: 'events not stored: IO Error: No space left on device' });
    const sick = await fetch(`${server.url}/health`);
    expect(sick.status).toBe(503);
    expect(await sick.json()).toMatchObject({ ok: false, writeFailure: 'IO Error: No space left on device' });
    failing = false;
    expect((await post(server.collectUrl, batch)).status).toBe(200);
    const well = await fetch(`${server.url}/health`);
    expect(await well.json()).toMatchObject({ ok: true, writeFailure: null, events: batch.length });
  });

  it('names the file when another process holds the DuckDB store', async () => {
    const path = `${dirs.make()}/events.duckdb`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test-support/store/append-child.ts', path, '1'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await once(child.stdout, 'data'); // it holds the file once it has stored a batch
      await expect(openStore({ engine: 'duckdb', path })).rejects.toThrow(
        `${path} is in use by another process (DuckDB allows one writer): stop it, or give this one its own --data or --store`,
      );
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }, 30_000);
});

describe.skipIf(!chUp)('on ClickHouse', () => {
  it('collects, aggregates, exports, reports health and the gate statistics', async () => {
    const server = await start({ store: { engine: 'clickhouse', url: chUrl } });
    const random = mulberry32(9);
    const batches = Array.from({ length: 5 }, (_, i) =>
      withIds(sampleSession(random, `ch${i}`, 1_700_000_000_000), `ch${i}`),
    );
    for (const batch of batches) expect((await post(server.collectUrl, batch)).status).toBe(200);
    const sent = batches.flat();
    const retry = await post(server.collectUrl, batches[0]!);
    expect(await retry.json()).toMatchObject({ known: batches[0]!.length });
    const summary = await (await fetch(`${server.url}/aggregates`)).json();
    expect(summary).toMatchObject({ events: sent.length });
    const lines = (await (await fetch(`${server.url}/events/export?metric=page-view`)).text()).split('\n');
    expect(lines.filter(Boolean)).toHaveLength(5);
    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health).toMatchObject({ ok: true, engine: 'clickhouse', events: sent.length });
    const stats = await (await fetch(`${server.url}/gate/statistics`)).json();
    expect(stats).toMatchObject({ stage: 'week2', stagesInData: ['week2'] });
  });
});

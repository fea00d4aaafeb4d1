// One contract, two engines: every case runs on DuckDB and on a real ClickHouse server (skipped, with the
// reason printed, only when no server answers: .ci/run installs and starts one).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickHouseOrSkipNotice,
  dropTestDatabases,
  testDatabaseUrl,
} from '../../../../test-support/store/clickhouse.js';
import { storedEvents } from '../../../../test-support/store/events.js';
import { parseClickHouseUrl } from './clickhouse.js';
import { openStore, parseStoreSpec, type StoreSpec } from './open.js';
import type { EventStore, StoredEvent } from './types.js';

let dir = '';
const chUrl = testDatabaseUrl('tr_store_test');
const chUp = await clickHouseOrSkipNotice();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  if (chUp) await dropTestDatabases([chUrl]);
});

const engines: { name: string; up: boolean; spec: () => StoreSpec }[] = [
  {
    name: 'duckdb',
    up: true,
    spec: () => ({ engine: 'duckdb', path: join(dir, `${Math.random()}.duckdb`) }),
  },
  { name: 'clickhouse', up: chUp, spec: () => ({ engine: 'clickhouse', url: chUrl }) },
];

/** ClickHouse's tables are shared by the file's cases: each case uses its own seeds and filters by them. */
const ids = (events: readonly StoredEvent[]) => new Set(events.map((e) => e.id));

async function collect(store: EventStore, since?: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const event of store.events(since === undefined ? {} : { since })) out.push(event);
  return out;
}

for (const engine of engines) {
  describe.skipIf(!engine.up)(`event store: ${engine.name}`, () => {
    it('stores a batch and reads every field back', async () => {
      const store = await openStore(engine.spec());
      try {
        const events = storedEvents(50, 101);
        events[0] = { ...events[0]!, name: 'fallback', value: 'budget:fcp', family: 'buttons', detail: 'x' };
        expect(await store.append(events)).toEqual({ stored: 50, known: 0, duplicate: false });
        const back = (await collect(store)).filter((e) => ids(events).has(e.id));
        expect(back).toHaveLength(50);
        const byId = new Map(back.map((e) => [e.id, e]));
        for (const sent of events) expect(byId.get(sent.id)).toEqual(sent);
      } finally {
        await store.close();
      }
    });

    it('recognises a retried batch and stores nothing of it', async () => {
      const store = await openStore(engine.spec());
      try {
        const events = storedEvents(50, 202);
        const before = await store.count();
        await store.append(events);
        expect(await store.append(events)).toEqual({ stored: 0, known: 50, duplicate: true });
        expect(await store.append([...events])).toEqual({ stored: 0, known: 50, duplicate: true });
        expect(await store.count()).toBe(before + 50);
      } finally {
        await store.close();
      }
    });

    it('stores only the new events of a retry the client grew (the SDK requeues a failed batch first)', async () => {
      const store = await openStore(engine.spec());
      try {
        const [first, more, later] = [storedEvents(7, 301), storedEvents(5, 302), storedEvents(4, 303)];
        const before = await store.count();
        expect(await store.append(first)).toEqual({ stored: 7, known: 0, duplicate: false });
        // The answer to `first` was lost (a timeout): the retry carries it and what was queued meanwhile.
        expect(await store.append([...first, ...more])).toEqual({ stored: 5, known: 7, duplicate: false });
        expect(await store.append([...first, ...more, ...later])).toEqual({
          stored: 4,
          known: 12,
          duplicate: false,
        });
        expect(await store.append([...first, ...more])).toEqual({ stored: 0, known: 12, duplicate: true });
        // A batch that starts like `first` but differs is not taken for it.
        const other = [first[0]!, ...storedEvents(3, 304)];
        expect(await store.append(other)).toEqual({ stored: 4, known: 0, duplicate: false });
        expect(await store.count()).toBe(before + 7 + 5 + 4 + 4);
        const sent = [...first, ...more, ...later].map((e) => `'${e.id}'`).join(', ');
        const rows = await store.query(`SELECT count(*) AS n FROM ${store.table} WHERE id IN (${sent})`);
        expect(Number(rows[0]?.n)).toBe(16 + 1); // `other` repeats first[0]'s id in a batch of its own
      } finally {
        await store.close();
      }
    });

    it('takes 50 concurrent batches (and the same batch twice at once) without losing or doubling', async () => {
      const store = await openStore(engine.spec());
      try {
        const before = await store.count();
        const batches = Array.from({ length: 50 }, (_, i) => storedEvents(50, 1000 + i));
        const results = await Promise.all([...batches, batches[0]!].map((b) => store.append(b)));
        // One writer per store decides which batches are new, so the second copy is recognised even when
        // both arrive at once.
        expect(results.filter((r) => r.duplicate)).toHaveLength(1);
        const sent = batches.flat().map((e) => `'${e.id}'`);
        const counted = await store.query(
          `SELECT count(*) AS n FROM (SELECT DISTINCT id FROM ${store.table} WHERE id IN (${sent.join(', ')})) AS ids`,
        );
        expect(Number(counted[0]?.n)).toBe(2500);
        expect(await store.count()).toBe(before + 2500);
      } finally {
        await store.close();
      }
    });

    it('pages through more events than a page holds, oldest first, from a receive time on', async () => {
      const store = await openStore(engine.spec());
      try {
        const t0 = 1_800_000_000_000;
        const batches = Array.from({ length: 130 }, (_, i) => storedEvents(50, 5000 + i, { t0 }));
        for (let i = 0; i < batches.length; i += 10)
          await Promise.all(batches.slice(i, i + 10).map((b) => store.append(b)));
        const back = await collect(store, t0);
        expect(back).toHaveLength(6500);
        for (let i = 1; i < back.length; i++)
          expect(back[i]!.receivedAt).toBeGreaterThanOrEqual(back[i - 1]!.receivedAt);
        expect(await store.bytes()).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    });
  });
}

describe('event store: DuckDB durability', () => {
  it('keeps what it stored across a reopen', async () => {
    const spec: StoreSpec = { engine: 'duckdb', path: join(dir, 'reopen.duckdb') };
    const first = await openStore(spec);
    await first.append(storedEvents(50, 7));
    await first.close();
    const second = await openStore(spec);
    expect(await second.count()).toBe(50);
    expect(await second.append(storedEvents(50, 7))).toEqual({ stored: 0, known: 50, duplicate: true });
    await second.close();
  });

  it('after kill -9 mid-load, every acknowledged batch is there whole and no batch is there in part', async () => {
    const path = join(dir, 'crash.duckdb');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test-support/store/append-child.ts', path, '1'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const acked: string[] = [];
    let buffer = '';
    await new Promise<void>((done) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        acked.push(...lines);
        if (acked.length >= 200) done();
      });
    });
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const store = await openStore({ engine: 'duckdb', path });
    try {
      const perBatch = await store.query('SELECT batch, count(*) AS n FROM events GROUP BY batch');
      const stored = new Map(perBatch.map((r) => [String(r.batch), Number(r.n)]));
      for (const key of acked) expect(stored.get(key)).toBe(50);
      for (const n of stored.values()) expect(n).toBe(50);
      // A retry of everything (as clients do after a crash) stores nothing twice.
      let duplicates = 0;
      for (let seed = 1; seed < 1 + stored.size; seed++) {
        const result = await store.append(storedEvents(50, seed));
        if (result.duplicate) duplicates++;
      }
      expect(duplicates).toBe(stored.size);
      const keys = await store.query('SELECT count(DISTINCT batch) AS n FROM batches');
      expect(Number(keys[0]?.n)).toBe(stored.size);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('--store', () => {
  it('defaults to DuckDB in the data folder and reads the other forms', () => {
    expect(parseStoreSpec(undefined, '/data')).toEqual({ engine: 'duckdb', path: '/data/events.duckdb' });
    expect(parseStoreSpec('duckdb:/x/e.duckdb', '/data')).toEqual({ engine: 'duckdb', path: '/x/e.duckdb' });
    expect(parseStoreSpec('clickhouse://h:8123/db', '/data')).toEqual({
      engine: 'clickhouse',
      url: 'clickhouse://h:8123/db',
    });
    expect(() => parseStoreSpec('mysql://x', '/data')).toThrow(/--store mysql:\/\/x: expected duckdb:PATH/);
    expect(parseClickHouseUrl('clickhouse://u:p@h:8123/db')).toEqual({
      server: 'http://u:p@h:8123',
      database: 'db',
      shown: 'http://h:8123/db',
    });
    expect(() => parseClickHouseUrl('clickhouse://h:8123/d;rop')).toThrow(/database name/);
  });
});

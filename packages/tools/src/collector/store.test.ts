import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetricEvent } from 'token-rollout/core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { encodeRecord } from './record.js';
import { type EventStore, openEventStore, segmentName } from './store.js';

const dirs = tempDirs('collector-store-');
const tempDir = () => dirs.make();
afterAll(() => dirs.removeAll());
const event = (i: number): MetricEvent => ({
  name: 'fcp',
  value: i,
  arm: i % 2 === 0 ? 'v1' : 'v2',
  stage: 'week1',
  configVersion: 'c',
  region: 'AU',
  user: (0x10000000 + i).toString(16),
  session: `s${i}`,
  ts: 1_700_000_000_000 + i,
  assignment: i % 2 === 0 ? 'control' : 'treatment',
  bucket: i % 2 === 0 ? 0.9 : 0.1,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => event(from + k));

async function readAll(store: EventStore): Promise<number[]> {
  const values: number[] = [];
  for await (const e of store.events()) values.push(e.value as number);
  return values;
}

async function reopen(dir: string, options: { segmentBytes?: number } = {}) {
  const recovered: MetricEvent[] = [];
  const store = await openEventStore({ dir, ...options }, (e) => recovered.push(e));
  return { store, recovered };
}

describe('event store', () => {
  it('reads back every appended event after a reopen, in order', async () => {
    const dir = tempDir();
    const first = await openEventStore({ dir });
    await first.append(range(0, 3));
    await first.append(range(3, 5));
    expect(await readAll(first)).toEqual([0, 1, 2, 3, 4]);
    await first.close();
    const { store, recovered } = await reopen(dir);
    expect(recovered).toEqual(range(0, 5));
    expect(store.recovery).toMatchObject({ segments: 1, records: 5, skipped: 0, truncatedBytes: 0 });
    await store.close();
  });

  it('cuts off a torn final write on start-up and keeps appending on a clean line', async () => {
    const dir = tempDir();
    const first = await openEventStore({ dir });
    await first.append(range(0, 3));
    await first.close();
    const segment = join(dir, segmentName(1));
    const goodSize = statSync(segment).size;
    const torn = encodeRecord(event(99)).slice(0, 40); // a write that died halfway
    appendFileSync(segment, torn);

    const { store, recovered } = await reopen(dir);
    expect(recovered.map((e) => e.value)).toEqual([0, 1, 2]);
    expect(store.recovery.truncatedBytes).toBe(torn.length);
    expect(store.recovery.problems[0]).toContain(`${segmentName(1)}@${goodSize}: torn tail`);
    expect(statSync(segment).size).toBe(goodSize);
    await store.append(range(3, 4));
    await store.close();

    const again = await reopen(dir);
    expect(again.recovered.map((e) => e.value)).toEqual([0, 1, 2, 3]);
    expect(again.store.recovery).toMatchObject({ skipped: 0, truncatedBytes: 0 });
    await again.store.close();
  });

  it('skips a damaged record without losing its neighbours', async () => {
    const dir = tempDir();
    const first = await openEventStore({ dir });
    await first.append(range(0, 3));
    await first.close();
    const segment = join(dir, segmentName(1));
    const lines = readFileSync(segment, 'utf8').split('\n');
    lines[1] = (lines[1] as string).replace('"fcp"', '"lcp"'); // bit rot: checksum no longer matches
    writeFileSync(segment, lines.join('\n'));

    const { store, recovered } = await reopen(dir);
    expect(recovered.map((e) => e.value)).toEqual([0, 2]);
    expect(store.recovery.skipped).toBe(1);
    expect(store.recovery.problems).toEqual([
      `${segmentName(1)}@${(lines[0] as string).length + 1}: checksum-mismatch`,
    ]);
    expect(await readAll(store)).toEqual([0, 2]);
    await store.close();
  });

  it('rotates segments at the size limit and reads across them', async () => {
    const dir = tempDir();
    const store = await openEventStore({ dir, segmentBytes: 1000 });
    for (let i = 0; i < 20; i++) await store.append(range(i * 3, i * 3 + 3));
    expect(store.stats().segments).toBeGreaterThan(3);
    expect(readdirSync(dir).filter((f) => f.startsWith('segment-')).length).toBe(store.stats().segments);
    expect(await readAll(store)).toEqual(range(0, 60).map((e) => e.value));
    await store.close();
    const { store: again, recovered } = await reopen(dir, { segmentBytes: 1000 });
    expect(recovered.length).toBe(60);
    await again.close();
  });

  it('commits batches that arrive together with shared fsyncs', async () => {
    const dir = tempDir();
    const store = await openEventStore({ dir });
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(range(i * 2, i * 2 + 2))));
    const stats = store.stats();
    expect(stats.records).toBe(400);
    expect(stats.syncs).toBeLessThan(200);
    expect((await readAll(store)).sort((a, b) => a - b)).toEqual(range(0, 400).map((e) => e.value));
    await store.close();
  });

  it('gathers appends for fsyncIntervalMs before each group commit when asked to', async () => {
    const dir = tempDir();
    const store = await openEventStore({ dir, fsyncIntervalMs: 20 });
    const first = store.append(range(0, 1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([first, store.append(range(1, 2)), store.append(range(2, 3))]);
    expect(store.stats()).toMatchObject({ records: 3, syncs: 1 });
    await store.close();
  });

  it('after a failed write (disk full halfway), rejects that batch and leaves the log clean', async () => {
    const dir = tempDir();
    let writes = 0;
    const store = await openEventStore({
      dir,
      openForAppend: async (path) => {
        const real = await open(path, 'a');
        return new Proxy(real, {
          get(target, prop) {
            if (prop === 'write') {
              return async (data: Buffer, offset: number, length: number) => {
                writes++;
                if (writes === 2) {
                  await target.write(data, offset, Math.floor(length / 2)); // half a group reaches the disk
                  throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
                }
                return target.write(data, offset, length);
              };
            }
            const value = Reflect.get(target, prop) as unknown;
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    });
    await store.append(range(0, 2));
    await expect(store.append(range(2, 4))).rejects.toThrow('ENOSPC');
    await store.append(range(4, 6));
    expect(await readAll(store)).toEqual([0, 1, 4, 5]);
    await store.close();
    const { store: again, recovered } = await reopen(dir);
    expect(recovered.map((e) => e.value)).toEqual([0, 1, 4, 5]);
    expect(again.recovery).toMatchObject({ skipped: 0, truncatedBytes: 0 });
    await again.close();
  });

  it('after a failed fsync, refuses every further append until a restart', async () => {
    const dir = tempDir();
    let syncs = 0;
    const store = await openEventStore({
      dir,
      openForAppend: async (path) => {
        const real = await open(path, 'a');
        return new Proxy(real, {
          get(target, prop) {
            if (prop === 'datasync') {
              return async () => {
                if (++syncs === 2)
                  throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
                return target.datasync();
              };
            }
            const value = Reflect.get(target, prop) as unknown;
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    });
    await store.append(range(0, 1));
    await expect(store.append(range(1, 2))).rejects.toThrow('EIO');
    await expect(store.append(range(2, 3))).rejects.toThrow(
      'the event store stopped after a failed fsync (EIO: i/o error, fdatasync); restart it',
    );
    await store.close();
    const { store: again, recovered } = await reopen(dir);
    expect(recovered.map((e) => e.value)).toContain(0);
    expect(recovered.map((e) => e.value)).not.toContain(2);
    await again.append(range(3, 4));
    await again.close();
  });

  it('refuses a second writer on the same directory, but takes over from a dead one', async () => {
    const dir = tempDir();
    const store = await openEventStore({ dir });
    await expect(openEventStore({ dir })).rejects.toThrow(/is already open in this process/);
    await store.close();

    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, 'collector.lock'), String(dead));
    const next = await openEventStore({ dir });
    await next.append(range(0, 1));
    await next.close();
  });

  it('rejects appends after close, storing nothing', async () => {
    const dir = tempDir();
    const store = await openEventStore({ dir });
    await store.close();
    await expect(store.append(range(0, 1))).rejects.toThrow('the event store is closed');
    const { recovered, store: again } = await reopen(dir);
    expect(recovered).toEqual([]);
    await again.close();
  });
});

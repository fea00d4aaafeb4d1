// Crash safety on the embedded store: kill -9 the collector process in the middle of a load, restart it,
// let every client retry what was not acknowledged (as the SDK does). Afterwards every acknowledged event
// is stored, no event is stored twice, and everything stored passes the event contract.
import type { MetricEvent } from 'token-rollout/core';
import { validateEvent as contractProblems } from 'token-rollout/core';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleSession } from '../../../../test-support/collector/sample-events.js';
import { spawnCollector } from '../../../../test-support/collector/spawn-collector.js';
import { mulberry32 } from '../../../../test-support/random.js';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { createCollector } from './collector.js';

const dirs = tempDirs('collector-crash-');
afterAll(() => dirs.removeAll());

interface Client {
  /** The batch sent but not acknowledged (to be retried), if any. */
  pending: MetricEvent[] | null;
  acked: MetricEvent[];
}

/** Posts one batch; true when acknowledged, false when the connection died (the process was killed). */
async function send(url: string, batch: MetricEvent[]): Promise<boolean> {
  try {
    const res = await fetch(`${url}/collect`, { method: 'POST', body: JSON.stringify(batch) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Each client sends fresh batches (retrying its pending one first) until `stop()` or its connection dies. */
async function load(url: string, clients: Client[], round: number, stop: () => boolean): Promise<void> {
  await Promise.all(
    clients.map(async (client, c) => {
      const random = mulberry32(round * 1000 + c);
      for (let i = 0; !stop(); i++) {
        const batch =
          client.pending ??
          sampleSession(random, `r${round}-c${c}-${i}`, 1_700_000_000_000 + i).map((e, k) => ({
            ...e,
            id: `r${round}-c${c}-${i}-${k}`,
          }));
        client.pending = batch;
        if (!(await send(url, batch))) return;
        client.acked.push(...batch);
        client.pending = null;
      }
    }),
  );
}

describe('crash safety (kill -9 during a load, then client retries)', () => {
  it('keeps every acknowledged event, stores none twice, and the store opens again', async () => {
    const dataDir = dirs.make();
    const clients: Client[] = Array.from({ length: 16 }, () => ({ pending: null, acked: [] }));
    const first = await spawnCollector(dataDir);
    let killed = false;
    const running = load(first.url, clients, 1, () => killed);
    const started = Date.now();
    const acked = () => clients.reduce((n, c) => n + c.acked.length, 0);
    // Waits on progress, not a fixed time: a loaded machine may take a while to acknowledge anything.
    while (Date.now() - started < 1000 || (acked() < 500 && Date.now() - started < 60_000)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    killed = true;
    await running;
    const inFlight = clients.filter((c) => c.pending !== null).length;
    expect(acked()).toBeGreaterThanOrEqual(500);
    expect(inFlight).toBeGreaterThan(0); // the kill really hit requests in flight

    // Restart; every client retries its unacknowledged batch, then sends a few more.
    const second = await spawnCollector(dataDir);
    let sent = 0;
    await load(second.url, clients, 2, () => sent++ >= clients.length * 4);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(clients.every((c) => c.pending === null)).toBe(true);

    const collector = await createCollector({ dataDir });
    try {
      const stored: MetricEvent[] = [];
      for await (const e of collector.events()) stored.push(e);
      const ids = stored.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length); // nothing stored twice
      const all = clients.flatMap((c) => c.acked);
      const storedIds = new Set(ids);
      expect(all.filter((e) => !storedIds.has(e.id!))).toEqual([]); // nothing acknowledged lost
      expect(stored.length).toBe(all.length); // and nothing else: every batch was acknowledged in the end
      expect(stored.filter((e) => contractProblems(e).length > 0)).toEqual([]);
      expect((await collector.aggregates()).events).toBe(stored.length);
    } finally {
      await collector.close();
    }
  }, 180_000); // two child processes and two loads
});

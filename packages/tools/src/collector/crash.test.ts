// Crash safety: kill -9 the collector process in the middle of a load; after a restart every event that
// got a 2xx ack is stored, exactly once, and the store parses.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricEvent } from 'token-rollout/core';
import { validateEvent as contractProblems } from 'token-rollout/core';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleSession } from '../../../../test-support/collector/sample-events.js';
import { spawnCollector } from '../../../../test-support/collector/spawn-collector.js';
import { mulberry32 } from '../../../../test-support/random.js';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { createCollector } from './collector.js';
import { encodeRecord } from './record.js';

const dirs = tempDirs('collector-crash-');
afterAll(() => dirs.removeAll());

// Field order differs between what was sent and what the store rebuilt: compare with sorted keys, and
// without the receive time the collector stamps on what it stores.
const key = ({ receivedAt: _, ...e }: MetricEvent) =>
  JSON.stringify(Object.entries(e).sort(([a], [b]) => a.localeCompare(b)));

interface Load {
  acked: MetricEvent[];
  sent: number;
  failed: number;
}

/** Posts batches from `clients` concurrent loops into `state` until `stop()` is true or the server goes away. */
async function load(url: string, clients: number, round: number, stop: () => boolean, state: Load) {
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const random = mulberry32(round * 1000 + c);
      for (let i = 0; !stop(); i++) {
        const batch = sampleSession(random, `r${round}-c${c}-${i}`, 1_700_000_000_000 + i);
        state.sent += batch.length;
        try {
          const res = await fetch(`${url}/collect`, { method: 'POST', body: JSON.stringify(batch) });
          const body = (await res.json()) as { accepted: number };
          if (res.ok) {
            expect(body.accepted).toBe(batch.length);
            state.acked.push(...batch);
          }
        } catch {
          state.failed++; // the connection died with the process: not acknowledged
          return;
        }
      }
    }),
  );
}

/** Loads a fresh collector process until it has acknowledged enough events (and 1 s passed), then kills it. */
async function loadThenKill(dataDir: string, round: number): Promise<Load> {
  const child = await spawnCollector(dataDir);
  const state: Load = { acked: [], sent: 0, failed: 0 };
  let killed = false;
  const running = load(child.url, 16, round, () => killed, state);
  const started = Date.now();
  // Waits on progress, not a fixed time: a loaded machine may take a while to acknowledge anything.
  while (Date.now() - started < 1000 || (state.acked.length < 500 && Date.now() - started < 60_000)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.child.kill('SIGKILL');
  await child.exited;
  killed = true;
  await running;
  return state;
}

describe('crash safety (kill -9 during a load)', () => {
  it('keeps every acknowledged event, repairs a torn tail, and the store parses', async () => {
    const dataDir = dirs.make();
    const first = await loadThenKill(dataDir, 1);
    expect(first.acked.length).toBeGreaterThanOrEqual(500);
    expect(first.failed).toBeGreaterThan(0); // the kill really hit requests in flight

    // A write cut short by the crash: half a record at the end of the last segment.
    const segments = readdirSync(dataDir)
      .filter((f) => f.startsWith('segment-'))
      .sort();
    const torn = encodeRecord(first.acked[0] as MetricEvent).slice(0, 57);
    appendFileSync(join(dataDir, segments[segments.length - 1] as string), torn);

    const second = await loadThenKill(dataDir, 2);
    expect(second.acked.length).toBeGreaterThanOrEqual(500);

    const collector = await createCollector({ dataDir });
    try {
      const stored: MetricEvent[] = [];
      for await (const e of collector.events()) stored.push(e);
      const storedKeys = new Set(stored.map(key));
      const acked = [...first.acked, ...second.acked];
      const missing = acked.filter((e) => !storedKeys.has(key(e)));
      expect(missing).toEqual([]);
      expect(stored.length).toBeGreaterThanOrEqual(acked.length);
      expect(stored.length).toBeLessThanOrEqual(first.sent + second.sent);
      expect(storedKeys.size).toBe(stored.length); // nothing stored twice
      expect(stored.filter((e) => contractProblems(e).length > 0)).toEqual([]);
      // The torn tail was cut off at the first restart; the second crash left at most its own torn tail.
      expect(collector.recovery.skipped).toBe(0);
      expect(collector.aggregates().events).toBe(stored.length);
    } finally {
      await collector.close();
    }
  }, 180_000); // two child processes and two loads
});

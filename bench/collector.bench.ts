// Collector load (issue 6): a bounded, closed-loop load on loopback, 50 concurrent clients for 10 s
// (`--quick`: 2 s), each posting one page session's beacon batch at a time to a collector running in its
// own process, on its default store (DuckDB). Then the collector is stopped and a fresh one reads the store
// back: every acknowledged event must be there. The stores on both engines, at 10 M events, and 10x normal
// traffic: `npm run bench -- store`.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCollector } from '../packages/tools/src/collector/collector.js';
import type { MetricEvent } from '../src/metrics/event.js';
import { sampleSession } from '../test-support/collector/sample-events.js';
import { spawnCollector } from '../test-support/collector/spawn-collector.js';
import { mulberry32 } from '../test-support/random.js';
import { quantile } from './quantile.js';
import type { BenchContext } from './run.js';
import { postBody } from './store-load.js';

const CLIENTS = 50;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
// Without what the collector adds (its receive time, an id from the content when none was sent).
const canonical = ({ id: _id, receivedAt: _at, ...e }: MetricEvent) =>
  JSON.stringify(Object.entries(e).sort(([a], [b]) => a.localeCompare(b)));

export default async function collectorBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const durationS = ctx.args.includes('--quick') ? 2 : 10;
  const dataDir = mkdtempSync(join(tmpdir(), 'collector-bench-'));
  const child = await spawnCollector(dataDir);
  const loadBefore = loadavg()[0] ?? 0;
  const acked: MetricEvent[] = [];
  const ackMs: number[] = [];
  let batches = 0;
  let failedRequests = 0;
  let rejectedEvents = 0;
  const stopAt = performance.now() + durationS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const random = mulberry32(c + 1);
      for (let i = 0; performance.now() < stopAt; i++) {
        const batch = sampleSession(random, `c${c}-${i}`, Date.now());
        const t0 = performance.now();
        try {
          const res = await postBody(child.url, JSON.stringify(batch));
          if (res.status !== 200) {
            failedRequests++;
            continue;
          }
          const answer = JSON.parse(res.text) as { accepted: number; rejected: number };
          ackMs.push(performance.now() - t0);
          batches++;
          rejectedEvents += answer.rejected;
          acked.push(...batch);
        } catch {
          failedRequests++;
        }
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const health = (await (await fetch(`${child.url}/health`)).json()) as { engine: string; bytes: number };
  child.child.kill('SIGTERM');
  await child.exited;

  // Read back from the store in a fresh collector.
  const t0 = performance.now();
  const fresh = await createCollector({ dataDir });
  const recoverMs = performance.now() - t0;
  const stored = new Set<string>();
  let eventsStored = 0;
  for await (const e of fresh.events()) {
    eventsStored++;
    stored.add(canonical(e));
  }
  await fresh.close();
  const missing = acked.filter((e) => !stored.has(canonical(e))).length;
  rmSync(dataDir, { recursive: true, force: true });

  ackMs.sort((a, b) => a - b);
  const result = {
    clients: CLIENTS,
    durationS: round(elapsedS, 2),
    eventsSent: acked.length,
    eventsStored,
    missingAcked: missing,
    rejectedEvents,
    failedRequests,
    batches,
    eventsPerBatch: round(acked.length / Math.max(1, batches)),
    eventsPerSecond: Math.round(acked.length / elapsedS),
    batchesPerSecond: Math.round(batches / elapsedS),
    store: health.engine,
    p50AckMs: round(quantile(ackMs, 0.5), 2),
    p95AckMs: round(quantile(ackMs, 0.95), 2),
    p99AckMs: round(quantile(ackMs, 0.99), 2),
    storeMiB: round(health.bytes / 2 ** 20, 2),
    recoverMs: Math.round(recoverMs),
    durableAcks: eventsStored === acked.length && missing === 0,
    // A shared machine: the 1-minute load average says how noisy these figures are.
    loadAverage: round(Math.max(loadBefore, loadavg()[0] ?? 0), 1),
  };
  ctx.table(
    `collector: ${CLIENTS} clients, ${durationS} s closed loop on loopback (server in its own process)`,
    Object.entries(result).map(([figure, value]) => ({ figure, value })),
  );
  if (!result.durableAcks) {
    throw new Error(
      `acknowledged ${acked.length} events but the store holds ${eventsStored} (${missing} missing)`,
    );
  }
  return result;
}

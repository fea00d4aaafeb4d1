// Runs a collector server in its own process, for the crash test and the store benchmark:
// `node --import tsx test-support/collector/collector-process.ts <dataDir> [--store SPEC] [--load N --users U]`.
// Prints `{"url": …}` as one JSON line once listening and shuts down cleanly on SIGTERM (SIGKILL is the
// crash being tested). With --load it also appends N gate-realistic events of U users straight to its
// store (the collector's own write path, without HTTP), printing `{"loaded": n}` as it goes and
// `{"done": n, "seconds": s}` at the end: the benchmark's 10 M event load.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCollectorServer } from '../../packages/tools/src/collector/server.js';
import { openStore, parseStoreSpec } from '../../packages/tools/src/store/open.js';
import { gateRow } from '../store/gate-rows.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    store: { type: 'string' },
    load: { type: 'string' },
    users: { type: 'string' },
    'memory-limit': { type: 'string' },
  },
});
const dataDir = positionals[0];
if (dataDir === undefined) {
  console.error('usage: collector-process.ts <dataDir> [--store SPEC] [--load N --users U]');
  process.exit(2);
}
const spec = values.store
  ? parseStoreSpec(values.store, dataDir)
  : ({ engine: 'duckdb', path: join(dataDir, 'events.duckdb') } as const);
const memory = values['memory-limit'];
const server = await startCollectorServer({
  dataDir,
  store: memory ? await openStore(spec, { memoryLimit: memory }) : spec,
});
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

if (values.load) {
  const total = Number(values.load);
  const users = Number(values.users ?? total / 10);
  const t0 = Date.UTC(2026, 1, 10);
  const BATCH = 2_000;
  const started = performance.now();
  let next = 0;
  let loaded = 0;
  // Three appends in flight: each group commit takes what queued while the previous one was written.
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      while (next < total) {
        const from = next;
        next = Math.min(total, next + BATCH);
        const events = Array.from({ length: next - from }, (_, j) => gateRow(from + j, users, t0));
        const result = await server.collector.store.append(events);
        loaded += result.stored;
        if (loaded % 500_000 < BATCH) {
          // The V8 heap's share of the RSS, so that a reader can tell Node's memory from the engine's.
          const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
          process.stdout.write(`${JSON.stringify({ loaded, heapMb })}\n`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ done: loaded, seconds })}\n`);
}

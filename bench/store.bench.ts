// `npm run bench -- store`: the event store on each engine (DuckDB embedded, ClickHouse on loopback), with
// the collector as a separate process. Per engine:
//   ingestEventsPerSecond   50 concurrent HTTP clients, batches of 50, as fast as answered (best of 3 x 8 s)
//   tenTimesNormal          10x the normal traffic of a 5 % stage, paced (10 s): held or not
//   duplicatesAfterRetries  every batch sent twice (a quarter also re-sent grown by newer events, as the
//                           SDK requeues), then kill -9 of the collector mid-load and client retries; = 0
//   ackedLost               acknowledged events missing afterwards; = 0
//   collectorPeakRssMb      the collector's peak RSS during a 10 M event load (appended by the collector
//                           process itself, straight to its store: HTTP at this volume would take minutes)
//   gateSeconds10M          GET /gate/statistics on that collector: the gate's SQL over 10 M events of 1 M
//                           users (best of 3 evaluations; the median and each run's load average are kept)
// `--quick` loads 1 M events instead (for trying it out). ClickHouse is skipped, with the reason, when no
// server answers (scripts/ensure-clickhouse.sh starts one).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { parseClickHouseUrl } from '../packages/tools/src/store/clickhouse.js';
import { openStore, type StoreSpec } from '../packages/tools/src/store/open.js';
import { type CollectorChild, spawnCollector } from '../test-support/collector/spawn-collector.js';
import { CLICKHOUSE_URL, clickHouseAvailable, dropTestDatabases } from '../test-support/store/clickhouse.js';
import type { BenchContext } from './run.js';
import { cpuSecondsOf, type LoadResult, load1, memoryOf, round, runLoad } from './store-load.js';
import { retryRun } from './store-retries.js';

/**
 * "Normal traffic" of a 5 % stage: the "tens of millions of events a week" for a 5 % stage of a
 * large storefront, taken at the top of that range (100 M events a week = 165 events/s on average) and at
 * the peak hour (3x the average): 500 events/s. Ten times that is what must hold.
 */
const NORMAL_EVENTS_PER_SECOND = 500;
const TEN_X = 10 * NORMAL_EVENTS_PER_SECOND;

/** The old segment log's figures (issue 15), for the README's comparison. */
const OLD_LOG = {
  diskBytesFor1_33MEvents: 773e6,
  collectorRssMb: { beforeFlood: 633, afterFlood45s: 1530 },
  restart: { seconds: 13.4, rssMb: 910 },
  apiGateSecondsFor1_08MEvents: 9.0,
};

async function stop(child: CollectorChild): Promise<void> {
  child.child.kill('SIGTERM');
  await child.exited;
}

/**
 * Waits (at most 3 minutes) until ClickHouse has merged the parts a bulk load left: a gate runs every
 * 15 minutes or more, on a settled table, not in the second after ten million inserts. Returns the wait.
 */
async function mergesSettled(url: string): Promise<number> {
  const { server, database } = parseClickHouseUrl(url);
  const client = createClient({ url: server, request_timeout: 60_000 });
  const started = performance.now();
  try {
    for (;;) {
      const result = await client.query({
        query: `SELECT count() AS n FROM system.merges WHERE database = '${database}'`,
        format: 'JSONEachRow',
      });
      const [row] = (await result.json()) as { n: string | number }[];
      if (Number(row?.n ?? 0) === 0 || performance.now() - started > 180_000) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await client.close();
  }
  return round((performance.now() - started) / 1000);
}

async function timedJson(url: string): Promise<{ seconds: number; body: unknown }> {
  const t = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(300_000) });
  const body = await res.json();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { seconds: round((performance.now() - t) / 1000), body };
}

/** Duplicates (rows beyond one per id) and acknowledged ids missing, read from the store afterwards. */
async function audit(spec: StoreSpec, acked: ReadonlySet<string>) {
  const store = await openStore(spec);
  try {
    const ids = new Set<string>();
    let rows = 0;
    for await (const event of store.events()) {
      rows++;
      ids.add(event.id);
    }
    let lost = 0;
    for (const id of acked) if (!ids.has(id)) lost++;
    return { rows, duplicates: rows - ids.size, ackedLost: lost };
  } finally {
    await store.close();
  }
}

interface EngineSetup {
  name: 'duckdb' | 'clickhouse';
  /** A fresh store for one part of the run: collector-process arguments and the spec to audit it with. */
  fresh(label: string, dir: string): { args: string[]; spec: StoreSpec };
}

async function benchEngine(
  setup: EngineSetup,
  events: number,
  ctx: BenchContext,
): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), `store-bench-${setup.name}-`));
  try {
    // Ingestion, 10x normal, retries: one store.
    const first = setup.fresh('ingest', dir);
    let child = await spawnCollector(dir, first.args);
    // Three short runs: the machine's other work moves any one of them; the best shows what the
    // collector can do, the median what it did typically.
    const ingestRuns: LoadResult[] = [];
    for (let run = 1; run <= 3; run++) {
      ingestRuns.push(await runLoad(child.url, { clients: 50, size: 50, seconds: 8, run: 10 + run }));
    }
    const ingest = [...ingestRuns].sort((a, b) => b.eventsPerSecond - a.eventsPerSecond)[0]!;
    const ingestMedian = [...ingestRuns].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[1]!;
    const paced = await runLoad(child.url, {
      clients: 20,
      size: 50,
      seconds: 10,
      run: 2,
      perClientBatchesPerSecond: TEN_X / 50 / 20,
    });
    const tenTimesNormal = {
      offeredEventsPerSecond: TEN_X,
      ...paced,
      held: paced.failedRequests === 0 && paced.eventsPerSecond >= 0.97 * TEN_X && paced.p99Ms < 1000,
    };
    const retried = await retryRun(child, () => spawnCollector(dir, first.args));
    child = retried.child;
    await stop(child);
    const audited = await audit(first.spec, retried.acked);
    ctx.table(`${setup.name}: ingestion, 10x normal, retries`, [
      ...ingestRuns.map((r, i) => ({ what: `50 clients x 50 events, run ${i + 1}`, ...r })),
      { what: `paced ${TEN_X}/s (10x normal)`, ...paced, held: tenTimesNormal.held },
      { what: 'retries + kill -9', ...retried.summary, ...audited },
    ]);

    // The 10 M event load, then the gate and the aggregates on it: another store.
    const dir10m = join(dir, '10m');
    const big = setup.fresh('10m', dir10m);
    const samples: { t: number; loaded: number; rssMb: number }[] = [];
    let loaded = 0;
    let loadSeconds = 0;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const started = performance.now();
    child = await spawnCollector(
      dir10m,
      [...big.args, '--load', String(events), '--users', String(events / 10)],
      (line) => {
        const message = JSON.parse(line) as { loaded?: number; done?: number; seconds?: number };
        if (message.loaded !== undefined) loaded = message.loaded;
        if (message.done !== undefined) {
          loaded = message.done;
          loadSeconds = message.seconds ?? 0;
          finished();
        }
      },
    );
    const pid = child.child.pid!;
    const sampler = setInterval(() => {
      const memory = memoryOf(pid);
      if (memory)
        samples.push({ t: round((performance.now() - started) / 1000), loaded, rssMb: memory.rssMb });
    }, 500);
    await done;
    clearInterval(sampler);
    const afterLoad = memoryOf(pid);
    const settleSeconds = big.spec.engine === 'clickhouse' ? await mergesSettled(big.spec.url) : 0;
    // Three evaluations (each its own cache key, so each runs the SQL), then one served from the cache.
    const gateRuns: { seconds: number; cpuSeconds: number; loadAverage1m: number }[] = [];
    let gate = { seconds: 0, body: null as unknown };
    for (let run = 0; run < 3; run++) {
      const cpuBefore = cpuSecondsOf(pid);
      const loadAverage1m = load1();
      gate = await timedJson(`${child.url}/gate/statistics?order=week1,week2,week3,week4,run${run}`);
      gateRuns.push({
        seconds: gate.seconds,
        cpuSeconds: round(cpuSecondsOf(pid) - cpuBefore),
        loadAverage1m,
      });
    }
    const gateBest = Math.min(...gateRuns.map((r) => r.seconds));
    const gateMedian = [...gateRuns].sort((a, b) => a.seconds - b.seconds)[1]!.seconds;
    const afterGate = memoryOf(pid);
    const cached = await timedJson(`${child.url}/gate/statistics?order=week1,week2,week3,week4,run0`);
    const aggregates = await timedJson(`${child.url}/aggregates`);
    const health = (await timedJson(`${child.url}/health`)).body as { events: number; bytes: number };
    await stop(child);
    const restartStarted = performance.now();
    child = await spawnCollector(dir10m, big.args);
    const restartSeconds = round((performance.now() - restartStarted) / 1000);
    const restartMemory = memoryOf(child.child.pid!);
    await stop(child);
    const users = (gate.body as { aggregate?: { users?: unknown } }).aggregate?.users;
    const result = {
      ingestEventsPerSecond: ingest.eventsPerSecond,
      ingest: { best: ingest, median: ingestMedian, runs: ingestRuns },
      tenTimesNormal,
      duplicatesAfterRetries: audited.duplicates,
      ackedLost: audited.ackedLost,
      retries: { ...retried.summary, storedRows: audited.rows },
      collectorPeakRssMb: afterLoad?.peakMb ?? null,
      load: {
        events: loaded,
        seconds: round(loadSeconds),
        eventsPerSecond: Math.round(loaded / loadSeconds),
        how: 'appended by the collector process to its own store (its write path: group commit, batch keys), in batches of 2,000, while it serves HTTP',
        rssMbOverTime: samples.filter((_, i) => i % 10 === 0),
      },
      gateSeconds10M: gateBest,
      gate: {
        waitedForMergesSeconds: settleSeconds,
        bestSeconds: gateBest,
        medianSeconds: gateMedian,
        runs: setup.name === 'duckdb' ? gateRuns : gateRuns.map(({ cpuSeconds: _, ...r }) => r),
        cpu:
          setup.name === 'duckdb'
            ? 'cpuSeconds: the collector process, DuckDB threads included'
            : 'in the ClickHouse server',
        collectorPeakRssMbDuringGate: afterGate?.peakMb ?? null,
        collectorRssMbAfterGate: afterGate?.rssMb ?? null,
        cachedSeconds: cached.seconds,
        users,
      },
      aggregatesSeconds10M: aggregates.seconds,
      storedEvents: health.events,
      bytesOnDisk: health.bytes,
      bytesPerEvent: round(health.bytes / Math.max(1, health.events)),
      restart: { secondsToListen: restartSeconds, rssMb: restartMemory?.rssMb ?? null },
    };
    ctx.table(`${setup.name}: ${events.toLocaleString('en')} events`, [
      {
        loadSeconds: result.load.seconds,
        appendsPerSecond: result.load.eventsPerSecond,
        collectorPeakRssMb: result.collectorPeakRssMb,
        gateSeconds: gateRuns.map((r) => r.seconds).join(' / '),
        gateCachedSeconds: cached.seconds,
        peakRssDuringGateMb: result.gate.collectorPeakRssMbDuringGate,
        aggregatesSeconds: aggregates.seconds,
        bytesPerEvent: result.bytesPerEvent,
        restartSeconds,
      },
    ]);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function storeBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const events = quick ? 1_000_000 : 10_000_000;
  const results: Record<string, unknown> = {};
  results.duckdb = await benchEngine(
    {
      name: 'duckdb',
      fresh: (_label, dir) => ({ args: [], spec: { engine: 'duckdb', path: join(dir, 'events.duckdb') } }),
    },
    events,
    ctx,
  );
  const databases: string[] = [];
  if (await clickHouseAvailable()) {
    results.clickhouse = await benchEngine(
      {
        name: 'clickhouse',
        fresh: (label) => {
          const url = new URL(CLICKHOUSE_URL);
          url.pathname = `/tr_bench_${label}_${Date.now().toString(36)}`;
          databases.push(url.href);
          return { args: ['--store', url.href], spec: { engine: 'clickhouse', url: url.href } };
        },
      },
      events,
      ctx,
    );
    await dropTestDatabases(databases);
  } else {
    results.clickhouse = {
      skipped: `no ClickHouse server answers at ${CLICKHOUSE_URL} (scripts/ensure-clickhouse.sh starts one)`,
    };
  }
  return {
    events,
    users: events / 10,
    normalTraffic: {
      eventsPerSecond: NORMAL_EVENTS_PER_SECOND,
      tenTimes: TEN_X,
      assumption:
        "a 5 % stage of a large storefront sends the issue's 'tens of millions of events a week': 100 M/week (the top of that range) is 165 events/s on average, 500 events/s in the peak hour (3x the average)",
    },
    goals: {
      duckdb: { gateSeconds10M: 5, collectorPeakRssMb: 400, ingestEventsPerSecond: 50_000 },
      clickhouse: 'the same or better',
      duplicatesAfterRetries: 0,
      ackedLost: 0,
    },
    oldLog: OLD_LOG,
    ...results,
    note: 'the machine has 2 cores shared with other work: each figure was measured under the load average it reports; the HTTP clients run on the same 2 cores as the collector',
  };
}

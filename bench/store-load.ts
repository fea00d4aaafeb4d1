// HTTP load against a collector for the store benchmark: concurrent clients posting beacon batches (free-
// running or paced), clients that send every batch twice or retry what a crash left unanswered, and
// process measurements (RSS, CPU) read from /proc.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import type { StoredEvent } from '../packages/tools/src/store/types.js';
import { gateRow } from '../test-support/store/gate-rows.js';

/** What a load did: events acknowledged, requests failed, latency quantiles (ms). */
export interface LoadResult {
  seconds: number;
  ackedEvents: number;
  eventsPerSecond: number;
  failedRequests: number;
  p50Ms: number;
  p99Ms: number;
}

const T0 = Date.UTC(2026, 1, 10);

/** Batch `b` of client `c`: `size` gate-realistic events with ids unique to (run, client, batch). */
export function batchOf(run: number, c: number, b: number, size: number): StoredEvent[] {
  const first = ((run * 1000 + c) * 100_000 + b) * size;
  return Array.from({ length: size }, (_, i) => ({
    ...gateRow(first + i, 100_000, T0),
    id: `r${run}c${c}b${b}e${i}`,
  }));
}

/** Keep-alive connections for the load's clients (one per client), as browsers keep theirs. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs a body to URL/collect; the answer's status (and body), or 0 when the connection failed. */
export function postBody(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = request(
      `${url}/collect`,
      { method: 'POST', agent, headers: { 'content-type': 'text/plain' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', () => resolve({ status: 0, text }));
      },
    );
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.end(body);
  });
}

/** The body of a batch as the SDK sends it (no receive time: the collector stamps it). */
export function bodyOf(events: readonly StoredEvent[]): string {
  return JSON.stringify(events.map(({ receivedAt: _, ...e }) => e));
}

/** POSTs one batch; the answer's status, or 0 when the connection failed. */
export async function post(url: string, events: readonly StoredEvent[]): Promise<number> {
  return (await postBody(url, bodyOf(events))).status;
}

/**
 * Bodies for a free-running load, cheap to make: 16 batches of `size` events serialized once, their ids
 * made unique per request by replacing a placeholder (the clients share the machine with the collector).
 */
function bodies(run: number, size: number): (c: number, b: number) => string {
  const templates = Array.from({ length: 16 }, (_, t) =>
    bodyOf(batchOf(run, 999, t, size).map((e, i) => ({ ...e, id: `@@-${i}` }))).split('@@'),
  );
  return (c, b) => templates[b % templates.length]!.join(`r${run}c${c}b${b}`);
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * `clients` concurrent clients post batches of `size` for `seconds`; with `perClientBatchesPerSecond`
 * each client is paced to that rate (a token schedule), else it sends as fast as answers come back.
 */
export async function runLoad(
  url: string,
  options: {
    clients: number;
    size: number;
    seconds: number;
    run: number;
    perClientBatchesPerSecond?: number;
  },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const body = bodies(options.run, options.size);
  let acked = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, c) => {
      const interval = options.perClientBatchesPerSecond ? 1000 / options.perClientBatchesPerSecond : 0;
      // Paced clients start spread over one interval, so that requests do not arrive in lockstep.
      let due = started + (interval * c) / options.clients;
      for (let b = 0; performance.now() < end; b++) {
        if (interval > 0) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          due += interval;
          if (performance.now() >= end) break;
        }
        const t = performance.now();
        const { status } = await postBody(url, body(c, b));
        latencies.push(performance.now() - t);
        if (status === 200) acked += options.size;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    seconds: round(seconds),
    ackedEvents: acked,
    eventsPerSecond: Math.round(acked / seconds),
    failedRequests: failed,
    p50Ms: round(quantile(latencies, 0.5)),
    p99Ms: round(quantile(latencies, 0.99)),
  };
}

/** A process's resident memory now and at its peak (MB), from /proc; null when it is gone. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The machine's 1-minute load average (2 shared cores: other work shows here). */
export const load1 = (): number => round(loadavg()[0]!);

/** Rounds to 2 decimals. */
export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

// The metrics collector: HTTP routes over the durable store and the in-memory aggregates. It mounts on
// any Node http server through `handle(req, res)` (the dev server does so) or runs alone (server.ts).
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Arm, isFamily, METRIC_NAMES, type MetricEvent, type MetricName } from 'token-rollout/core';
import {
  type AggregateQuery,
  type AggregateSummary,
  createAggregates,
  type UserSummary,
} from './aggregates.js';
import { bearerToken, deriveIngestKey, sameSecret } from './auth.js';
import { readBody } from './body.js';
import { locateJsonError } from './json-error.js';
import { openEventStore, type RecoveryReport } from './store.js';
import { validateBatch } from './validate.js';

export interface CollectorOptions {
  /** Directory of the event log (created when missing). */
  dataDir: string;
  /** Largest accepted request body; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most events in one batch; more get 413. Default 1000. */
  maxBatch?: number;
  /** When set, reads need `Authorization: Bearer <token>` and writes need the ingest key. */
  token?: string;
  /** The key browsers put in `/collect?key=…`; derived from `token` when not given. */
  ingestKey?: string;
  /** Extra wait before each group commit to gather more batches per fsync. Default 0. */
  fsyncIntervalMs?: number;
  /** Segment rotation size. Default 8 MiB. */
  segmentBytes?: number;
  /** Path prefix the routes live under, e.g. `/collector`. Default none. */
  basePath?: string;
}

/** The `POST /collect` answer (200 when something was stored, 400 when nothing was). */
export interface CollectResult {
  accepted: number;
  rejected: number;
  errors: string[];
}

export interface Collector {
  /** Answers the request when its path is one of the collector's routes; resolves true when it did. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Count, mean and quantiles per arm × stage × family × metric, rates per arm × stage. */
  aggregates(query?: AggregateQuery): AggregateSummary;
  /** Per-user counts per arm × stage, for the gate. */
  users(query?: AggregateQuery): UserSummary;
  /** Every acknowledged event, read back from disk. */
  events(): AsyncGenerator<MetricEvent>;
  /** What start-up found and repaired in the data directory. */
  readonly recovery: RecoveryReport;
  /** The key `/collect` needs in its query string, or null when the collector is open. */
  readonly ingestKey: string | null;
  /** Finishes pending writes and closes the store. */
  close(): Promise<void>;
}

const MAX_ERRORS_LISTED = 50;
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization',
  'access-control-max-age': '86400',
} as const;
const ARMS: readonly string[] = ['v1', 'v2', 'mixed'];

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function capErrors(errors: readonly string[]): string[] {
  if (errors.length <= MAX_ERRORS_LISTED) return [...errors];
  return [...errors.slice(0, MAX_ERRORS_LISTED), `…and ${errors.length - MAX_ERRORS_LISTED} more`];
}

/** Parses the read filters of a query string; names the parameter that was wrong. */
export function parseQuery(
  params: URLSearchParams,
): { ok: true; query: AggregateQuery } | { ok: false; error: string } {
  const query: AggregateQuery = {};
  const arm = params.get('arm');
  if (arm !== null) {
    if (!ARMS.includes(arm))
      return { ok: false, error: `query parameter arm: expected v1, v2 or mixed, got "${arm}"` };
    query.arm = arm as Arm;
  }
  const family = params.get('family');
  if (family !== null) {
    if (!isFamily(family)) return { ok: false, error: `query parameter family: unknown family "${family}"` };
    query.family = family;
  }
  const metric = params.get('metric');
  if (metric !== null) {
    if (!(METRIC_NAMES as readonly string[]).includes(metric)) {
      return { ok: false, error: `query parameter metric: unknown metric "${metric}"` };
    }
    query.metric = metric as MetricName;
  }
  const stage = params.get('stage');
  // `stage=null` selects events sent while no stage was active.
  if (stage !== null) query.stage = stage === 'null' ? null : stage;
  return { ok: true, query };
}

function parseFailure(text: string): { error: string; position?: number; line?: number; column?: number } {
  const where = locateJsonError(text);
  if (where === null) return { error: 'invalid JSON: nested too deeply to parse' };
  return {
    error: `invalid JSON at position ${where.position} (line ${where.line}, column ${where.column}): expected ${where.expected}`,
    position: where.position,
    line: where.line,
    column: where.column,
  };
}

/** Opens the store in `dataDir` (rebuilding the aggregates from it) and returns the collector. */
export async function createCollector(options: CollectorOptions): Promise<Collector> {
  const maxBodyBytes = options.maxBodyBytes ?? 2 ** 20;
  const maxBatch = options.maxBatch ?? 1000;
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const token = options.token && options.token.length > 0 ? options.token : null;
  const ingestKey = options.ingestKey ?? (token === null ? null : deriveIngestKey(token));
  const aggregates = createAggregates();
  const store = await openEventStore(
    { dir: options.dataDir, segmentBytes: options.segmentBytes, fsyncIntervalMs: options.fsyncIntervalMs },
    (event) => aggregates.add(event),
  );
  let closing = false;

  const canRead = (req: IncomingMessage): boolean => {
    if (token === null) return true;
    const given = bearerToken(req);
    return given !== null && sameSecret(given, token);
  };
  const canWrite = (req: IncomingMessage, url: URL): boolean => {
    if (ingestKey === null) return true;
    const key = url.searchParams.get('key');
    if (key !== null && sameSecret(key, ingestKey)) return true;
    const given = bearerToken(req);
    return token !== null && given !== null && sameSecret(given, token);
  };
  const denyRead = (res: ServerResponse, route: string) =>
    send(
      res,
      401,
      { error: `${route} needs the header Authorization: Bearer <token>` },
      {
        'www-authenticate': 'Bearer realm="token-rollout collector"',
      },
    );

  async function collect(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    if (req.method !== 'POST') {
      send(
        res,
        405,
        { error: `${url.pathname} accepts POST (got ${req.method})` },
        { allow: 'POST, OPTIONS', ...CORS },
      );
      return;
    }
    if (!canWrite(req, url)) {
      req.resume();
      send(res, 401, { error: 'POST /collect needs the ingest key: /collect?key=<ingest key>' }, CORS);
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== '' && type !== 'text/plain' && type !== 'application/json') {
      req.resume();
      send(
        res,
        415,
        { error: `content-type ${type} is not accepted: send text/plain or application/json` },
        CORS,
      );
      return;
    }
    const read = await readBody(req, maxBodyBytes);
    if (!read.ok) {
      send(
        res,
        read.status,
        { error: read.error },
        read.status === 413 ? { ...CORS, connection: 'close' } : CORS,
      );
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(read.body);
    } catch {
      send(res, 400, { error: 'request body is not valid UTF-8' }, CORS);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      send(res, 400, parseFailure(text), CORS);
      return;
    }
    if (Array.isArray(body) && body.length > maxBatch) {
      send(res, 413, { error: `batch of ${body.length} events is over the limit of ${maxBatch}` }, CORS);
      return;
    }
    const check = validateBatch(body);
    const result: CollectResult = {
      accepted: check.events.length,
      rejected: check.rejected,
      errors: capErrors(check.errors),
    };
    if (check.events.length === 0) {
      send(res, 400, result, CORS);
      return;
    }
    try {
      await store.append(check.events);
    } catch (error) {
      send(res, 503, { error: `events not stored: ${(error as Error).message}` }, CORS);
      return;
    }
    for (const event of check.events) aggregates.add(event);
    send(res, 200, result, CORS);
  }

  async function exportEvents(res: ServerResponse, query: AggregateQuery): Promise<void> {
    res.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
    });
    let aborted = false;
    res.on('close', () => {
      aborted = true;
    });
    let chunk = '';
    for await (const event of store.events()) {
      if (aborted) break;
      if (query.arm !== undefined && event.arm !== query.arm) continue;
      if (query.stage !== undefined && event.stage !== query.stage) continue;
      if (query.family !== undefined && event.family !== query.family) continue;
      if (query.metric !== undefined && event.name !== query.metric) continue;
      chunk += `${JSON.stringify(event)}\n`;
      if (chunk.length >= 64 * 1024) {
        const ok = res.write(chunk);
        chunk = '';
        if (!ok) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
    }
    if (!aborted) res.end(chunk);
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    if (closing) {
      send(res, 503, { error: 'the collector is shutting down' });
      return;
    }
    if (path === '/collect') {
      await collect(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: `${url.pathname} accepts GET (got ${req.method})` }, { allow: 'GET' });
      return;
    }
    if (path === '/health') {
      // 503 once the store stopped after a failed fsync, so that a load balancer or monitor notices.
      const { records, ...rest } = store.stats();
      send(res, rest.failure === null ? 200 : 503, { ok: rest.failure === null, events: records, ...rest });
      return;
    }
    if (!canRead(req)) {
      denyRead(res, `GET ${url.pathname}`);
      return;
    }
    const parsed = parseQuery(url.searchParams);
    if (!parsed.ok) {
      send(res, 400, { error: parsed.error });
      return;
    }
    if (path === '/aggregates') {
      const by = url.searchParams.get('by') ?? 'cell';
      if (by === 'user') send(res, 200, aggregates.users(parsed.query));
      else if (by === 'cell') send(res, 200, aggregates.summary(parsed.query));
      else send(res, 400, { error: `query parameter by: expected "user" or "cell", got "${by}"` });
      return;
    }
    await exportEvents(res, parsed.query);
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://collector.invalid');
      if (!url.pathname.startsWith(`${base}/`)) return false;
      const path = url.pathname.slice(base.length);
      if (path !== '/collect' && path !== '/aggregates' && path !== '/events/export' && path !== '/health') {
        return false;
      }
      try {
        await route(req, res, url, path);
      } catch (error) {
        if (!res.headersSent) send(res, 500, { error: `collector failed: ${(error as Error).message}` });
        else res.destroy(error as Error);
      }
      return true;
    },
    aggregates: (query) => aggregates.summary(query),
    users: (query) => aggregates.users(query),
    events: () => store.events(),
    recovery: store.recovery,
    ingestKey,
    async close() {
      closing = true;
      await store.close();
    },
  };
}

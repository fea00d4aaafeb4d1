// The metrics collector: HTTP routes over the event store (store/: DuckDB embedded by default, ClickHouse
// for scale). It mounts on any Node http server through `handle(req, res)`; `startToolsServer` mounts it
// for every command. It keeps no event in memory: aggregates are SQL over the store, cached by its event
// count, and the export streams pages of the store.
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { type Arm, isFamily, METRIC_NAMES, type MetricName } from 'token-rollout/core';
import { type AccessPolicy, bearerToken, createAccessPolicy, sameSecret } from '../http/access.js';
import { sendJson as send } from '../http/send.js';
import { countCache } from '../store/cache.js';
import {
  gateStatistics,
  type StatisticsRequest,
  type StoreGateStatistics,
} from '../store/gate-statistics.js';
import { openStore, type StoreSpec } from '../store/open.js';
import { contentId } from '../store/rows.js';
import type { EventFilter, EventStore, StoredEvent } from '../store/types.js';
import { type AggregateQuery, type AggregateSummary, aggregatesOf } from './aggregates.js';
import { deriveIngestKey } from './auth.js';
import { readBody } from './body.js';
import { locateJsonError } from './json-error.js';
import { type OriginRule, originRule } from './origins.js';
import { storeState } from './store-state.js';
import { validateBatch } from './validate.js';

export interface CollectorOptions {
  /** The data directory: the default store is `<dataDir>/events.duckdb` (created when missing). */
  dataDir: string;
  /**
   * Where events are kept: a `--store` spec (store/open.ts), or an open store (it is then the
   * collector's: closed with it). Default DuckDB at `<dataDir>/events.duckdb`.
   */
  store?: StoreSpec | EventStore;
  /** New events are refused with 507 once the store takes more bytes than this on disk. Default: no limit. */
  maxStoreBytes?: number;
  /** Largest accepted request body; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most events in one batch; more get 413. Default 1000. */
  maxBatch?: number;
  /** When set, reads need `Authorization: Bearer <token>` and writes need the ingest key. */
  token?: string;
  /** The key browsers put in `/collect?key=…`; derived from `token` when not given. */
  ingestKey?: string;
  /** Path prefix the routes live under, e.g. `/collector`. Default none. */
  basePath?: string;
  /**
   * Origins whose pages may post events, e.g. `https://shop.example`. A page of the collector's own origin
   * always may; without this list, so may any loopback origin (local development). Requests without an
   * Origin header (server-side senders) are not browsers: the ingest key, when set, decides for them.
   */
  allowedOrigins?: readonly string[];
  /** The host and token rules of the server it is mounted on (default: a loopback server's). */
  access?: AccessPolicy;
  /** Clock for `receivedAt` (ms since epoch); tests pass a fixed one. */
  now?: () => number;
}

/**
 * The `POST /collect` answer (200 when something was accepted, 400 when nothing was). `known` counts
 * accepted events the store had already (a retried batch): they are not stored twice.
 */
export interface CollectResult {
  accepted: number;
  rejected: number;
  errors: string[];
  known?: number;
}

export interface Collector {
  /** Answers the request when its path is one of the collector's routes; resolves true when it did. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Count, mean and quantiles per arm × stage × family × metric, rates per arm × stage (cached). */
  aggregates(query?: AggregateQuery): Promise<AggregateSummary>;
  /** The gate's sufficient statistics for a stage, computed in the store (cached by its event count). */
  gateStatistics(request?: StatisticsRequest): Promise<StoreGateStatistics>;
  /** Stored events matching `filter`, oldest first, read back from the store in pages. */
  events(filter?: EventFilter): AsyncGenerator<StoredEvent>;
  /** The event store. */
  readonly store: EventStore;
  /** The key `/collect` needs in its query string, or null when the collector is open. */
  readonly ingestKey: string | null;
  /** Finishes pending writes and closes the store. */
  close(): Promise<void>;
}

const MAX_ERRORS_LISTED = 50;
const ARMS: readonly string[] = ['v1', 'v2', 'mixed'];

/** CORS headers for a /collect answer: the page's origin echoed when it may send, `*` for non-browsers. */
function corsFor(origin: string | undefined): Record<string, string> {
  return {
    'access-control-allow-origin': origin ?? '*',
    ...(origin === undefined ? {} : { vary: 'Origin' }),
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, authorization',
    'access-control-max-age': '86400',
  };
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

/** Opens the store (DuckDB in `dataDir` unless another is given) and returns the collector. */
export async function createCollector(options: CollectorOptions): Promise<Collector> {
  const maxBodyBytes = options.maxBodyBytes ?? 2 ** 20;
  const maxBatch = options.maxBatch ?? 1000;
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const token = options.token && options.token.length > 0 ? options.token : null;
  const ingestKey = options.ingestKey ?? (token === null ? null : deriveIngestKey(token));
  const access = options.access ?? createAccessPolicy({ host: '127.0.0.1' });
  const origins: OriginRule = originRule(access, options.allowedOrigins);
  const now = options.now ?? Date.now;
  const store =
    options.store !== undefined && 'append' in options.store
      ? options.store
      : await openStore(options.store ?? { engine: 'duckdb', path: join(options.dataDir, 'events.duckdb') });
  const count = () => store.count();
  const summaries = countCache<AggregateSummary>(count);
  const statistics = countCache<StoreGateStatistics>(count, 8);
  let closing = false;
  const state = storeState(store, options.maxStoreBytes);

  const canWrite = (req: IncomingMessage, url: URL): boolean => {
    if (ingestKey === null) return true;
    const key = url.searchParams.get('key');
    if (key !== null && sameSecret(key, ingestKey)) return true;
    const given = bearerToken(req);
    return token !== null && given !== null && sameSecret(given, token);
  };

  async function collect(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.allows(req, origin)) {
      // No CORS headers: the page cannot even read why. Text/plain needs no preflight, so this check,
      // not the browser's, is what keeps other sites' pages from writing events.
      req.resume();
      send(res, 403, {
        error: `pages of origin ${origin.slice(0, 200)} may not send events: ${origins.describe}`,
      });
      return;
    }
    const cors = corsFor(origin);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method !== 'POST') {
      send(
        res,
        405,
        { error: `${url.pathname} accepts POST (got ${req.method})` },
        { allow: 'POST, OPTIONS', ...cors },
      );
      return;
    }
    if (!canWrite(req, url)) {
      req.resume();
      send(res, 401, { error: 'POST /collect needs the ingest key: /collect?key=<ingest key>' }, cors);
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== '' && type !== 'text/plain' && type !== 'application/json') {
      req.resume();
      send(
        res,
        415,
        { error: `content-type ${type} is not accepted: send text/plain or application/json` },
        cors,
      );
      return;
    }
    const read = await readBody(req, maxBodyBytes);
    if (!read.ok) {
      send(
        res,
        read.status,
        { error: read.error },
        read.status === 413 ? { ...cors, connection: 'close' } : cors,
      );
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(read.body);
    } catch {
      send(res, 400, { error: 'request body is not valid UTF-8' }, cors);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      send(res, 400, parseFailure(text), cors);
      return;
    }
    if (Array.isArray(body) && body.length > maxBatch) {
      send(res, 413, { error: `batch of ${body.length} events is over the limit of ${maxBatch}` }, cors);
      return;
    }
    const check = validateBatch(body);
    const result: CollectResult = {
      accepted: check.events.length,
      rejected: check.rejected,
      errors: capErrors(check.errors),
    };
    if (check.events.length === 0) {
      send(res, 400, result, cors);
      return;
    }
    const full = await state.fullness();
    if (full !== null) {
      send(res, 507, { error: full }, cors);
      return;
    }
    // The server's clock, never the client's: what the gate orders and windows events by. An event
    // without an id gets one from its content, so that its retry is still recognised.
    // The validator returned fresh objects: they are completed in place (no copy per event).
    const receivedAt = now();
    const events: StoredEvent[] = check.events.map((event) => {
      const stored = event as StoredEvent;
      stored.id = event.id ?? contentId(event);
      stored.receivedAt = receivedAt;
      return stored;
    });
    try {
      const appended = await store.append(events);
      state.writeSucceeded();
      if (appended.known > 0) result.known = appended.known;
    } catch (error) {
      const message = (error as Error).message;
      state.writeFailed(message);
      send(res, 503, { error: `events not stored: ${message}` }, cors);
      return;
    }
    send(res, 200, result, cors);
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
    const filter: EventFilter = {
      arm: query.arm,
      stage: query.stage,
      family: query.family,
      name: query.metric,
    };
    for await (const event of store.events(filter)) {
      if (aborted) break;
      chunk += `${JSON.stringify(event)}\n`;
      if (chunk.length >= 64 * 1024) {
        const ok = res.write(chunk);
        chunk = '';
        if (!ok) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
    }
    if (!aborted) res.end(chunk);
  }

  const aggregates = (query: AggregateQuery = {}) =>
    summaries.get(JSON.stringify(query), () => aggregatesOf(store, query));
  const stats = (request: StatisticsRequest = {}) =>
    statistics.get(JSON.stringify(request), () => gateStatistics(store, request));

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
      const { ok, body } = await state.health();
      send(res, ok ? 200 : 503, body);
      return;
    }
    const refusal = access.checkRead(req, token, `GET ${url.pathname}`);
    if (refusal) {
      send(res, refusal.status, { error: refusal.error }, refusal.headers);
      return;
    }
    if (path === '/gate/statistics') {
      send(res, 200, await stats(statisticsRequest(url.searchParams)));
      return;
    }
    const parsed = parseQuery(url.searchParams);
    if (!parsed.ok) {
      send(res, 400, { error: parsed.error });
      return;
    }
    if (path === '/aggregates') {
      const by = url.searchParams.get('by') ?? 'cell';
      if (by === 'cell') send(res, 200, await aggregates(parsed.query));
      else {
        send(res, 400, {
          error: `query parameter by: expected "cell", got "${by}" (per-user figures are the gate's: GET /gate/statistics)`,
        });
      }
      return;
    }
    await exportEvents(res, parsed.query);
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://collector.invalid');
      if (!url.pathname.startsWith(`${base}/`)) return false;
      const path = url.pathname.slice(base.length);
      if (!ROUTES.has(path)) return false;
      try {
        await route(req, res, url, path);
      } catch (error) {
        if (!res.headersSent) send(res, 500, { error: `collector failed: ${(error as Error).message}` });
        else res.destroy(error as Error);
      }
      return true;
    },
    aggregates,
    gateStatistics: stats,
    events: (filter) => store.events(filter),
    store,
    ingestKey,
    async close() {
      closing = true;
      await store.close();
    },
  };
}

const ROUTES = new Set(['/collect', '/aggregates', '/events/export', '/health', '/gate/statistics']);

/** `GET /gate/statistics?stage=S&prefer=S&order=a,b,c`: which stage, as `gateStatistics` takes it. */
function statisticsRequest(params: URLSearchParams): StatisticsRequest {
  const request: StatisticsRequest = {};
  const stage = params.get('stage');
  if (stage) request.stage = stage;
  const prefer = params.get('prefer');
  if (prefer) request.prefer = prefer;
  const order = params.get('order');
  if (order) request.stageOrder = order.split(',').filter((s) => s !== '');
  return request;
}

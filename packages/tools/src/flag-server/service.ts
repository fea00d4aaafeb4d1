// The flag service: LaunchDarkly's client-side routes (polling, streaming, events, goals) answered from
// flag definitions evaluated by the Node server SDK, plus a small admin API that changes them live.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { LDContext } from '@launchdarkly/node-server-sdk';
import { splitAuditMeta } from '../audit/meta.js';
import type { AuditEntry, AuditMeta } from '../audit/types.js';
import { type AccessPolicy, createAccessPolicy } from '../http/access.js';
import { classifyChange } from '../release/classify.js';
import type { MetricComparison } from '../release/recovery.js';
import type { RecoveryEventSource, RecoverySettings } from '../release/watcher.js';
import { type AdminChange, applyAdminChange, type FlagState, flagState } from './admin.js';
import { changeDraft } from './audit-draft.js';
import { type FlagDefinition, loadFlagDefinitions } from './definitions.js';
import { createEvaluator } from './evaluator.js';
import { createEventBuffer } from './event-buffer.js';
import { corsHeaders, HttpError, isJsonContentType, readBody, readJson, sendJson } from './http.js';
import { readPersistedFlags, STATE_FILE, writePersistedFlags } from './persist.js';
import { openReleaseDesk, type ReleaseState } from './release-desk.js';
import { handleReleaseRoute } from './release-routes.js';
import { diffEvents, type Stream, writeEvent } from './streams.js';

export interface FlagServiceOptions {
  /** Directory of flag definitions (`*.json`, LaunchDarkly's flag data model). */
  flagsDir: string;
  /** Directory where admin changes are persisted; they override `flagsDir` on the next start. */
  dataDir: string;
  /** When set, admin routes need `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** Receives one line per notable event (changes, refused requests). */
  log?: (line: string) => void;
  /** Milliseconds between SSE heartbeats (comments), so proxies keep idle streams open. */
  heartbeatMs?: number;
  /** Clock for the admin state's active stage (tests pass a fixed one). */
  now?: () => number;
  /** The host and token rules of the server it is mounted on (default: a loopback server's). */
  access?: AccessPolicy;
  /** Most streams open at once; one more is answered 503 (default 500), so clients cannot exhaust files. */
  maxStreams?: number;
  /**
   * A stream that carried no flag data (heartbeats do not count) for this long is ended; the SDKs
   * reconnect and get a fresh `put`. Frees what clients that vanished without closing held. Default 30 min.
   */
  streamIdleMs?: number;
  /**
   * The release calendar (freeze windows, approvals; release/calendar.ts). Default: `release.json` in
   * `flagsDir` when present. A file given here must exist.
   */
  calendarFile?: string;
  /** Where the recovery check reads events after a rollback (the event store or the collector). */
  events?: RecoveryEventSource;
  /** The recovery check's window, poll interval and thresholds (default 5 min, 10 s, 95 %, 10 users). */
  recovery?: RecoverySettings;
  /** The gate's comparison of the metric that triggered a rollback (default: a plain one, release/recovery-metric.ts). */
  recoveryMetric?: (rollback: AuditEntry) => MetricComparison | undefined;
}

export interface FlagService {
  /** Answers the request when the route is the flag service's; resolves false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The admin state (same as `GET /admin/state`). */
  state(): FlagState;
  /** The flags being served. */
  flags(): readonly FlagDefinition[];
  /** Analytics events the SDKs posted (most recent last, bounded in count and bytes), for tests and the dashboard. */
  events(): readonly unknown[];
  /** How many streams are open now. */
  openStreams(): number;
  /** The audit trail, oldest first (same as `GET /admin/audit`). */
  audit(): readonly AuditEntry[];
  /** The calendar, freeze and approvals (same as `GET /admin/release`). */
  release(): Promise<ReleaseState>;
  /** Ends every stream and stops the evaluator. */
  close(): Promise<void>;
}

const ADMIN_BODY_LIMIT = 64 * 1024;
const CONTEXT_BODY_LIMIT = 64 * 1024;
const EVENTS_BODY_LIMIT = 1024 * 1024;
const DEFAULT_MAX_STREAMS = 500;
const DEFAULT_STREAM_IDLE_MS = 30 * 60_000;
/** A stream whose client stopped reading has this much queued at most before it is dropped. */
const MAX_STREAM_BACKLOG = 256 * 1024;

/** Decodes a context from the URL: base64url (or base64) JSON. */
export function decodeContext(encoded: string): LDContext {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(decodeURIComponent(encoded), 'base64url').toString('utf8'));
  } catch {
    throw new HttpError(400, 'the context in the URL is not base64url-encoded JSON', 'context');
  }
  return checkContext(parsed);
}

function checkContext(value: unknown): LDContext {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'the context must be a JSON object', 'context');
  }
  return value as LDContext;
}

/** Loads the flags (definitions overridden by persisted changes) and returns the service. */
export async function createFlagService(options: FlagServiceOptions): Promise<FlagService> {
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const access = options.access ?? createAccessPolicy({ host: '127.0.0.1' });
  const adminToken = options.adminToken ? options.adminToken : null;
  const maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
  const streamIdleMs = options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS;
  const byKey = new Map<string, FlagDefinition>();
  for (const flag of await loadFlagDefinitions(options.flagsDir)) byKey.set(flag.key, flag);
  // Only flags changed through the admin API are persisted, so edits to other files in flagsDir still apply.
  const overridden = new Set<string>();
  for (const flag of await readPersistedFlags(options.dataDir)) {
    byKey.set(flag.key, flag);
    overridden.add(flag.key);
  }
  if (overridden.size > 0) {
    log(
      `flags ${[...overridden].join(', ')} come from ${join(options.dataDir, STATE_FILE)} (admin changes); delete it to use ${options.flagsDir} again`,
    );
  }
  const desk = await openReleaseDesk(
    {
      dataDir: options.dataDir,
      flagsDir: options.flagsDir,
      now,
      log,
      ...(options.calendarFile === undefined ? {} : { calendarFile: options.calendarFile }),
      ...(options.events === undefined ? {} : { events: options.events }),
      ...(options.recovery === undefined ? {} : { recovery: options.recovery }),
      ...(options.recoveryMetric === undefined ? {} : { recoveryMetric: options.recoveryMetric }),
    },
    [...byKey.values()],
  );
  const evaluator = await createEvaluator([...byKey.values()]);
  const streams = new Set<Stream>();
  const events = createEventBuffer();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const heartbeat = setInterval(() => {
    for (const stream of streams) {
      // A client that stopped reading would make the server buffer without bound.
      if (stream.res.writableLength > MAX_STREAM_BACKLOG) stream.res.destroy();
      else stream.res.write(':\n\n');
    }
  }, options.heartbeatMs ?? 60_000);
  heartbeat.unref();

  const flags = () => [...byKey.values()];
  for (const issue of flagState(flags(), now()).errors) {
    // Served anyway (apps fall back to v1 with 'invalid-config'), but the developer should know why.
    log(`warning: the rollout config is invalid at ${issue.path}: ${issue.message}`);
  }

  async function broadcast(): Promise<void> {
    await Promise.all(
      [...streams].map(async (stream) => {
        if (stream.kind === 'ping' || !stream.context) {
          writeEvent(stream, 'ping', {});
          return;
        }
        const next = await evaluator.evaluate(stream.context, stream.withReasons);
        for (const { event, data } of diffEvents(stream.sent, next)) writeEvent(stream, event, data);
        stream.sent = next;
      }),
    );
  }

  /** Serialises admin changes (and approvals) so that each sees the previous one and streams get them in order. */
  function serial<T>(run: () => Promise<T>): Promise<T> {
    const next = queue.then(run, run);
    queue = next.catch(() => {});
    return next;
  }

  /**
   * Applies one change: checked, classified (an advance must pass the freeze and approval rules; a rollback
   * always goes through), written to disk, recorded in the audit trail, then served. A change the audit
   * trail cannot record is undone on disk and not applied.
   */
  function apply(
    change: AdminChange,
    meta: AuditMeta,
    actor: string,
  ): Promise<{ status: number; body: unknown }> {
    return serial(async () => {
      const previous = flags();
      const result = applyAdminChange(previous, change);
      if (!result.ok) {
        log(`admin: refused ${change.kind}: ${result.error.error} (${result.error.path})`);
        return { status: result.error.status, body: { error: result.error.error, path: result.error.path } };
      }
      if (result.changed.length === 0) return { status: 200, body: flagState(previous, now()) };
      const next = new Map(byKey);
      for (const flag of result.changed) next.set(flag.key, flag);
      const cls = classifyChange(previous, [...next.values()], now());
      if (cls.kind === 'advance') {
        const refusal = await desk.checkAdvance(cls.advancedStages);
        if (refusal) {
          log(`admin: refused ${change.kind} (${refusal.rule}): ${refusal.error}`);
          return { status: 409, body: refusal };
        }
      }
      const persisted = (map: ReadonlyMap<string, FlagDefinition>, keys: Iterable<string>) =>
        [...keys].flatMap((k) => map.get(k) ?? []);
      const keys = new Set([...overridden, ...result.changed.map((f) => f.key)]);
      // Disk first: a change that cannot be persisted is not applied at all.
      await writePersistedFlags(options.dataDir, persisted(next, keys));
      const draft = changeDraft({
        change,
        cls,
        before: flagState(previous, now()),
        after: flagState([...next.values()], now()),
        previous,
        changed: result.changed,
        meta,
        actor,
        now: now(),
      });
      let entry: AuditEntry;
      try {
        entry = await desk.record(draft);
      } catch (error) {
        // No change without its audit entry: put the previous flags back on disk.
        await writePersistedFlags(options.dataDir, persisted(byKey, overridden)).catch(() => {});
        throw new HttpError(
          500,
          `not applied: the audit trail could not be written (${(error as Error).message})`,
        );
      }
      for (const flag of result.changed) {
        byKey.set(flag.key, flag);
        overridden.add(flag.key);
      }
      await evaluator.upsert(result.changed);
      await broadcast();
      log(
        `admin: ${change.kind} → ${result.changed.map((f) => `${f.key}@${f.version}`).join(', ')} (audit #${entry.seq})`,
      );
      return { status: 200, body: { ...flagState(flags(), now()), audit: entry } };
    });
  }

  function openStream(
    req: IncomingMessage,
    res: ServerResponse,
    stream: Omit<Stream, 'res' | 'sent' | 'idle'>,
  ): Stream {
    if (streams.size >= maxStreams) {
      throw new HttpError(
        503,
        `the flag server has ${maxStreams} streams open, its limit; retry later`,
        '$',
        {
          'retry-after': '10',
        },
      );
    }
    res.writeHead(200, {
      ...corsHeaders(req),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const idle = setTimeout(() => res.end(), streamIdleMs);
    idle.unref();
    const entry: Stream = { ...stream, res, sent: {}, idle };
    streams.add(entry);
    const forget = () => {
      clearTimeout(idle);
      streams.delete(entry);
    };
    req.on('close', forget);
    res.on('close', forget);
    return entry;
  }

  async function handleSdk(req: IncomingMessage, res: ServerResponse, parts: string[], url: URL) {
    const method = req.method ?? 'GET';
    const withReasons = url.searchParams.get('withReasons') === 'true';
    const [root, second, third, fourth] = parts;
    if (method === 'OPTIONS') {
      res.writeHead(204, corsHeaders(req)).end();
      return;
    }
    // Polling: GET /sdk/evalx/{env}/contexts/{ctx}, REPORT /sdk/evalx/{env}/context
    if (root === 'sdk' && second === 'evalx' && third) {
      let context: LDContext;
      if (method === 'GET' && fourth === 'contexts' && parts[4]) context = decodeContext(parts[4]);
      else if (method === 'REPORT' && fourth === 'context' && parts.length === 4) {
        context = checkContext(await readJson(req, CONTEXT_BODY_LIMIT));
      } else throw new HttpError(404, `no such route: ${method} ${url.pathname}`);
      sendJson(res, 200, await evaluator.evaluate(context, withReasons), corsHeaders(req));
      return;
    }
    if (root === 'sdk' && second === 'goals' && third && method === 'GET') {
      sendJson(res, 200, [], corsHeaders(req));
      return;
    }
    // Streaming: GET /eval/{env}/{ctx}, REPORT /eval/{env}
    if (root === 'eval' && second) {
      let context: LDContext;
      if (method === 'GET' && third && parts.length === 3) context = decodeContext(third);
      else if (method === 'REPORT' && parts.length === 2) {
        context = checkContext(await readJson(req, CONTEXT_BODY_LIMIT));
      } else throw new HttpError(404, `no such route: ${method} ${url.pathname}`);
      const flagsNow = await evaluator.evaluate(context, withReasons);
      const stream = openStream(req, res, { kind: 'eval', context, withReasons });
      writeEvent(stream, 'put', flagsNow);
      stream.sent = flagsNow;
      return;
    }
    if (root === 'ping' && second && method === 'GET') {
      writeEvent(openStream(req, res, { kind: 'ping', withReasons }), 'ping', {});
      return;
    }
    if (root === 'events' && (second === 'bulk' || second === 'diagnostic') && third && method === 'POST') {
      // With an admin token set (the server is reachable from the network), events need it as well.
      const refusal = access.checkRead(req, adminToken, `POST ${url.pathname}`);
      if (refusal) {
        req.resume();
        throw new HttpError(refusal.status, refusal.error);
      }
      const body = await readBody(req, EVENTS_BODY_LIMIT);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new HttpError(400, 'events must be JSON');
      }
      events.add(Array.isArray(parsed) ? parsed : [parsed]);
      res.writeHead(202, { ...corsHeaders(req), date: new Date().toUTCString() }).end();
      return;
    }
    throw new HttpError(404, `no such route: ${method} ${url.pathname}`);
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, parts: string[]) {
    const refusal = access.checkAdmin(req, adminToken, 'admin routes');
    if (refusal) throw new HttpError(refusal.status, refusal.error);
    // Who the audit trail names: the token's holder, or someone on this machine.
    const actor = adminToken ? 'admin-token' : 'local';
    if (await handleReleaseRoute(req, res, parts, { desk, flags, actor, now, serial })) return;
    const method = req.method ?? 'GET';
    const [, what, encoded] = parts;
    let name: string | undefined;
    try {
      name = encoded === undefined ? undefined : decodeURIComponent(encoded);
    } catch {
      throw new HttpError(400, `malformed URL escape in "${encoded}"`);
    }
    if (method === 'GET' && what === 'state' && parts.length === 2) {
      sendJson(res, 200, flagState(flags(), now()));
      return;
    }
    if (method !== 'POST' && method !== 'PATCH') {
      throw new HttpError(method === 'OPTIONS' ? 403 : 405, `${method} is not allowed on /admin routes`);
    }
    // A JSON content type forces a CORS preflight, which admin routes never grant to other origins. The
    // media type must be JSON's exactly (parameters allowed): one that merely starts with it is not JSON.
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new HttpError(415, 'admin requests need "Content-Type: application/json"');
    }
    const split = splitAuditMeta(await readJson(req, ADMIN_BODY_LIMIT), req.headers);
    if (!split.ok) throw new HttpError(400, split.problem.error, split.problem.path);
    const body = split.change;
    let change: AdminChange;
    if (method === 'POST' && what === 'flag' && parts.length === 2) change = { kind: 'flag', body };
    else if (method === 'POST' && what === 'stage' && parts.length === 2) change = { kind: 'stage', body };
    else if (method === 'PATCH' && what === 'stages' && name && parts.length === 3) {
      change = { kind: 'patch-stage', stage: name, body };
    } else if (method === 'POST' && what === 'families' && name && parts.length === 3) {
      change = { kind: 'family', family: name, body };
    } else throw new HttpError(404, `no such admin route: ${method} /${parts.join('/')}`);
    const result = await apply(change, split.meta, actor);
    sendJson(res, result.status, result.body);
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://flag-server');
      // Segments stay URL-encoded until a route decodes them, so a malformed escape is that route's 400.
      const parts = url.pathname.split('/').filter((p) => p !== '');
      const root = parts[0];
      const sdk = root === 'sdk' || root === 'eval' || root === 'ping' || root === 'events';
      if (!sdk && root !== 'admin') return false;
      try {
        if (closed) throw new HttpError(503, 'the flag service is shutting down');
        if (sdk) await handleSdk(req, res, parts, url);
        else await handleAdmin(req, res, parts);
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        const path = error instanceof HttpError ? error.path : '$';
        const headers = error instanceof HttpError ? error.headers : {};
        if (status === 500) log(`error: ${(error as Error).stack ?? String(error)}`);
        if (!res.headersSent) {
          sendJson(
            res,
            status,
            { error: (error as Error).message, path },
            { ...(sdk ? corsHeaders(req) : {}), ...headers },
          );
        } else res.end();
      }
      return true;
    },
    state: () => flagState(flags(), now()),
    flags,
    events: () => events.list(),
    openStreams: () => streams.size,
    audit: () => desk.audit.entries(),
    release: () => desk.state(flags()),
    async close() {
      closed = true;
      clearInterval(heartbeat);
      await queue;
      await desk.close();
      for (const stream of streams) {
        clearTimeout(stream.idle);
        stream.res.end();
      }
      streams.clear();
      evaluator.close();
    },
  };
}

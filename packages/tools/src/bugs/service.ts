// P1 bug intake for the gate: `POST /bugs` reports one ({id, severity: P1|P2|P3, title, link?, time?}),
// `DELETE /bugs/<id>` withdraws it, `GET /bugs` lists them with the server's clock ({now, bugs}), which the
// gate uses to count the P1s of the last 24 hours. The routes follow the flag server's admin rules
// (http/access.ts): the admin token when one is set, else only this machine by a loopback name; writes
// need `Content-Type: application/json` (a type a web page cannot send without a CORS preflight, which is
// never granted). Persisted in an append-only log (log.ts); mounts on any server through `handle`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, isJsonContentType, readJson } from '../flag-server/http.js';
import { type AccessPolicy, createAccessPolicy } from '../http/access.js';
import { sendJson } from '../http/send.js';
import { applyRecord, type Bug, type BugRecord, parseBugReport, sameReport } from './bug.js';
import { openBugLog } from './log.js';

/** Options of `createBugService`. */
export interface BugServiceOptions {
  /** Directory of the bug log (created when missing). */
  dataDir: string;
  /** When set, every bug route needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** The server's clock: receive times and the list's `now` (tests pass a fixed one). */
  now?: () => number;
  /** The host rules of the server it is mounted on (default: a loopback server's). */
  access?: AccessPolicy;
  /** Receives one line per change and per problem found at start-up. */
  log?: (line: string) => void;
}

/** The mounted service. */
export interface BugService {
  /** Answers the request when its path is /bugs or /bugs/<id>; resolves false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Every bug, withdrawn ones included, newest report first. */
  list(): Bug[];
  /** Finishes pending writes and closes the log; later requests get 503. */
  close(): Promise<void>;
}

const BODY_LIMIT = 16 * 1024;
const ROUTE = 'bug routes';

/** Loads the log in `dataDir` and returns the service. */
export async function createBugService(options: BugServiceOptions): Promise<BugService> {
  const now = options.now ?? Date.now;
  const say = options.log ?? (() => {});
  const access = options.access ?? createAccessPolicy({ host: '127.0.0.1' });
  const token = options.adminToken ? options.adminToken : null;
  const log = await openBugLog(options.dataDir);
  if (log.skipped > 0)
    say(`bugs: skipped ${log.skipped} unreadable lines in ${log.file} (a torn last write, a hand edit)`);
  const bugs = new Map<string, Bug>();
  for (const record of log.records) applyRecord(bugs, record);
  let closed = false;
  // Changes are checked against the list and written in order, one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => {});
    return next;
  };
  const record = async (r: BugRecord) => {
    await log.append(r);
    applyRecord(bugs, r);
  };
  const list = () => [...bugs.values()].sort((a, b) => b.reportedAt - a.reportedAt);

  async function report(req: IncomingMessage, res: ServerResponse) {
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new HttpError(415, 'POST /bugs needs "Content-Type: application/json"');
    }
    const body = await readJson(req, BODY_LIMIT);
    const result = await serial(async () => {
      const parsed = parseBugReport(body, now());
      if (!parsed.ok)
        return { status: 400, body: { error: parsed.problem.error, path: parsed.problem.path } };
      const known = bugs.get(parsed.report.id);
      if (known && known.withdrawnAt === null) {
        // A retry of the same report is answered as the first one was: no second line, no new time.
        if (sameReport(known, parsed.report)) return { status: 200, body: { bug: known } };
        return {
          status: 409,
          body: {
            error: `bug ${known.id} is already reported with other content; withdraw it first`,
            path: '$.id',
          },
        };
      }
      await record(parsed.report);
      say(`bugs: ${known ? 're-reported' : 'reported'} ${parsed.report.severity} ${parsed.report.id}`);
      return { status: 201, body: { bug: bugs.get(parsed.report.id) } };
    });
    sendJson(res, result.status, result.body);
  }

  async function withdraw(res: ServerResponse, id: string) {
    const result = await serial(async () => {
      const known = bugs.get(id);
      if (!known) return { status: 404, body: { error: `no bug with id "${id}"`, path: 'id' } };
      if (known.withdrawnAt === null) {
        await record({ op: 'withdraw', id, receivedAt: now() });
        say(`bugs: withdrew ${id}`);
      }
      return { status: 200, body: { bug: bugs.get(id) } };
    });
    sendJson(res, result.status, result.body);
  }

  async function route(req: IncomingMessage, res: ServerResponse, parts: string[]) {
    const refusal = access.checkAdmin(req, token, ROUTE);
    if (refusal) throw new HttpError(refusal.status, refusal.error, '$', refusal.headers ?? {});
    const method = req.method ?? 'GET';
    if (parts.length === 1) {
      if (method === 'GET' || method === 'HEAD') {
        sendJson(res, 200, { now: now(), bugs: list() });
        return;
      }
      if (method === 'POST') return report(req, res);
      throw new HttpError(
        method === 'OPTIONS' ? 403 : 405,
        `${method} is not allowed on /bugs (GET, POST)`,
        '$',
        {
          allow: 'GET, POST',
        },
      );
    }
    let id: string;
    try {
      id = decodeURIComponent(parts[1]!);
    } catch {
      throw new HttpError(400, `malformed URL escape in "${parts[1]}"`);
    }
    if (parts.length === 2 && method === 'DELETE') return withdraw(res, id);
    if (parts.length === 2 && method === 'GET') {
      const bug = bugs.get(id);
      if (!bug) throw new HttpError(404, `no bug with id "${id}"`, 'id');
      sendJson(res, 200, { bug });
      return;
    }
    throw new HttpError(
      method === 'OPTIONS' ? 403 : 405,
      `${method} is not allowed on /bugs/<id> (GET, DELETE)`,
      '$',
      {
        allow: 'GET, DELETE',
      },
    );
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://bugs.invalid');
      const parts = url.pathname.split('/').filter((p) => p !== '');
      if (parts[0] !== 'bugs' || parts.length > 2) return false;
      try {
        if (closed) throw new HttpError(503, 'the bug service is shutting down');
        await route(req, res, parts);
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        if (status === 500) say(`bugs: error: ${(error as Error).stack ?? String(error)}`);
        if (!req.complete) req.resume();
        if (!res.headersSent) {
          sendJson(
            res,
            status,
            { error: (error as Error).message, path: error instanceof HttpError ? error.path : '$' },
            error instanceof HttpError ? error.headers : {},
          );
        } else res.end();
      }
      return true;
    },
    list,
    async close() {
      closed = true;
      await queue;
      await log.close();
    },
  };
}

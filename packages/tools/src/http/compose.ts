// The tools' one server composition, behind `token-rollout serve`, `flags`, `collector` and `npm start`:
// one HTTP server (server.ts) with, in this order, the collector, the flag service, the gate endpoint, the
// bug service and the caller's own handlers (static files, an app's pages), and one host/token policy
// (access.ts) for all of them. A host other than loopback needs the tokens of what it serves.
import { type BugService, createBugService } from '../bugs/index.js';
import { type Collector, type CollectorOptions, createCollector } from '../collector/collector.js';
import { createFlagService, type FlagService, type FlagServiceOptions } from '../flag-server/service.js';
import { createGateEndpoint } from '../gate-api/endpoint.js';
import { type AccessPolicy, createAccessPolicy } from './access.js';
import { isLoopback, localUrl } from './loopback.js';
import { type Mount, startHttpServer } from './server.js';

/** Options of `startToolsServer`: the services to serve (each optional) and where. */
export interface ToolsServerOptions {
  /** Default 127.0.0.1. Any other host needs `adminToken` (flags) and the collector's `token`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Names clients may use for the server besides its host, IP literals and localhost (read routes check). */
  allowedHosts?: readonly string[];
  /** When set, admin routes (flags, bugs) and the flag service's event route need it as a bearer token. */
  adminToken?: string;
  /** The LaunchDarkly-compatible flag service and its admin API. */
  flags?: Omit<FlagServiceOptions, 'access' | 'adminToken'>;
  /** The metrics collector (its `token` guards reads; its ingest key, writes). */
  collector?: Omit<CollectorOptions, 'access'>;
  /** GET /api/gate, the gate's live decision (needs `flags` and `collector`). */
  gate?: boolean;
  /** The bug service's data directory (POST/GET /bugs, DELETE /bugs/:id). */
  bugs?: { dataDir: string };
  /** More handlers, offered every request the services leave (an app's pages, static files). */
  mounts?: readonly Mount[];
  /** Receives notable lines (admin changes, handler failures). */
  log?: (line: string) => void;
}

/** A running composition. */
export interface ToolsServer {
  /** `http://host:port` as bound: the SDKs' base/stream/events URL. */
  url: string;
  /** A URL a browser on this machine can open (`url`, with 0.0.0.0 or :: replaced by loopback). */
  localUrl: string;
  host: string;
  port: number;
  access: AccessPolicy;
  flags: FlagService | null;
  collector: Collector | null;
  bugs: BugService | null;
  /** Where pages post beacons (with `?key=` when the collector needs its ingest key); null without one. */
  collectUrl: string | null;
  /** Stops listening, lets the services finish (pending writes, streams), then closes every connection. */
  close(): Promise<void>;
}

/** Throws naming the missing tokens when `options` would expose a service to the network without one. */
export function checkExposure(options: ToolsServerOptions): void {
  const host = options.host ?? '127.0.0.1';
  if (isLoopback(host)) return;
  const missing: { what: string; token: string; option: string; risk: string }[] = [];
  if (options.flags && !options.adminToken) {
    missing.push({
      what: 'the flag server',
      token: 'an admin token',
      option: '--admin-token',
      risk: 'flip the flags',
    });
  }
  if (options.collector && !options.collector.token) {
    const alone = !options.flags;
    missing.push({
      what: 'the collector',
      token: alone ? 'a token' : 'a collector token',
      option: alone ? '--token' : '--collector-token',
      risk: 'read and write the metrics',
    });
  }
  if (missing.length === 0) return;
  const list = (key: 'what' | 'token' | 'option' | 'risk') => missing.map((m) => m[key]).join(' and ');
  throw new Error(
    `refusing to bind ${list('what')} to ${host} without ${list('token')}: anyone on the network could ${list('risk')}; set ${list('option')} (or bind 127.0.0.1)`,
  );
}

/** Opens the chosen services and serves them on one port; resolves once listening. */
export async function startToolsServer(options: ToolsServerOptions): Promise<ToolsServer> {
  checkExposure(options);
  const host = options.host ?? '127.0.0.1';
  const access = createAccessPolicy({ host, allowedHosts: options.allowedHosts });
  const adminToken = options.adminToken ? options.adminToken : undefined;
  const opened: { close(): Promise<void> }[] = [];
  try {
    const collector = options.collector ? await createCollector({ ...options.collector, access }) : null;
    if (collector) opened.push(collector);
    const flags = options.flags
      ? await createFlagService({
          // The recovery check after a rollback reads the event store (release/watcher.ts).
          ...(collector ? { events: collector.store } : {}),
          ...options.flags,
          access,
          adminToken,
          log: options.flags.log ?? options.log,
        })
      : null;
    if (flags) opened.push(flags);
    const bugs = options.bugs
      ? await createBugService({ dataDir: options.bugs.dataDir, adminToken, access, log: options.log })
      : null;
    if (bugs) opened.push(bugs);

    const mounts: Mount[] = [];
    // The collector first: the flag service answers every path under /events/ (LaunchDarkly's event
    // routes), which would swallow the collector's GET /events/export.
    if (collector) mounts.push({ name: 'collector', handle: (req, res) => collector.handle(req, res) });
    if (flags) mounts.push({ name: 'flag service', handle: (req, res) => flags.handle(req, res) });
    if (options.gate && collector && flags) {
      const sources = {
        statistics: collector.gateStatistics,
        activeStage: () => flags.state().activeStage,
      };
      mounts.push({
        name: 'gate endpoint',
        handle: createGateEndpoint(sources, access, options.collector?.token || null),
      });
    }
    if (bugs) mounts.push({ name: 'bug service', handle: (req, res) => bugs.handle(req, res) });
    mounts.push(...(options.mounts ?? []));

    const server = await startHttpServer({ host, port: options.port, mounts, log: options.log });
    const base = (options.collector?.basePath ?? '').replace(/\/+$/, '');
    const key = collector?.ingestKey ?? null;
    return {
      url: server.url,
      localUrl: localUrl(host, server.port),
      host,
      port: server.port,
      access,
      flags,
      collector,
      bugs,
      collectUrl: collector
        ? `${server.url}${base}/collect${key === null ? '' : `?key=${encodeURIComponent(key)}`}`
        : null,
      close: () => server.close(() => Promise.allSettled(opened.map((s) => s.close()))),
    };
  } catch (error) {
    await Promise.allSettled(opened.map((s) => s.close()));
    throw error;
  }
}

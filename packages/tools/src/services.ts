// `token-rollout serve`: the local LaunchDarkly-compatible flag service (with its admin API) and the
// metrics collector on one port, so an app's LaunchDarkly client and its beacon reporter need one origin.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCollector } from './collector/collector.js';
import { resolveFlagsDir } from './default-flags.js';
import { isLoopback } from './flag-server/server.js';
import { createFlagService } from './flag-server/service.js';
import { portOption } from './integer-option.js';

/** Options of `startServices`; a non-loopback host needs both tokens. */
export interface ServicesOptions {
  port?: number;
  host?: string;
  flagsDir: string;
  dataDir: string;
  adminToken?: string;
  collectorToken?: string;
}

/** Starts the flag service and the collector behind one HTTP server; resolves once listening. */
export async function startServices(
  options: ServicesOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && (!options.adminToken || !options.collectorToken)) {
    throw new Error(`serve: --host ${host} is not loopback: set --admin-token and --collector-token`);
  }
  const flags = await createFlagService({
    flagsDir: options.flagsDir,
    dataDir: join(options.dataDir, 'flags'),
    adminToken: options.adminToken,
  });
  const collector = await createCollector({
    dataDir: join(options.dataDir, 'collector'),
    ...(options.collectorToken ? { token: options.collectorToken } : {}),
  });
  const server = createServer(async (req, res) => {
    try {
      // The collector first: the flag service answers every path under /events/ (LaunchDarkly's
      // event routes), which would swallow the collector's GET /events/export.
      if (await collector.handle(req, res)) return;
      if (await flags.handle(req, res)) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route for ${req.method} ${req.url}`);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.message : String(error));
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8030, host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await Promise.allSettled([flags.close(), collector.close()]);
    },
  };
}

/** Parses `serve`'s options (`--flags DIR --data DIR --port N --host H --admin-token T --collector-token T`). */
export function parseServicesArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): ServicesOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      flags: { type: 'string' },
      data: { type: 'string', default: '.data' },
      port: { type: 'string', default: '8030' },
      host: { type: 'string', default: '127.0.0.1' },
      'admin-token': { type: 'string' },
      'collector-token': { type: 'string' },
    },
    strict: true,
  });
  const port = portOption(values.port);
  const adminToken = values['admin-token'] ?? env.TOKEN_ROLLOUT_ADMIN_TOKEN;
  const collectorToken = values['collector-token'] ?? env.TOKEN_ROLLOUT_COLLECTOR_TOKEN;
  return {
    flagsDir: resolveFlagsDir(values.flags),
    dataDir: resolve(values.data),
    port,
    host: values.host,
    ...(adminToken ? { adminToken } : {}),
    ...(collectorToken ? { collectorToken } : {}),
  };
}

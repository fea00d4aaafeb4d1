// A standalone HTTP server around the flag service (what `token-rollout serve --flags DIR` starts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFlagService, type FlagService } from './service.js';

export interface FlagServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Loopback by default; any other host needs `adminToken`. */
  host?: string;
  flagsDir: string;
  dataDir: string;
  adminToken?: string;
  log?: (line: string) => void;
}

export interface FlagServer {
  /** Base URL for the SDKs' base/stream/events URLs, e.g. `http://127.0.0.1:8030`. */
  url: string;
  port: number;
  service: FlagService;
  close(): Promise<void>;
}

/** True for the loopback host names and addresses. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Starts the flag server; resolves once listening. Refuses a non-loopback host without an admin token. */
export async function startFlagServer(options: FlagServerOptions): Promise<FlagServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.adminToken) {
    throw new Error(
      `refusing to bind the flag server to ${host} without an admin token: anyone on the network could flip the flags (set adminToken / --admin-token, or bind 127.0.0.1)`,
    );
  }
  const service = await createFlagService(options);
  const server = createServer((req, res) => {
    service.handle(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      },
      () => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    service,
    async close() {
      await service.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The collector on its own HTTP server. Loopback by default; any other address needs a token, because
// then strangers can reach it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Collector, type CollectorOptions, createCollector } from './collector.js';

const REQUEST_TIMEOUT_MS = 30_000;

export interface CollectorServerOptions extends Omit<CollectorOptions, 'basePath'> {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface CollectorServer {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  /** The URL browsers post to (with `?key=` when an ingest key is required). */
  collectUrl: string;
  collector: Collector;
  /** Stops accepting connections, finishes pending writes and closes the store. */
  close(): Promise<void>;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/** Starts the collector on its own server; refuses a non-loopback host without a token. */
export async function startCollectorServer(options: CollectorServerOptions): Promise<CollectorServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !(options.token && options.token.length > 0)) {
    throw new Error(
      `refusing to bind the collector to ${host} without a token: pass a token (reads then need ` +
        'Authorization: Bearer <token>, writes the ingest key) or bind to 127.0.0.1',
    );
  }
  const collector = await createCollector(options);
  const server = createServer((req, res) => {
    collector.handle(req, res).then(
      (handled) => {
        if (handled) return;
        const body = JSON.stringify({ error: `no route ${req.method} ${req.url}` });
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(body);
      },
      (error: unknown) => {
        res.destroy(error as Error);
      },
    );
  });
  // Beacons are small: a client that takes longer than this to send one is holding a socket hostage.
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await collector.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  const collectUrl =
    collector.ingestKey === null
      ? `${url}/collect`
      : `${url}/collect?key=${encodeURIComponent(collector.ingestKey)}`;
  return {
    url,
    collectUrl,
    collector,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await collector.close();
    },
  };
}

// The collector alone on the tools' server composition (what `token-rollout collector` starts, and what
// tests start): `startToolsServer` with only the collector mounted.
import { startToolsServer } from '../http/compose.js';
import type { Collector, CollectorOptions } from './collector.js';

export { isLoopback } from '../http/loopback.js';

/** Options of `startCollectorServer`: the collector's, plus where to listen. */
export interface CollectorServerOptions extends Omit<CollectorOptions, 'basePath' | 'access'> {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1; any other host needs `token`. */
  host?: string;
  /** Names clients may use for the server besides its host, IP literals and localhost. */
  allowedHosts?: readonly string[];
}

/** A running collector server. */
export interface CollectorServer {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  /** The URL browsers post to (with `?key=` when an ingest key is required). */
  collectUrl: string;
  collector: Collector;
  /** Stops accepting connections, finishes pending writes and closes the store. */
  close(): Promise<void>;
}

/** Starts the collector on its own server; refuses a non-loopback host without a token. */
export async function startCollectorServer(options: CollectorServerOptions): Promise<CollectorServer> {
  const { port, host, allowedHosts, ...collector } = options;
  const server = await startToolsServer({ port, host, allowedHosts, collector });
  if (!server.collector || server.collectUrl === null) throw new Error('startCollectorServer: no collector');
  return { url: server.url, collectUrl: server.collectUrl, collector: server.collector, close: server.close };
}

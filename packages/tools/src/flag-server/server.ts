// The flag service alone on the tools' server composition (what `token-rollout flags` starts, and what
// tests and the e2e harness start): `startToolsServer` with only the flag service mounted.
import { startToolsServer } from '../http/compose.js';
import type { FlagService, FlagServiceOptions } from './service.js';

/** Options of `startFlagServer`: the flag service's, plus where to listen. */
export interface FlagServerOptions extends Omit<FlagServiceOptions, 'access'> {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default; any other host needs `adminToken`. */
  host?: string;
  /** Names clients may use for the server besides its host, IP literals and localhost. */
  allowedHosts?: readonly string[];
}

/** A running flag server. */
export interface FlagServer {
  /** Base URL for the SDKs' base/stream/events URLs, e.g. `http://127.0.0.1:8030`. */
  url: string;
  port: number;
  service: FlagService;
  close(): Promise<void>;
}

/** Starts the flag server; resolves once listening. Refuses a non-loopback host without an admin token. */
export async function startFlagServer(options: FlagServerOptions): Promise<FlagServer> {
  const { port, host, allowedHosts, adminToken, ...flags } = options;
  const server = await startToolsServer({ port, host, allowedHosts, adminToken, flags });
  if (!server.flags) throw new Error('startFlagServer: the flag service did not open');
  return { url: server.url, port: server.port, service: server.flags, close: server.close };
}

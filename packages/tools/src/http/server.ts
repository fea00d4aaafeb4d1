// The one HTTP server the tools start: it listens (loopback unless told otherwise), offers each request to
// its mounted handlers in order until one answers, and answers 404 when none does. Every command and
// `npm start` runs on it (through `startToolsServer`); test servers use it through scripts/serve-static.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpUrl } from './loopback.js';
import { sendJson } from './send.js';

/** Answers a request and resolves true, or resolves false to leave it to the next handler. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** A handler with a name, which a failure report names. */
export interface Mount {
  name: string;
  handle: Handler;
}

/** Options of `startHttpServer`. */
export interface HttpServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Offered every request in this order. */
  mounts: readonly Mount[];
  /** Receives a line per handler failure (default: stderr). */
  log?: (line: string) => void;
}

/** A listening server. */
export interface HttpServer {
  /** `http://host:port` as bound. */
  url: string;
  host: string;
  port: number;
  server: Server;
  /**
   * Stops accepting connections, closes idle ones, awaits `drain` (services finishing their work and
   * ending their streams), then closes whatever is still open.
   */
  close(drain?: () => Promise<unknown>): Promise<void>;
}

// A client gets this long to send a whole request (bodies here are small: beacons, admin changes);
// longer holds a socket hostage (slowloris). Streams are responses, so they are not limited by it.
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 20_000;

/** Starts listening; resolves once it does, rejects when the port cannot be bound. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => console.error(line));
  const server = createServer(
    { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS },
    async (req, res) => {
      let current = 'server';
      try {
        for (const mount of options.mounts) {
          current = mount.name;
          if (await mount.handle(req, res)) return;
        }
        sendJson(res, 404, { error: `no route for ${req.method} ${(req.url ?? '/').split('?')[0]}` });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${current}: ${error instanceof Error ? (error.stack ?? message) : message}`);
        if (!res.headersSent) sendJson(res, 500, { error: `${current} failed: ${message}` });
        else res.destroy();
      }
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: httpUrl(host, port),
    host,
    port,
    server,
    async close(drain) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await drain?.();
      server.closeAllConnections();
      await closed;
    },
  };
}

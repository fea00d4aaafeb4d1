// A static file server for the gallery, the built tokens and the e2e fixtures and benchmarks (and `npm run
// serve:gallery`): the tools' HTTP server with its static-file handler on a directory, after an optional
// `intercept` that tests use to inject faults (404, 500, slow, wrong bytes) and serve dynamic routes.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHttpServer } from '../packages/tools/src/http/server.js';
import { createStaticFiles } from '../packages/tools/src/http/static-files.js';

export interface StaticServerOptions {
  /** Directory served at `/`; defaults to the project root. */
  root?: string;
  port?: number;
  host?: string;
  /** Return true when the request was answered (fault injection, dynamic routes). */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /** Extra headers on every file response (e.g. a Content-Security-Policy). */
  headers?: Record<string, string>;
}

export interface StaticServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Serves files under `root` (never outside it, symlinks included) and resolves once listening. */
export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const intercept = options.intercept;
  const files = createStaticFiles({
    root: options.root ?? projectRoot,
    index: true,
    headers: { 'access-control-allow-origin': '*', ...options.headers },
  });
  const server = await startHttpServer({
    host: options.host,
    port: options.port,
    mounts: [
      ...(intercept ? [{ name: 'intercept', handle: intercept }] : []),
      { name: 'static files', handle: files },
    ],
  });
  return { url: server.url, server: server.server, close: () => server.close() };
}

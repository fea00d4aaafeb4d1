// A small static file server for the gallery, the built tokens and e2e fixtures (and `npm run serve:gallery`).
// Tests start it on port 0 and may intercept requests to inject faults (404, 500, slow, wrong bytes).
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

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

/** Serves files under `root` (never outside it) and resolves once listening. */
export function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const root = resolve(options.root ?? projectRoot);
  const server = createServer(async (req, res) => {
    try {
      if (options.intercept && (await options.intercept(req, res))) return;
      const url = new URL(req.url ?? '/', 'http://localhost');
      let path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (!path.startsWith(root)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      let stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) {
        path = join(path, 'index.html');
        stat = statSync(path, { throwIfNoEntry: false });
      }
      if (!stat?.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}`);
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'content-length': stat.size,
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
        ...options.headers,
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(path).pipe(res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://${options.host ?? '127.0.0.1'}:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

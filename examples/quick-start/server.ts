// The example app's server: the README's step 1 (the token files at /tokens/, from the installed package)
// and step 2 (the boot snippet first in <head>, from dist/readme/boot.ts), the page under a nonce-only
// Content-Security-Policy, the browser bundle, and /collect passed on to the local collector (the
// README's beacon reporter posts to the page's own origin, as an app's server or CDN would route it).
//
// Bundled by build.ts to dist/server.mjs: `node examples/quick-start/dist/server.mjs` with
// FLAG_SERVER (default http://127.0.0.1:8030, `npx token-rollout serve`) and PORT (default 4300).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootHead } from './dist/readme/boot.js';

/** The README's step 2, for the test to compare with what `token-rollout init` prints. */
export { bootHead };

/** The installed token files (node_modules/token-rollout/dist/tokens/). */
const TOKENS = dirname(createRequire(import.meta.url).resolve('token-rollout/tokens/manifest.json'));
/** Bundled to dist/server.mjs: the browser bundle is beside it, the page's CSS one folder up. */
const APP_JS = fileURLToPath(new URL('./app.js', import.meta.url));
const PAGE_CSS = fileURLToPath(new URL('../page.css', import.meta.url));

export interface QuickStartServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.js': 'text/javascript; charset=utf-8',
};

const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(flagServer: string, user: { id: string; country: string }, res: ServerResponse): void {
  const nonce = randomBytes(16).toString('base64');
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': [
      "default-src 'self'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'self' 'nonce-${nonce}'`,
      `connect-src 'self' ${new URL(flagServer).origin}`,
      "object-src 'none'",
      "base-uri 'none'",
    ].join('; '),
  });
  res.end(`<!doctype html>
<html lang="en">
<head>
${bootHead(nonce)}
<title>token-rollout quick start</title>
<link rel="stylesheet" href="/page.css">
<script type="application/json" id="quick-start-config">${json({ flagServer, user })}</script>
<script type="module" src="/app.js" nonce="${nonce}"></script>
</head>
<body>
<main><section class="card"><h1>Quick start</h1><p>The README's quick start, as an app.</p><div id="app"></div></section></main>
</body>
</html>
`);
}

async function file(path: string, res: ServerResponse, immutable = false): Promise<void> {
  try {
    const body = await readFile(path);
    res.writeHead(200, {
      'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
}

/** POST /collect, passed on to the collector with the page's origin (the collector checks it). */
async function collect(flagServer: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const answer = await fetch(`${flagServer}/collect`, {
      method: 'POST',
      headers: {
        'content-type': req.headers['content-type'] ?? 'application/json',
        ...(req.headers.origin ? { origin: req.headers.origin } : {}),
      },
      body: Buffer.concat(chunks),
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  } catch {
    res.writeHead(502).end();
  }
}

/** Starts the example's server; `user` is the default visitor (`?user=ID&country=CC` picks another). */
export async function startQuickStartServer(options: {
  flagServer: string;
  port?: number;
  user?: { id: string; country: string };
}): Promise<QuickStartServer> {
  const flagServer = options.flagServer.replace(/\/$/, '');
  const fallbackUser = options.user ?? { id: 'quick-start-user', country: 'AU' };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/collect') return void collect(flagServer, req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (url.pathname === '/') {
      const id = url.searchParams.get('user');
      const country = url.searchParams.get('country');
      return page(flagServer, id && country ? { id, country } : fallbackUser, res);
    }
    if (url.pathname === '/app.js') return void file(APP_JS, res);
    if (url.pathname === '/page.css') return void file(PAGE_CSS, res);
    if (url.pathname.startsWith('/tokens/')) {
      const path = normalize(join(TOKENS, decodeURIComponent(url.pathname.slice('/tokens/'.length))));
      if (!path.startsWith(TOKENS + sep)) return void res.writeHead(404).end();
      return void file(path, res, true);
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((listening) => server.listen(options.port ?? 0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const flagServer = process.env.FLAG_SERVER ?? 'http://127.0.0.1:8030';
  const server = await startQuickStartServer({ flagServer, port: Number(process.env.PORT ?? 4300) });
  console.log(`quick start: ${server.url}/ (flags and collector: ${flagServer})`);
}

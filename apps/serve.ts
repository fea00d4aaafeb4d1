// The dev server behind `npm start` / `token-rollout serve`: one HTTP server on loopback with the
// LaunchDarkly-compatible flag service and its admin API, the metrics collector, the gate's current
// decision, the demo storefront at `/`, the dashboard at `/dashboard/` and the built tokens at `/tokens/`.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createCollector, createFlagService, resolveFlagsDir } from 'token-rollout-tools';
import { startStaticServer } from '../scripts/serve-static.js';
import type { TokenManifest } from '../tokens/manifest.js';
import { buildDashboard, dashboardCsp, renderDashboardPage } from './dashboard/build.js';
import { createGateEndpoint } from './dashboard/gate-endpoint.js';
import { buildDemo, loadBootModule } from './demo/build.js';
import { demoCsp, renderDemoPage } from './demo/page.js';

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Options of `startDevServer`; paths are relative to the working directory. */
export interface DevServerOptions {
  port?: number;
  host?: string;
  /** Flag definitions in LaunchDarkly's flag JSON format. */
  flagsDir?: string;
  /** Where the flag service persists admin changes and the collector appends events. */
  dataDir?: string;
  /** The token build's output (manifest.json and the CSS files). */
  tokensDir?: string;
  /** Required on admin calls when set (otherwise the admin API is open on loopback). */
  adminToken?: string;
}

/** A running dev server. */
export interface DevServer {
  urls: { demo: string; dashboard: string; flags: string; collector: string };
  close(): Promise<void>;
}

/** The LaunchDarkly client-side ID the local flag server answers to (any ID works; this one is the demo's). */
export const DEMO_CLIENT_SIDE_ID = 'local-dev';

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

function asset(type: string, text: string | Buffer): Asset {
  const body = Buffer.from(text);
  return { type, body, gzip: gzipSync(body, { level: 9 }) };
}

function hashed(name: string, ext: string, text: string): string {
  return `${name}.${createHash('sha256').update(text).digest('hex').slice(0, 10)}.${ext}`;
}

/** Sends an in-memory asset, gzip-compressed when the client accepts it. */
function sendAsset(req: IncomingMessage, res: ServerResponse, file: Asset, cache: string): void {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  res.writeHead(200, {
    'content-type': file.type,
    'content-length': gzip ? file.gzip.length : file.body.length,
    'cache-control': cache,
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : gzip ? file.gzip : file.body);
}

/** Starts everything on one loopback port (0 picks a free one) and resolves once it listens. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const flagsDir = resolveFlagsDir(options.flagsDir);
  const dataDir = resolve(options.dataDir ?? '.data');
  const tokensDir = resolve(options.tokensDir ?? join(projectRoot, 'dist/tokens'));
  const manifestPath = join(tokensDir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`no token build at ${manifestPath}: run \`npm run build:tokens\` first`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TokenManifest;

  const [demo, dashboard, boot] = await Promise.all([buildDemo(), buildDashboard(), loadBootModule()]);
  const v1 = manifest.files.find((f) => f.version === 'v1');
  const assets = new Map<string, Asset>();
  // Script names are content-hashed by esbuild, so they can be cached for good.
  for (const [name, text] of [...demo.app.scripts, ...dashboard.scripts]) {
    assets.set(`/assets/${name}`, asset('text/javascript; charset=utf-8', text));
  }
  const appUrl = `/assets/${demo.app.entry}`;
  const dashJsUrl = `/assets/${dashboard.entry}`;
  const dashCssUrl = `/assets/${hashed('dashboard', 'css', dashboard.css)}`;
  assets.set(dashCssUrl, asset('text/css; charset=utf-8', dashboard.css));
  const tokenCache = new Map<string, Asset>();

  const flags = await createFlagService({ flagsDir, dataDir, adminToken: options.adminToken });
  const collector = await createCollector({ dataDir });
  let origin = '';
  const gate = createGateEndpoint({
    events: () => collector.events(),
    eventCount: () => collector.aggregates().events,
    activeStage: () => flags.state().activeStage,
  });
  // The dashboard dogfoods v2: the core and every family's v2 sheet.
  const tokenSheets = manifest.files
    .filter((f) => f.version === 'v2')
    .sort((a, b) => Number(b.family === 'core') - Number(a.family === 'core'))
    .map((f) => ({ href: `/tokens/${f.file}`, integrity: f.integrity }));

  const intercept = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    // The collector first: it claims exact paths only, while the flag service answers all of /events/*.
    if (await collector.handle(req, res)) return true;
    if (await flags.handle(req, res)) return true;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    if (path === '/' || path === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      const html = renderDemoPage({
        bootTag: boot.bootScriptTag({
          nonce,
          v1Href: v1 ? `/tokens/${v1.file}` : undefined,
          v1Integrity: v1?.integrity,
        }),
        css: demo.css,
        appHtml: demo.html,
        appUrl,
        config: {
          clientSideId: DEMO_CLIENT_SIDE_ID,
          flagOrigin: origin,
          manifestUrl: `${origin}/tokens/manifest.json`,
          manifest,
          collectUrl: `${origin}/collect`,
          nonce,
        },
      });
      res.setHeader('content-security-policy', demoCsp(nonce));
      sendAsset(req, res, asset('text/html; charset=utf-8', html), 'no-store');
      return true;
    }
    if (path === '/dashboard') {
      res.writeHead(308, { location: '/dashboard/' }).end();
      return true;
    }
    if (path === '/dashboard/') {
      res.setHeader('content-security-policy', dashboardCsp());
      const html = renderDashboardPage({ scriptUrl: dashJsUrl, cssUrl: dashCssUrl, tokenSheets });
      sendAsset(req, res, asset('text/html; charset=utf-8', html), 'no-store');
      return true;
    }
    if (path === '/api/gate') {
      await gate(res, url.searchParams);
      return true;
    }
    const built = assets.get(path);
    if (built) {
      sendAsset(req, res, built, 'public, max-age=31536000, immutable');
      return true;
    }
    if (path.startsWith('/tokens/')) {
      const file = normalize(join(tokensDir, decodeURIComponent(path.slice('/tokens/'.length))));
      if (!file.startsWith(tokensDir) || !existsSync(file)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
        return true;
      }
      let cached = tokenCache.get(file);
      if (!cached) {
        const type = file.endsWith('.css') ? 'text/css; charset=utf-8' : 'application/json; charset=utf-8';
        cached = asset(type, readFileSync(file));
        // Hashed token files never change; the manifest is re-read on every start.
        if (!file.endsWith('manifest.json')) tokenCache.set(file, cached);
      }
      const immutable = !file.endsWith('manifest.json');
      sendAsset(req, res, cached, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return true;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return true;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
    return true;
  };

  const server = await startStaticServer({ root: tokensDir, port: options.port ?? 4173, host, intercept });
  origin = server.url;
  return {
    urls: {
      demo: `${origin}/`,
      dashboard: `${origin}/dashboard/`,
      flags: `${origin}/admin/state`,
      collector: `${origin}/aggregates`,
    },
    async close() {
      await server.close();
      await Promise.allSettled([flags.close(), collector.close()]);
    },
  };
}

/** Parses `--port N --host H --flags DIR --data DIR --admin-token T` (the `serve` subcommand's options). */
export function parseServeArgs(argv: readonly string[]): DevServerOptions {
  const options: DevServerOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--port':
        options.port = Number(value);
        i++;
        break;
      case '--host':
        options.host = value;
        i++;
        break;
      case '--flags':
        options.flagsDir = value;
        i++;
        break;
      case '--data':
        options.dataDir = value;
        i++;
        break;
      case '--admin-token':
        options.adminToken = value;
        i++;
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return options;
}

/** Runs the dev server until Ctrl-C (SIGINT/SIGTERM), then closes it gracefully. For `npm start`. */
export async function runDevServer(argv: readonly string[]): Promise<void> {
  const server = await startDevServer({ port: Number(process.env.PORT ?? 4173), ...parseServeArgs(argv) });
  console.log('token-rollout dev server');
  console.log(`  demo       ${server.urls.demo}`);
  console.log(`  dashboard  ${server.urls.dashboard}`);
  console.log(`  flags      ${server.urls.flags}`);
  console.log(`  collector  ${server.urls.collector}`);
  console.log('Ctrl-C to stop.');
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  console.log('stopped.');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runDevServer(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

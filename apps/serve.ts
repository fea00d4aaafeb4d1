// `npm start`: the tools' server composition (the flag service with its admin API, the collector, the
// gate's live decision and the bug service, as `token-rollout serve` runs them) plus the demo storefront
// at `/`, the dashboard at `/dashboard/`, their scripts at `/assets/` and the built tokens at `/tokens/`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkExposure,
  createStaticFiles,
  type Handler,
  type MemoryAsset,
  type Mount,
  memoryAsset,
  parseCommand,
  portOptionSpec,
  resolveFlagsDir,
  SERVICES_OPTIONS,
  type ServicesOptions,
  sendMemoryAsset,
  servicesComposition,
  servicesOptionsOf,
  startToolsServer,
  withUsage,
} from 'token-rollout-tools';
import type { TokenManifest } from '../tokens/manifest.js';
import { buildDashboard } from './dashboard/build.js';
import { createDashboardHandler } from './dashboard/handler.js';
import { buildDemo, loadBootModule } from './demo/build.js';
import { createDemoHandler } from './demo/handler.js';

export { DEMO_CLIENT_SIDE_ID } from './demo/handler.js';

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

// The options in usage order: what to serve, where to keep it, where to listen, then the rest.
const { flags: flagsSpec, data: dataSpec, ...afterPort } = SERVICES_OPTIONS;

/** `npm start`'s options: `serve`'s, with its own port (4173, or PORT). */
export const START_COMMAND = {
  name: 'npm start --',
  summary:
    'The demo storefront (/), the dashboard (/dashboard/), and what `token-rollout serve` runs, on one port.',
  options: { flags: flagsSpec, data: dataSpec, port: portOptionSpec(4173, 'PORT'), ...afterPort },
};

/** Options of `startDevServer`: `serve`'s (paths relative to the working directory) plus the token build. */
export interface DevServerOptions extends Partial<ServicesOptions> {
  /** The token build's output (manifest.json and the CSS files); default dist/tokens. */
  tokensDir?: string;
}

/** A running dev server. */
export interface DevServer {
  urls: { demo: string; dashboard: string; flags: string; collector: string };
  close(): Promise<void>;
}

function hashed(name: string, ext: string, text: string): string {
  return `${name}.${createHash('sha256').update(text).digest('hex').slice(0, 10)}.${ext}`;
}

/** The handler of `/assets/*`: content-hashed scripts and styles, cacheable for good. */
function assetsHandler(assets: ReadonlyMap<string, MemoryAsset>): Handler {
  return (req, res) => {
    const asset = assets.get((req.url ?? '/').split('?')[0] ?? '');
    if (!asset) return false;
    sendMemoryAsset(req, res, asset, 'public, max-age=31536000, immutable');
    return true;
  };
}

/** Starts everything on one port (0 picks a free one) and resolves once it listens. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const composition = servicesComposition({
    ...options,
    port: options.port ?? 4173,
    flagsDir: resolveFlagsDir(options.flagsDir),
    dataDir: resolve(options.dataDir ?? '.data'),
  });
  // Before the (slow) build: a network bind without tokens is refused at once.
  checkExposure(composition);
  const tokensDir = resolve(options.tokensDir ?? join(projectRoot, 'dist/tokens'));
  const manifestPath = join(tokensDir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`no token build at ${manifestPath}: run \`npm run build:tokens\` first`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TokenManifest;
  const [demo, dashboard, boot] = await Promise.all([buildDemo(), buildDashboard(), loadBootModule()]);

  const assets = new Map<string, MemoryAsset>();
  for (const [name, text] of [...demo.app.scripts, ...dashboard.scripts]) {
    assets.set(`/assets/${name}`, memoryAsset('text/javascript; charset=utf-8', text));
  }
  const dashCssUrl = `/assets/${hashed('dashboard', 'css', dashboard.css)}`;
  assets.set(dashCssUrl, memoryAsset('text/css; charset=utf-8', dashboard.css));
  // The dashboard dogfoods v2: the core and every family's v2 sheet.
  const tokenSheets = manifest.files
    .filter((f) => f.version === 'v2')
    .sort((a, b) => Number(b.family === 'core') - Number(a.family === 'core'))
    .map((f) => ({ href: `/tokens/${f.file}`, integrity: f.integrity }));

  // The page needs the running server's host rules and ingest key: set once it listens.
  let demoPage: Handler = () => false;
  const mounts: Mount[] = [
    { name: 'demo page', handle: (req, res) => demoPage(req, res) },
    {
      name: 'dashboard page',
      handle: createDashboardHandler({
        scriptUrl: `/assets/${dashboard.entry}`,
        cssUrl: dashCssUrl,
        tokenSheets,
      }),
    },
    { name: 'assets', handle: assetsHandler(assets) },
    {
      name: 'tokens',
      // Hashed token files never change; the manifest may change with a rebuild.
      handle: createStaticFiles({
        root: tokensDir,
        prefix: '/tokens/',
        gzip: true,
        cacheControl: (file) =>
          file.endsWith('manifest.json') ? 'no-cache' : 'public, max-age=31536000, immutable',
      }),
    },
    {
      name: 'favicon',
      handle: (req, res) => {
        if ((req.url ?? '').split('?')[0] !== '/favicon.ico') return false;
        res.writeHead(204).end();
        return true;
      },
    },
  ];
  const server = await startToolsServer({ ...composition, mounts });
  demoPage = createDemoHandler({
    demo,
    boot,
    manifest,
    appUrl: `/assets/${demo.app.entry}`,
    access: server.access,
    fallbackOrigin: () => server.localUrl,
    ingestKey: server.collector?.ingestKey ?? null,
  });
  const origin = server.localUrl;
  return {
    urls: {
      demo: `${origin}/`,
      dashboard: `${origin}/dashboard/`,
      flags: `${origin}/admin/state`,
      collector: `${origin}/aggregates`,
    },
    close: () => server.close(),
  };
}

/** Parses `npm start -- ARGS` (and PORT); throws UsageError naming a bad option, HelpRequested for --help. */
export function parseStartArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): DevServerOptions {
  return servicesOptionsOf(parseCommand(START_COMMAND, argv, env));
}

/** Runs the dev server until Ctrl-C (SIGINT/SIGTERM), then closes it gracefully. For `npm start`. */
export async function runDevServer(argv: readonly string[]): Promise<number> {
  return withUsage(async () => {
    const options: DevServerOptions = parseStartArgs(argv);
    const server = await startDevServer(options);
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
    return 0;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runDevServer(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

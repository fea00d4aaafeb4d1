// Sizes: min+gzip of the SDK as an app imports it, the boot snippet, the React binding, the token CSS,
// and the same measure of peer flag SDKs and next-themes as installed from npm (one esbuild setup for all).
// The SDK is bundled with code splitting, as an app's bundler does: the eager part (what the page loads
// before the SDK runs) and monitoring's chunk (fetched after first paint) are measured apart.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import { build, transform } from 'esbuild';
import { rollup } from 'rollup';
import { tokenSizes } from '../scripts/sizes.js';
import type { TokenManifest } from '../tokens/manifest.js';
import type { BenchContext } from './run.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Minified bytes one source module contributes to a bundle, and its share of the gzip size. */
interface ModuleSize {
  module: string;
  bytes: number;
  /** `bytes` as a share of the gzip size of the file(s) it is in (gzip is not additive per module: an estimate). */
  gzipShare: number;
}

/** Groups a bundle's inputs by module: `src/<dir>` (or the file at the top of src), or the npm package. */
function moduleOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg?.[1]) return pkg[1];
  const src = /^src\/([^/]+)/.exec(input);
  return src?.[1] ? `src/${src[1]}` : input;
}

/** What a bundle or one part of a split bundle weighs: raw and gzip bytes, and bytes per module. */
interface Measured {
  bytes: number;
  gzipBytes: number;
  modules: ModuleSize[];
}

/** One output file of a build: its bytes, gzip bytes, per-module bytes, and the files it imports statically. */
interface OutputFile {
  bytes: number;
  gzipBytes: number;
  inputs: Map<string, number>;
  imports: string[];
}

/** Sums output files into one measure (each file is gzipped on its own, as it travels). */
function sumOf(files: readonly OutputFile[]): Measured {
  const perModule = new Map<string, { bytes: number; gzip: number }>();
  for (const file of files) {
    for (const [input, bytes] of file.inputs) {
      const name = moduleOf(input);
      const row = perModule.get(name) ?? { bytes: 0, gzip: 0 };
      row.bytes += bytes;
      row.gzip += (file.gzipBytes * bytes) / Math.max(1, file.bytes);
      perModule.set(name, row);
    }
  }
  const modules = [...perModule]
    .filter(([, row]) => row.bytes > 0)
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .map(([module, row]) => ({ module, bytes: row.bytes, gzipShare: Math.round(row.gzip) }));
  return {
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    gzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
    modules,
  };
}

/**
 * Bundles `code` as an app entry (minified, browser, ESM) with code splitting, as an app's bundler does
 * with a dynamic `import()`. Returns the whole (every file), the eager part (the entry and what it imports
 * statically: what the page loads before it runs) and the lazy part (chunks behind a dynamic import).
 */
async function measureSplit(
  code: string,
  external: string[] = [],
  splitting = true,
): Promise<{ all: Measured; eager: Measured; lazy: Measured }> {
  const out = await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    splitting,
    outdir: join(root, 'bench/.sizes-out'),
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    metafile: true,
  });
  const files = new Map<string, OutputFile>();
  let entry = '';
  for (const [path, output] of Object.entries(out.metafile.outputs)) {
    const text = out.outputFiles.find((f) => f.path.endsWith(path.replace(/^.*\.sizes-out/, '')))?.contents;
    const contents = text ?? new Uint8Array();
    files.set(path, {
      bytes: contents.byteLength,
      gzipBytes: gzipSync(contents, { level: 9 }).byteLength,
      inputs: new Map(
        Object.entries(output.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]),
      ),
      imports: output.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path),
    });
    if (output.entryPoint === 'entry.ts') entry = path; // a dynamic import's chunk is an entry point too
  }
  const eager = new Set<string>();
  const visit = (path: string) => {
    if (eager.has(path) || !files.has(path)) return;
    eager.add(path);
    for (const next of files.get(path)?.imports ?? []) visit(next);
  };
  visit(entry);
  const all = [...files.values()];
  return {
    all: sumOf(all),
    eager: sumOf([...eager].map((path) => files.get(path)!)),
    lazy: sumOf([...files].filter(([path]) => !eager.has(path)).map(([, file]) => file)),
  };
}

/**
 * The same split with rollup (what Vite builds for production), minified by esbuild like the rest: a
 * cross-check, since esbuild's splitting puts a module that the entry re-exports but only the lazy chunk
 * uses into the eager part (token-rollout's index re-exports evaluateBudgets, hashUserKey, …).
 */
async function measureWithRollup(
  code: string,
  external: string[],
): Promise<{ eager: number; total: number }> {
  const bundle = await rollup({
    input: 'entry',
    external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? '\0entry' : null),
        load: (id) => (id === '\0entry' ? code : null),
      },
      {
        name: 'ts-source',
        resolveId(id, importer) {
          // The sources import each other as `./x.js`: resolve to the `.ts` file.
          return importer && id.startsWith('.') && id.endsWith('.js')
            ? this.resolve(id.replace(/\.js$/, '.ts'), importer, { skipSelf: true })
            : null;
        },
        transform: async (source, id) =>
          id.endsWith('.ts') ? (await transform(source, { loader: 'ts', target: 'es2022' })).code : null,
      },
      nodeResolve({ extensions: ['.ts', '.js'], browser: true }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  let eager = 0;
  let total = 0;
  for (const chunk of output) {
    if (chunk.type !== 'chunk') continue;
    const minified = (await transform(chunk.code, { minify: true, target: 'es2022' })).code;
    const gzipBytes = gzipSync(minified, { level: 9 }).byteLength;
    total += gzipBytes;
    if (!chunk.isDynamicEntry) eager += gzipBytes;
  }
  return { eager, total };
}

/** Bundles `code` as one file (a dynamic import inlined): the SDK's weight as measured before the split, and the peers'. */
async function measure(code: string, external: string[] = []): Promise<Measured> {
  const { all } = await measureSplit(code, external, false);
  return all;
}

const LD = ['launchdarkly-js-client-sdk', '@launchdarkly/js-client-sdk'];

/** What a typical app imports: the rollout, monitoring (web-vitals included) and the LaunchDarkly wrapper. */
const SDK_ENTRY = `
import { createTokenRollout, monitoring } from './src/index.ts';
import { createLaunchDarklyFlagSource } from './src/launchdarkly/index.ts';
export { createTokenRollout, monitoring, createLaunchDarklyFlagSource };`;
/** The README's quick start: the typical import plus both reporters. */
const QUICK_START_ENTRY = `
import { createTokenRollout, monitoring, beaconReporter, launchDarklyReporter } from './src/index.ts';
import { createLaunchDarklyFlagSource } from './src/launchdarkly/index.ts';
export { createTokenRollout, monitoring, beaconReporter, launchDarklyReporter, createLaunchDarklyFlagSource };`;
/** An app that wants monitoring from the start: token-rollout/monitoring imported eagerly. */
const EAGER_MONITORING_ENTRY = `
import { createTokenRollout } from './src/index.ts';
import { monitoring, beaconReporter, launchDarklyReporter } from './src/monitoring/index.ts';
import { createLaunchDarklyFlagSource } from './src/launchdarkly/index.ts';
export { createTokenRollout, monitoring, beaconReporter, launchDarklyReporter, createLaunchDarklyFlagSource };`;
const REACT_ENTRY = `export { TokenRolloutProvider, useTokens } from './src/react/index.ts';`;

const PEERS: Record<string, string> = {
  'launchdarkly-js-client-sdk@3': `export { initialize } from 'launchdarkly-js-client-sdk';`,
  '@launchdarkly/js-client-sdk@4': `export { createClient } from '@launchdarkly/js-client-sdk';`,
  '@growthbook/growthbook': `export { GrowthBook } from '@growthbook/growthbook';`,
  'unleash-proxy-client': `export { UnleashClient } from 'unleash-proxy-client';`,
  '@openfeature/web-sdk': `export { OpenFeature } from '@openfeature/web-sdk';`,
  'next-themes': `export { ThemeProvider, useTheme } from 'next-themes';`,
};

/** A table row's sizes. */
const row = (m: Measured) => ({ bytes: m.bytes, gzip: m.gzipBytes });

export default async function sizes(ctx: BenchContext) {
  const manifestPath = join(root, 'dist/tokens/manifest.json');
  const bootPath = join(root, 'dist/boot.iife.js');
  if (!existsSync(manifestPath) || !existsSync(bootPath)) throw new Error('run `npm run build` first');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TokenManifest;
  const tokens = tokenSizes(manifest);
  const boot = readFileSync(bootPath);
  const sdk = await measure(SDK_ENTRY, LD);
  const split = await measureSplit(SDK_ENTRY, LD);
  const quickStart = await measureSplit(QUICK_START_ENTRY, LD);
  const eagerMonitoring = await measure(EAGER_MONITORING_ENTRY, LD);
  const withRollup = await measureWithRollup(SDK_ENTRY.replaceAll("'./src/", `'${root}src/`), LD);
  const react = await measure(REACT_ENTRY, ['react', 'react-dom', ...LD]);
  const peers: Record<string, Measured> = {};
  for (const [name, code] of Object.entries(PEERS)) peers[name] = await measure(code, ['react', 'react-dom']);
  const result = {
    /** The typical import as one file (monitoring's chunk inlined): comparable with figures before the split. */
    sdkBytes: sdk.bytes,
    sdkGzipBytes: sdk.gzipBytes,
    /** What the page loads before the SDK runs: the entry and its static imports (gzip per file, summed). */
    sdkEagerBytes: split.eager.bytes,
    sdkEagerGzipBytes: split.eager.gzipBytes,
    /** Eager + monitoring's chunk (fetched after first paint, started after the `load` event). */
    sdkTotalBytes: split.all.bytes,
    sdkTotalGzipBytes: split.all.gzipBytes,
    /** The README quick start's import (both reporters too), split the same way. */
    quickStartEagerGzipBytes: quickStart.eager.gzipBytes,
    quickStartTotalGzipBytes: quickStart.all.gzipBytes,
    /** The typical import with token-rollout/monitoring imported eagerly (one file: no chunk). */
    eagerMonitoringGzipBytes: eagerMonitoring.gzipBytes,
    /** The same split built by rollup (Vite's production bundler), for comparison. */
    rollupEagerGzipBytes: withRollup.eager,
    rollupTotalGzipBytes: withRollup.total,
    /** Minified bytes per module of the typical import (src/<dir> or npm package), its gzip share, and its part. */
    modules: [
      ...split.eager.modules.map((m) => ({ ...m, part: 'eager' as const })),
      ...split.lazy.modules.map((m) => ({ ...m, part: 'monitoring chunk' as const })),
    ],
    bootBytes: boot.byteLength,
    bootGzipBytes: gzipSync(boot, { level: 9 }).byteLength,
    reactGzipBytes: react.gzipBytes,
    ...tokens,
    peers,
    goals: {
      sdkEagerGzipBytes: 8192,
      sdkTotalGzipBytes: 14336,
      sdkGzipBytes: 8192,
      bootGzipBytes: 1024,
      v2TotalBytes: 27000,
    },
  };
  const ratio = (peer: Measured) =>
    `eager/peer ${(split.eager.gzipBytes / peer.gzipBytes).toFixed(2)}, total/peer ${(split.all.gzipBytes / peer.gzipBytes).toFixed(2)}`;
  ctx.table('SDK and snippet (min+gzip, esbuild)', [
    { what: 'token-rollout eager (typical import, LD SDK excluded)', ...row(split.eager), goal: '≤ 8192' },
    { what: 'token-rollout eager + monitoring chunk', ...row(split.all), goal: '≤ 14336' },
    { what: 'token-rollout typical import as one file', ...row(sdk), goal: '' },
    { what: 'quick start import (+ both reporters): eager', ...row(quickStart.eager), goal: '' },
    { what: 'quick start import: eager + monitoring chunk', ...row(quickStart.all), goal: '' },
    { what: 'with token-rollout/monitoring imported eagerly', ...row(eagerMonitoring), goal: '' },
    { what: 'typical import, rollup: eager', bytes: '', gzip: withRollup.eager, goal: '≤ 8192' },
    { what: 'typical import, rollup: eager + chunk', bytes: '', gzip: withRollup.total, goal: '≤ 14336' },
    { what: 'boot snippet (IIFE)', bytes: result.bootBytes, gzip: result.bootGzipBytes, goal: '≤ 1024' },
    { what: 'token-rollout/react', ...row(react), goal: '' },
    ...Object.entries(peers).map(([name, peer]) => ({
      what: `peer: ${name}`,
      ...row(peer),
      goal: ratio(peer),
    })),
  ]);
  ctx.table(
    'token-rollout typical import by module and part (minified bytes; gzip share is bytes × gzip/min of its file, an estimate)',
    result.modules.map((m) => ({
      part: m.part,
      module: m.module,
      bytes: m.bytes,
      'gzip share': m.gzipShare,
    })),
  );
  ctx.table('Token CSS', [
    { what: 'v1 monolith', bytes: tokens.v1TotalBytes, gzip: tokens.v1TotalGzipBytes },
    { what: 'v2 whole site (core + 8 families)', bytes: tokens.v2TotalBytes, gzip: tokens.v2TotalGzipBytes },
    {
      what: 'v2 two-family page (core + buttons + cards)',
      bytes: tokens.twoFamilyBytes,
      gzip: tokens.twoFamilyGzipBytes,
    },
  ]);
  return result;
}

// Sizes: min+gzip of the SDK as an app imports it, the boot snippet, the React binding, the token CSS,
// and the same measure of peer flag SDKs and next-themes as installed from npm (one esbuild setup for all).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { tokenSizes } from '../scripts/sizes.js';
import type { TokenManifest } from '../tokens/manifest.js';
import type { BenchContext } from './run.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Minified bytes one source module contributes to a bundle, and its share of the gzip size. */
interface ModuleSize {
  module: string;
  bytes: number;
  /** `bytes` as a share of the bundle's gzip size (gzip is not additive per module: an estimate). */
  gzipShare: number;
}

/** Groups a bundle's inputs by module: `src/<dir>` (or the file at the top of src), or the npm package. */
function moduleOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg?.[1]) return pkg[1];
  const src = /^src\/([^/]+)/.exec(input);
  return src?.[1] ? `src/${src[1]}` : input;
}

/** Bundles `code` as an app entry (minified, browser, ESM) and returns raw and gzip bytes, and bytes per module. */
async function measure(
  code: string,
  external: string[] = [],
): Promise<{ bytes: number; gzipBytes: number; modules: ModuleSize[] }> {
  const out = await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    metafile: true,
  });
  const text = out.outputFiles[0]?.contents ?? new Uint8Array();
  const gzipBytes = gzipSync(text, { level: 9 }).byteLength;
  const perModule = new Map<string, number>();
  for (const output of Object.values(out.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = moduleOf(input);
      perModule.set(name, (perModule.get(name) ?? 0) + bytesInOutput);
    }
  }
  const modules = [...perModule]
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([module, bytes]) => ({
      module,
      bytes,
      gzipShare: Math.round((gzipBytes * bytes) / Math.max(1, text.byteLength)),
    }));
  return { bytes: text.byteLength, gzipBytes, modules };
}

const LD = ['launchdarkly-js-client-sdk', '@launchdarkly/js-client-sdk'];

/** What a typical app imports: the rollout, monitoring (web-vitals included) and the LaunchDarkly wrapper. */
const SDK_ENTRY = `
import { createTokenRollout, monitoring } from './src/index.ts';
import { createLaunchDarklyFlagSource } from './src/launchdarkly/index.ts';
export { createTokenRollout, monitoring, createLaunchDarklyFlagSource };`;
const REACT_ENTRY = `export { TokenRolloutProvider, useTokens } from './src/react/index.ts';`;

const PEERS: Record<string, string> = {
  'launchdarkly-js-client-sdk@3': `export { initialize } from 'launchdarkly-js-client-sdk';`,
  '@launchdarkly/js-client-sdk@4': `export { createClient } from '@launchdarkly/js-client-sdk';`,
  '@growthbook/growthbook': `export { GrowthBook } from '@growthbook/growthbook';`,
  'unleash-proxy-client': `export { UnleashClient } from 'unleash-proxy-client';`,
  '@openfeature/web-sdk': `export { OpenFeature } from '@openfeature/web-sdk';`,
  'next-themes': `export { ThemeProvider, useTheme } from 'next-themes';`,
};

export default async function sizes(ctx: BenchContext) {
  const manifestPath = join(root, 'dist/tokens/manifest.json');
  const bootPath = join(root, 'dist/boot.iife.js');
  if (!existsSync(manifestPath) || !existsSync(bootPath)) throw new Error('run `npm run build` first');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TokenManifest;
  const tokens = tokenSizes(manifest);
  const boot = readFileSync(bootPath);
  const sdk = await measure(SDK_ENTRY, LD);
  const react = await measure(REACT_ENTRY, ['react', 'react-dom', ...LD]);
  const peers: Record<string, { bytes: number; gzipBytes: number }> = {};
  for (const [name, code] of Object.entries(PEERS)) peers[name] = await measure(code, ['react', 'react-dom']);
  const result = {
    sdkBytes: sdk.bytes,
    sdkGzipBytes: sdk.gzipBytes,
    /** Minified bytes per module of the typical import (src/<dir> or npm package), with its gzip share. */
    modules: sdk.modules,
    bootBytes: boot.byteLength,
    bootGzipBytes: gzipSync(boot, { level: 9 }).byteLength,
    reactGzipBytes: react.gzipBytes,
    ...tokens,
    peers,
    goals: { sdkGzipBytes: 8192, bootGzipBytes: 1024, v2TotalBytes: 27000 },
  };
  ctx.table('SDK and snippet (min+gzip, esbuild)', [
    {
      what: 'token-rollout (typical import, LD SDK excluded)',
      bytes: sdk.bytes,
      gzip: sdk.gzipBytes,
      goal: '≤ 8192',
    },
    { what: 'boot snippet (IIFE)', bytes: result.bootBytes, gzip: result.bootGzipBytes, goal: '≤ 1024' },
    { what: 'token-rollout/react', bytes: react.bytes, gzip: react.gzipBytes, goal: '' },
    ...Object.entries(peers).map(([name, s]) => ({
      what: `peer: ${name}`,
      bytes: s.bytes,
      gzip: s.gzipBytes,
      goal: `ratio ours/peer ${(sdk.gzipBytes / s.gzipBytes).toFixed(2)}`,
    })),
  ]);
  ctx.table(
    'token-rollout typical import by module (minified bytes; gzip share is bytes × gzip/min, an estimate)',
    sdk.modules.map((m) => ({ module: m.module, bytes: m.bytes, 'gzip share': m.gzipShare })),
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

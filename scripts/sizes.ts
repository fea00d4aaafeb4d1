// `npm run sizes`: the token CSS sizes from dist/tokens/manifest.json (raw and gzip): the v1 monolith,
// v2 core and each family, v2 in all, a two-family page (core + buttons + cards), and v2/v1.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManifestFile, TokenManifest } from '../tokens/manifest.js';

/** The sizes the README and the benchmarks quote, in bytes. */
export interface TokenSizes {
  v1TotalBytes: number;
  v1TotalGzipBytes: number;
  v2TotalBytes: number;
  v2TotalGzipBytes: number;
  twoFamilyBytes: number;
  twoFamilyGzipBytes: number;
  /** v2 total / v1 total, raw. */
  ratio: number;
  /** v2 files, core first: family, raw and gzip bytes. */
  v2Files: { family: string; bytes: number; gzipBytes: number }[];
}

const sum = (files: readonly ManifestFile[], key: 'bytes' | 'gzipBytes') =>
  files.reduce((n, f) => n + f[key], 0);

/** Sizes from a token manifest; throws naming what the manifest lacks. */
export function tokenSizes(manifest: TokenManifest): TokenSizes {
  const v1 = manifest.files.filter((f) => f.version === 'v1');
  const v2 = manifest.files.filter((f) => f.version === 'v2');
  if (v1.length === 0) throw new Error('manifest.json: no v1 file (files[].version "v1")');
  if (!v2.some((f) => f.family === 'core'))
    throw new Error('manifest.json: no v2 core file (files[].family "core")');
  const two = v2.filter((f) => ['core', 'buttons', 'cards'].includes(f.family));
  if (two.length !== 3)
    throw new Error('manifest.json: the v2 buttons and cards files are required for the two-family page');
  const v2TotalBytes = sum(v2, 'bytes');
  const v1TotalBytes = sum(v1, 'bytes');
  return {
    v1TotalBytes,
    v1TotalGzipBytes: sum(v1, 'gzipBytes'),
    v2TotalBytes,
    v2TotalGzipBytes: sum(v2, 'gzipBytes'),
    twoFamilyBytes: sum(two, 'bytes'),
    twoFamilyGzipBytes: sum(two, 'gzipBytes'),
    ratio: v2TotalBytes / v1TotalBytes,
    v2Files: [...v2]
      .sort((a, b) => (a.family === 'core' ? -1 : b.family === 'core' ? 1 : 0))
      .map(({ family, bytes, gzipBytes }) => ({ family, bytes, gzipBytes })),
  };
}

/** The printed table: one row per line, bytes right-aligned. */
export function formatSizes(sizes: TokenSizes, tokenCount: number): string {
  const rows: [string, number, number][] = [
    ['v1 monolith (all families, all themes)', sizes.v1TotalBytes, sizes.v1TotalGzipBytes],
    ...sizes.v2Files.map((f): [string, number, number] => [`v2 ${f.family}`, f.bytes, f.gzipBytes]),
    ['v2 total (core + 8 families)', sizes.v2TotalBytes, sizes.v2TotalGzipBytes],
    ['v2 two-family page (core + buttons + cards)', sizes.twoFamilyBytes, sizes.twoFamilyGzipBytes],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const line = (what: string, raw: string, gzip: string) =>
    `${what.padEnd(width)}  ${raw.padStart(9)}  ${gzip.padStart(9)}`;
  return [
    line('token CSS', 'raw B', 'gzip B'),
    ...rows.map(([what, raw, gzip]) => line(what, String(raw), String(gzip))),
    `v2/v1: ${(sizes.ratio * 100).toFixed(1)} % raw, ${((sizes.v2TotalGzipBytes / sizes.v1TotalGzipBytes) * 100).toFixed(1)} % gzip; ${tokenCount} tokens`,
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = fileURLToPath(new URL('../dist/tokens/manifest.json', import.meta.url));
  let manifest: TokenManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as TokenManifest;
  } catch (error) {
    console.error(
      `cannot read ${path} (${error instanceof Error ? error.message : String(error)}); run \`npm run build:tokens\` first`,
    );
    process.exit(1);
  }
  console.log(formatSizes(tokenSizes(manifest), manifest.tokens.count));
}

// `npm run build:tokens`: DTCG sources -> dist/tokens (v1 monolith, v2 core + families, manifest.json,
// tokens.json). Fails (exit 1) on a source error or
// when v2 is over the rollback budget; warns over the target.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAMILIES } from '../src/families.js';
import { type BudgetVerdict, checkBudget, type SizeBudget } from './budget.js';
import { renderV1 } from './css-v1.js';
import { renderV2 } from './css-v2.js';
import { manifestEntry } from './emit.js';
import { loadTokens } from './load.js';
import type { ManifestFile, TokenManifest } from './manifest.js';
import { type BuiltToken, THEMES } from './model.js';

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Where the build reads and writes; defaults are the project's tokens/ and dist/tokens/. */
export interface BuildOptions {
  sourceDir?: string;
  outDir?: string;
  budget?: SizeBudget;
}

/** What a build produced: the manifest written, the budget verdict and the tokens. */
export interface BuildResult {
  manifest: TokenManifest;
  budget: BudgetVerdict;
  tokens: BuiltToken[];
  outDir: string;
}

/** The v2 total is over the rollback budget: nothing was written. */
export class TokenBudgetError extends Error {
  override name = 'TokenBudgetError';
}

/** Writes via a temporary file and rename, so a concurrent reader never sees half a file. */
function writeAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** The flat token list written next to the manifest (name, family, layer, resolved value per theme). */
export function tokensJson(tokens: readonly BuiltToken[]): string {
  const list = tokens.map((t) => ({
    name: `--${t.name}`,
    path: t.path,
    family: t.family,
    layer: t.layer,
    values: Object.fromEntries(THEMES.map((theme) => [theme, t.values[theme].resolved])),
  }));
  return `${JSON.stringify({ schema: 1, themes: THEMES, tokens: list }, null, 2)}\n`;
}

/** Builds every token file; throws TokenSourceError / TokenBudgetError before writing anything. */
export async function buildTokens(options: BuildOptions = {}): Promise<BuildResult> {
  const sourceDir = resolve(options.sourceDir ?? join(projectRoot, 'tokens'));
  const outDir = resolve(options.outDir ?? join(projectRoot, 'dist/tokens'));
  const tokens = await loadTokens(sourceDir, projectRoot);

  const outputs: { entry: ManifestFile; content: string }[] = [];
  for (const family of ['core', ...FAMILIES] as const) {
    const content = renderV2(tokens, family);
    outputs.push({ entry: manifestEntry(family, 'v2', family, content), content });
  }
  const v1 = renderV1(tokens);
  outputs.push({ entry: manifestEntry('all', 'v1', 'all', v1), content: v1 });

  const v2Sizes = Object.fromEntries(
    outputs.filter((o) => o.entry.version === 'v2').map((o) => [o.entry.file, o.entry.bytes]),
  );
  const budget = checkBudget(v2Sizes, options.budget);
  if (budget.status === 'error') throw new TokenBudgetError(budget.message);

  for (const { entry, content } of outputs) writeAtomic(join(outDir, entry.file), content);
  const manifest: TokenManifest = {
    schema: 1,
    themes: THEMES,
    files: outputs.map((o) => o.entry),
    tokens: { count: tokens.length },
  };
  writeAtomic(join(outDir, 'tokens.json'), tokensJson(tokens));
  writeAtomic(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  removeStale(outDir, new Set(manifest.files.map((f) => f.file)));
  return { manifest, budget, tokens, outDir };
}

/** Deletes hashed CSS files of earlier builds that the new manifest no longer lists. */
function removeStale(outDir: string, keep: ReadonlySet<string>): void {
  for (const version of ['v1', 'v2']) {
    const dir = join(outDir, version);
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.css') && !keep.has(`${version}/${name}`)) rmSync(join(dir, name), { force: true });
    }
  }
}

function mtime(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(json|ts)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, mtime(path));
  }
  return newest;
}

/** True when dist/tokens is missing or older than any token source or build script. */
export function isBuildStale(
  sourceDir = join(projectRoot, 'tokens'),
  outDir = join(projectRoot, 'dist/tokens'),
) {
  const built = mtime(join(outDir, 'manifest.json'));
  return built === 0 || newestSource(sourceDir) > built;
}

/** Builds the tokens when the output is missing or stale (for tests that read dist/tokens). */
export async function ensureTokensBuilt(): Promise<void> {
  if (isBuildStale()) await buildTokens();
}

/** CLI: `tsx tokens/build.ts [--source dir] [--out dir]`. */
async function main(argv: string[]): Promise<void> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { source: { type: 'string' }, out: { type: 'string' } },
    });
    const { manifest, budget, outDir } = await buildTokens({ sourceDir: values.source, outDir: values.out });
    const v1 = manifest.files.find((f) => f.version === 'v1');
    console.log(
      `tokens: ${manifest.tokens.count} tokens -> ${outDir} (${manifest.files.length} files; v1 ${v1?.bytes ?? 0} B)`,
    );
    const line = `tokens: ${budget.message}`;
    if (budget.status === 'warn') console.warn(`warning: ${line}`);
    else console.log(line);
  } catch (error) {
    console.error(`token build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv.slice(2));

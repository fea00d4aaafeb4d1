// `npm run bench [-- name …]`: runs bench/<name>.bench.ts (all of them when no name is given), prints
// each benchmark's table and writes its result to bench/results/<name>.json.
// A benchmark file default-exports `async (ctx) => result`, where result is a plain JSON object.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchContext {
  /** Extra command-line arguments after the benchmark names (e.g. `--quick`). */
  args: readonly string[];
  /** Prints a table of rows (objects) with a title. */
  table(title: string, rows: Record<string, unknown>[]): void;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(dir, 'results');

const argv = process.argv.slice(2);
const names = argv.filter((a) => !a.startsWith('--'));
const flags = argv.filter((a) => a.startsWith('--'));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
const selected = names.length > 0 ? names : available;
const machine = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
};
mkdirSync(resultsDir, { recursive: true });
const ctx: BenchContext = {
  args: flags,
  table(title, rows) {
    console.log(`\n${title}`);
    console.table(rows);
  },
};
let failed = 0;
for (const name of selected) {
  console.log(`\n=== bench: ${name}`);
  try {
    const mod = (await import(pathToFileURL(join(dir, `${name}.bench.ts`)).href)) as {
      default: (c: BenchContext) => Promise<Record<string, unknown>>;
    };
    const result = await mod.default(ctx);
    writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify({ ...result, machine }, null, 2)}\n`);
    console.log(`wrote bench/results/${name}.json`);
  } catch (error) {
    failed++;
    console.error(`bench ${name} failed:`, error);
  }
}
process.exit(failed > 0 ? 1 : 0);

// Builds the quick-start example from the README: extracts its blocks (extract.ts), checks the app under
// strict TypeScript (tsconfig.json: `tsc --noEmit`), and bundles it with esbuild: dist/app.js for the
// browser, dist/server.mjs for Node. The packages resolve as an app's would: `token-rollout` and its
// entries from the package's exports (its dist/, so `npm run build` first), never from the SDK's source.
//
//   npm run build && npx tsx examples/quick-start/build.ts && node examples/quick-start/dist/server.mjs
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, formatMessages } from 'esbuild';
import { HERE, writeQuickStart } from './extract.js';

const run = promisify(execFile);
const DIST = join(HERE, 'dist');

/** `tsc --noEmit -p examples/quick-start`: resolves with tsc's report, rejects with it when it fails. */
export async function typecheck(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '--noEmit', '-p', join(HERE, 'tsconfig.json')], { cwd: HERE });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(
      `the quick start does not compile (tsc -p examples/quick-start):\n${e.stdout}${e.stderr}`,
    );
  }
}

/** Extracts, type-checks and bundles; returns the README's blocks by name. */
export async function buildQuickStart(): Promise<Map<string, string>> {
  const blocks = writeQuickStart();
  await typecheck();
  // An app's own build: no tsconfig paths, so the packages come from node_modules, as installed.
  // A warning an app team would see in its own build (e.g. esbuild's "Ignoring this import") fails it.
  const common = { bundle: true, write: true, logLevel: 'silent', tsconfigRaw: {} } as const;
  const app = await build({
    ...common,
    entryPoints: [join(HERE, 'app.ts')],
    outfile: join(DIST, 'app.js'),
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const server = await build({
    ...common,
    entryPoints: [join(HERE, 'server.ts')],
    outfile: join(DIST, 'server.mjs'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
  });
  const warnings = await formatMessages([...app.warnings, ...server.warnings], { kind: 'warning' });
  if (warnings.length > 0) throw new Error(`the quick start bundles with warnings:\n${warnings.join('')}`);
  return blocks;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildQuickStart();
  console.log(`built ${DIST}: app.js, server.mjs (node examples/quick-start/dist/server.mjs)`);
}

// The two packages as npm publishes them (`npm pack`), installed in a folder outside the repo, as an app
// team's first day does: everything the quick start needs must be in the tarballs (`files`, `exports`,
// the bin, the token files, the store's SQL), not just in this workspace. quick-start.spec.ts runs the
// same quick start inside the workspace, where a file missing from `files` would go unnoticed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import {
  BLOCKS,
  extractBlocks,
  moduleOf,
  HERE as QUICK_START,
  README,
} from '../examples/quick-start/extract.js';
import { type Serve, startServe } from './support/serve.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The version of `name` this workspace has installed: the app installs the same (from npm's cache). */
const installed = (name: string) =>
  `${name}@${(JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version}`;

let dir = '';
let serve: Serve | undefined;

test.afterAll(async () => {
  await serve?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs npm in `cwd`; on failure, throws with npm's own output. */
async function npm(args: string[], cwd: string): Promise<string> {
  try {
    return (await run(NPM, args, { cwd, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${e.stdout}${e.stderr}`);
  }
}

test('the packed packages work outside the repo: init, serve on DuckDB, the quick start compiles and bundles', async () => {
  test.setTimeout(300_000);
  dir = mkdtempSync(join(tmpdir(), 'token-rollout-packed-'));
  const packs = join(dir, 'packs');
  const app = join(dir, 'app');
  await mkdir(packs);
  await mkdir(app);
  // npm pack prints each tarball's file name last.
  const sdkPack = (await npm(['pack', '--pack-destination', packs], ROOT)).trim().split('\n').at(-1) ?? '';
  const toolsPack =
    (await npm(['pack', '-w', 'token-rollout-tools', '--pack-destination', packs], ROOT))
      .trim()
      .split('\n')
      .at(-1) ?? '';
  expect(readdirSync(packs).sort()).toEqual([sdkPack, toolsPack].sort());

  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'first-day-app', private: true, type: 'module' }),
  );
  await npm(
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      join(packs, sdkPack),
      join(packs, toolsPack),
      installed('@launchdarkly/js-client-sdk'),
      installed('react'),
      installed('react-dom'),
      installed('typescript'),
      installed('@types/node'),
      installed('@types/react'),
      installed('@types/react-dom'),
    ],
    app,
  );
  // The app resolves the packages it installed, never this workspace's.
  expect(existsSync(join(app, 'node_modules/token-rollout/dist/tokens/manifest.json'))).toBe(true);

  // init: the plan's flags, and the boot snippet's tag for the installed manifest.
  const cli = join(app, 'node_modules/token-rollout-tools/dist/cli.js');
  const { stdout } = await run(process.execPath, [cli, 'init', '--families', 'buttons,cards'], { cwd: app });
  expect(readdirSync(join(app, 'flags'))).toContain('design-tokens-v2.json');
  const initTag = stdout.split('\n').find((line) => line.startsWith('<script')) ?? '';
  expect(initTag).toContain('data-v1-href="/tokens/v1/');

  // serve: flags and the collector, events in DuckDB under the app's folder (the store's SQL ships).
  serve = await startServe(cli, ['--flags', 'flags', '--port', '0'], app);
  const { url } = serve;
  const health = (await (await fetch(`${url}/health`)).json()) as {
    ok: boolean;
    engine: string;
    location: string;
  };
  expect(health).toMatchObject({ ok: true, engine: 'duckdb' });
  expect(health.location.startsWith(app)).toBe(true);
  expect((await fetch(`${url}/api/gate`)).status).toBe(200);

  // The README's quick start, as modules in the app, type-checked with the example's strict settings.
  const readme = join(app, 'src/readme');
  await mkdir(readme, { recursive: true });
  for (const [name, block] of extractBlocks(readFileSync(README, 'utf8'))) {
    const wrap = BLOCKS[name];
    if (wrap) writeFileSync(join(readme, name), moduleOf(name, block, wrap));
  }
  writeFileSync(join(app, 'glue.ts'), readFileSync(join(QUICK_START, 'glue.ts'), 'utf8'));
  const tsconfig = JSON.parse(readFileSync(join(QUICK_START, 'tsconfig.json'), 'utf8')) as {
    include: string[];
  };
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ ...tsconfig, include: ['glue.ts', 'src/readme'] }),
  );
  await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: app,
  }).catch((error: { stdout?: string }) => {
    throw new Error(`the quick start does not compile against the packed packages:\n${error.stdout}`);
  });

  // An app's bundle of it: monitoring's measuring part comes out as its own chunk, with no warning.
  const browser = await build({
    entryPoints: [join(readme, 'theme-toggle.tsx')],
    absWorkingDir: app,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    outdir: join(app, 'out'),
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    metafile: true,
  });
  expect(browser.warnings).toEqual([]);
  const inputs = Object.values(browser.metafile.outputs).map((o) => Object.keys(o.inputs));
  const chunk = inputs.find((files) => files.some((f) => /token-rollout\/dist\/.*run-/.test(f)));
  expect(chunk, 'monitoring chunk').toBeDefined();
  expect(inputs.every((files) => files.every((f) => !f.startsWith('..') || f.includes('node_modules')))).toBe(
    true,
  );

  // The boot block, run on Node from the app: it renders the same tag init printed.
  await build({
    entryPoints: [join(readme, 'boot.ts')],
    absWorkingDir: app,
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: join(app, 'out/boot.mjs'),
    logLevel: 'silent',
  });
  const boot = (await import(pathToFileURL(join(app, 'out/boot.mjs')).href)) as {
    bootHead(nonce: string): string;
  };
  expect(boot.bootHead('')).toBe(initTag);
});

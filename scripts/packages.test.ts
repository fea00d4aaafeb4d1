// The packages as an app team gets them: both tarballs packed from the build, installed into fresh apps
// outside the repo. A browser app that installs the SDK gets the SDK and web-vitals and nothing else; an
// app that adds the tools as a dev dependency can run `npx token-rollout` from its own folder.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
let work = '';
let sdkTarball = '';
let toolsTarball = '';

/** Runs npm in `cwd` (quietly; the npm cache that `npm ci` filled serves the registry packages). */
async function npm(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    env: { ...process.env, npm_config_loglevel: 'error' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function freshApp(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packages-'));
  await npm(ROOT, 'pack', '--pack-destination', work);
  await npm(join(ROOT, 'packages/tools'), 'pack', '--pack-destination', work);
  const files = await readdir(work);
  sdkTarball = join(work, files.find((f) => /^token-rollout-\d/.test(f)) ?? '');
  toolsTarball = join(work, files.find((f) => f.startsWith('token-rollout-tools-')) ?? '');
}, 120_000);

afterAll(() => rm(work, { recursive: true, force: true }));

describe('packages by audience', () => {
  it('a browser app that installs the SDK gets token-rollout and web-vitals, nothing else', async () => {
    const app = await freshApp('browser-app');
    await npm(app, 'install', sdkTarball);
    const tree = await npm(app, 'ls', '--omit=dev', '--all', '--parseable');
    const names = tree
      .trim()
      .split('\n')
      .slice(1) // the app itself
      .map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
      .sort();
    expect(names).toEqual(['token-rollout', 'web-vitals']);
  }, 120_000);

  it('the tools run with npx from an app that has them as a dev dependency, outside the repo', async () => {
    const app = await freshApp('tools-app');
    await npm(app, 'install', sdkTarball);
    await npm(app, 'install', '--save-dev', toolsTarball);
    const help = await run('npx', ['--no-install', 'token-rollout', '--help'], { cwd: app });
    expect(help.stdout).toContain('usage: token-rollout');
    // The shipped flag definitions (the plan's four weeks) validate with the app's own SDK core.
    const flags = join(app, 'node_modules/token-rollout-tools/flags/design-tokens-v2.json');
    const { readFile } = await import('node:fs/promises');
    const definition = JSON.parse(await readFile(flags, 'utf8')) as { variations: unknown[] };
    await writeFile(join(app, 'config.json'), JSON.stringify(definition.variations[1]));
    const validate = await run('npx', ['--no-install', 'token-rollout', 'validate', 'config.json'], {
      cwd: app,
    });
    expect(validate.stdout).toContain('config.json: ok');
  }, 180_000);
});

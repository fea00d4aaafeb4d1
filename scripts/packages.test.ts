// The packages as an app team gets them: both tarballs packed from the build, installed into fresh apps
// outside the repo. A browser app that installs the SDK gets the SDK and web-vitals and nothing else; an
// app that adds the tools as a dev dependency can run `npx token-rollout` from its own folder (`init`
// included); the SDK's README links only to documents its tarball holds, so they are there offline.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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
    // The README's quick start imports the token manifest through the package's exports.
    const manifest = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import m from 'token-rollout/tokens/manifest.json' with { type: 'json' }; console.log(m.files.filter((f) => f.version === 'v1').length);",
      ],
      { cwd: app },
    );
    expect(manifest.stdout.trim()).toBe('1');
  }, 120_000);

  it('the tools run with npx from an app that has them as a dev dependency, outside the repo', async () => {
    const app = await freshApp('tools-app');
    await npm(app, 'install', sdkTarball);
    await npm(app, 'install', '--save-dev', toolsTarball);
    const help = await run('npx', ['--no-install', 'token-rollout', '--help'], { cwd: app });
    expect(help.stdout).toContain('usage: token-rollout');
    // The shipped flag definitions (the plan's four weeks) validate with the app's own SDK core.
    const flags = join(app, 'node_modules/token-rollout-tools/flags/design-tokens-v2.json');
    const definition = JSON.parse(await readFile(flags, 'utf8')) as { variations: unknown[] };
    await writeFile(join(app, 'config.json'), JSON.stringify(definition.variations[1]));
    const validate = await run('npx', ['--no-install', 'token-rollout', 'validate', 'config.json'], {
      cwd: app,
    });
    expect(validate.stdout).toContain('config.json: ok');
  }, 180_000);

  it('npx token-rollout init sets the app up from its installed SDK, and never overwrites', async () => {
    const app = await freshApp('init-app');
    await npm(app, 'install', sdkTarball);
    await npm(app, 'install', '--save-dev', toolsTarball);
    const init = await run('npx', ['--no-install', 'token-rollout', 'init', '--families', 'buttons,cards'], {
      cwd: app,
    });
    // The plan's flag definitions, as the tools ship them; the boot snippet for the app's own manifest.
    const shipped = join(app, 'node_modules/token-rollout-tools/flags');
    expect((await readdir(join(app, 'flags'))).sort()).toEqual((await readdir(shipped)).sort());
    const manifest = JSON.parse(
      await readFile(join(app, 'node_modules/token-rollout/dist/tokens/manifest.json'), 'utf8'),
    ) as { files: { version: string; file: string; integrity: string }[] };
    const v1 = manifest.files.find((f) => f.version === 'v1');
    expect(init.stdout).toContain(`data-v1-href="/tokens/${v1?.file}"`);
    expect(init.stdout).toContain(`data-v1-integrity="${v1?.integrity}"`);
    expect(init.stdout).toContain('npx token-rollout serve --flags flags');
    const again = await run('npx', ['--no-install', 'token-rollout', 'init'], { cwd: app }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('flags/design-tokens-v2.json already exists');
  }, 180_000);
});

describe('documentation in the packages', () => {
  it("every relative link of the SDK's packed README resolves to a file in its tarball", async () => {
    const unpacked = join(work, 'sdk-unpacked');
    await mkdir(unpacked);
    await run('tar', ['-xzf', sdkTarball, '-C', unpacked]);
    const root = join(unpacked, 'package');
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    // Links, not images: the screenshots stay out of the package (npm's site shows them from the
    // repository); fenced code is not markdown.
    const prose = readme.replace(/^```[\s\S]*?^```/gm, '');
    const targets = [...prose.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)]
      .map((m) => (m[1] ?? '').split('#')[0] ?? '')
      .filter((target) => target !== '' && !/^[a-z][a-z+.-]*:/i.test(target));
    // The READMEs the issue found missing, and the runbook, are among them.
    expect(targets).toEqual(
      expect.arrayContaining([
        'src/config/README.md',
        'packages/tools/src/gate/README.md',
        'docs/runbook.md',
      ]),
    );
    const missing = targets.filter((target) => {
      const path = resolve(dirname(join(root, 'README.md')), decodeURI(target));
      return relative(root, path).startsWith('..') || !existsSync(path);
    });
    expect(missing).toEqual([]);
  }, 60_000);
});

// `token-rollout init` in-process: it writes the plan's flags into a fresh app, refuses to overwrite them
// (unless --force), names the manifest when it cannot use it (writing nothing), and prints a boot snippet
// built from the manifest's v1 file and integrity. `token-rollout/boot` is the built SDK (`npm run build`),
// as for the installed command.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { defaultFlagsDir } from '../default-flags.js';
import { initCli } from './command.js';

const dirs = tempDirs('init-');
afterAll(() => dirs.removeAll());

const V1 = {
  family: 'all',
  version: 'v1',
  file: 'v1/all.0123abcd.css',
  bytes: 100,
  gzipBytes: 50,
  integrity: 'sha384-AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHHIIIIJJJJKKKKLLLLMMMMNNNNOOOOPPPP',
};

/** A fresh app folder with a token manifest at `manifest.json`. */
function app(manifest: unknown = { schema: 1, themes: ['light', 'dark'], files: [V1] }): string {
  const dir = dirs.make();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

async function init(cwd: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await initCli(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const shipped = () => readdirSync(defaultFlagsDir()).filter((f) => f.endsWith('.json'));
const read = (path: string) => readFileSync(path, 'utf8');

describe('token-rollout init', () => {
  it('writes the flag definitions serve uses by default into a fresh DIR/flags/', async () => {
    const cwd = app();
    const { code, stdout, stderr } = await init(cwd, '--dir', 'web', '--manifest', 'manifest.json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const written = readdirSync(join(cwd, 'web/flags')).sort();
    expect(written).toEqual(shipped().sort());
    expect(written).toContain('design-tokens-v2.json');
    for (const name of written) {
      expect(read(join(cwd, 'web/flags', name)), name).toBe(read(join(defaultFlagsDir(), name)));
    }
    expect(stdout).toContain('wrote web/flags/design-tokens-v2.json');
    expect(stdout).toContain('npx token-rollout serve --flags web/flags');
  });

  it('prints the boot snippet with the v1 href and integrity from the manifest', async () => {
    const cwd = app();
    const { code, stdout } = await init(cwd, '--manifest', 'manifest.json', '--families', 'buttons,cards');
    expect(code).toBe(0);
    const tag = stdout.split('\n').find((line) => line.startsWith('<script'));
    expect(tag).toBeDefined();
    expect(tag).toContain(`data-v1-href="/tokens/${V1.file}"`);
    expect(tag).toContain(`data-v1-integrity="${V1.integrity}"`);
    expect(tag).toContain('data-families="buttons,cards"');
    expect(tag).toMatch(/<\/script>$/);
    expect(stdout).toContain(`v1Integrity: '${V1.integrity}'`);
    expect(stdout).toMatch(/script-src 'sha256-[A-Za-z0-9+/]{43}='/);
    // Another base for the token files, and every family when none is named.
    const other = await init(app(), '--manifest', 'manifest.json', '--token-base', 'https://cdn.example/t');
    expect(other.stdout).toContain(`data-v1-href="https://cdn.example/t/${V1.file}"`);
    expect(other.stdout).not.toContain('data-families');
  });

  it('refuses to overwrite an existing flag file, names it and writes nothing; --force replaces', async () => {
    const cwd = app();
    mkdirSync(join(cwd, 'flags'));
    writeFileSync(join(cwd, 'flags/design-tokens-v2.json'), '{"mine": true}');
    const refused = await init(cwd, '--manifest', 'manifest.json');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('flags/design-tokens-v2.json already exists');
    expect(refused.stderr).toContain('--force');
    expect(refused.stdout).toBe('');
    expect(read(join(cwd, 'flags/design-tokens-v2.json'))).toBe('{"mine": true}');
    expect(readdirSync(join(cwd, 'flags'))).toEqual(['design-tokens-v2.json']);

    const forced = await init(cwd, '--manifest', 'manifest.json', '--force');
    expect(forced.code).toBe(0);
    expect(read(join(cwd, 'flags/design-tokens-v2.json'))).toBe(
      read(join(defaultFlagsDir(), 'design-tokens-v2.json')),
    );
  });

  it('a manifest it cannot use gives an error naming the file, and nothing is written', async () => {
    const cwd = app();
    writeFileSync(join(cwd, 'broken.json'), '{"files": [');
    writeFileSync(join(cwd, 'other.json'), JSON.stringify({ files: [{ ...V1, version: 'v2' }] }));
    for (const [file, says] of [
      ['missing/manifest.json', 'cannot read the manifest missing/manifest.json: no such file'],
      ['broken.json', 'the manifest broken.json is not JSON'],
      ['other.json', 'the manifest other.json lists no v1 file'],
    ] as const) {
      const { code, stdout, stderr } = await init(cwd, '--manifest', file);
      expect(code, file).toBe(1);
      expect(stderr, file).toContain(says);
      expect(stdout, file).toBe('');
      expect(existsSync(join(cwd, 'flags')), file).toBe(false);
    }
  });

  it('--help prints the usage; an unknown family is a usage error naming it', async () => {
    const help = await init(dirs.make(), '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: token-rollout init');
    for (const option of ['--dir DIR', '--manifest PATH', '--families', '--force']) {
      expect(help.stdout).toContain(option);
    }
    const cwd = app();
    const bad = await init(cwd, '--manifest', 'manifest.json', '--families', 'buttons,carts');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown family carts');
    expect(existsSync(join(cwd, 'flags'))).toBe(false);
  });
});

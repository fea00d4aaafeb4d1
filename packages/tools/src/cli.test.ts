import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SEED_FLAG } from '../../../test-support/seed-config.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cli-'));

/** Runs the CLI from source; resolves with its exit code and output, whatever the code. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'packages/tools/src/cli.ts', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('token-rollout CLI', () => {
  it('validate accepts the seed config verbatim', async () => {
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(SEED_FLAG));
    const { code, stdout } = await cli('validate', file);
    expect(code).toBe(0);
    expect(stdout).toContain('ok');
    expect(stdout).toContain('week4 100%');
  });

  it('validate lists every error with its JSON path and exits 1', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ 'design-tokens-v2': { week1: { percentage: 120, regions: ['XX'] } } }),
    );
    const { code, stderr } = await cli('validate', file);
    expect(code).toBe(1);
    expect(stderr).toContain('week1.percentage');
    expect(stderr).toContain('week1.regions[0]');
  });

  it('validate names the file when it is not JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"week1": ');
    const { code, stderr } = await cli('validate', file);
    expect(code).toBe(1);
    expect(stderr).toContain('broken.json');
  });

  it('--help on every command prints its usage on stdout and exits 0', async () => {
    for (const command of ['serve', 'flags', 'collector', 'validate', 'gate', 'init']) {
      const { code, stdout, stderr } = await cli(command, '--help');
      expect(code, command).toBe(0);
      expect(stdout, command).toContain(`usage: token-rollout ${command}`);
      expect(stderr, command).toBe('');
    }
    const serve = (await cli('serve', '--help')).stdout;
    for (const option of [
      '--flags DIR',
      '--data DIR',
      '--port N',
      '--host H',
      '--admin-token T',
      '--allow-origin',
    ]) {
      expect(serve).toContain(option);
    }
    expect((await cli('help', 'collector')).stdout).toContain('usage: token-rollout collector');
    expect((await cli('help', 'init')).stdout).toContain('--manifest PATH');
    expect((await cli('--help')).stdout).toMatch(/^ {2}init {7}/m);
  });

  it('init checks its options before touching anything (its run is tested in init/init.test.ts)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-init-'));
    const { code, stderr } = await cli('init', '--dir', cwd, '--families', 'buttons,carts');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'token-rollout init: unknown family carts (known: buttons, cards, forms, tables, navigation, feedback, overlays, checkout)',
    );
    expect(existsSync(join(cwd, 'flags'))).toBe(false);
  });

  it('a bad option names the command and the option, and exits 2 without starting anything', async () => {
    const port = await cli('serve', '--port', 'http');
    expect(port.code).toBe(2);
    expect(port.stderr.trim()).toBe(
      'token-rollout serve: --port must be an integer from 0 to 65535, got "http"',
    );
    const unknown = await cli('flags', '--colour', 'red');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('token-rollout flags: unknown option --colour');
    expect((await cli('collector', '--max-batch', '0')).stderr).toContain(
      '--max-batch must be an integer from 1',
    );
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const { code, stderr } = await cli('nope');
    expect(code).toBe(2);
    expect(stderr).toContain('usage: token-rollout');
  });
});

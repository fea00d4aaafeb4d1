import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('an unknown command prints the usage and exits 2', async () => {
    const { code, stderr } = await cli('nope');
    expect(code).toBe(2);
    expect(stderr).toContain('usage: token-rollout');
  });
});

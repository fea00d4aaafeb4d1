// Helpers of the reliability Node tests: temp dirs (removed at exit) and a private copy of flags/.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
const made: string[] = [];

/** A new temp directory, removed when the process exits. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Copies the project's flags/ into `dir/flags` and returns that path. */
export async function copyFlags(dir: string): Promise<string> {
  const flagsDir = join(dir, 'flags');
  await cp(join(ROOT, 'packages/tools/flags'), flagsDir, { recursive: true });
  return flagsDir;
}

/** Removes every temp directory made so far. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

process.once('beforeExit', () => {
  void removeTempDirs();
});

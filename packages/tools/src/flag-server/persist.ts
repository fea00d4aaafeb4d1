// Admin changes survive a restart: the changed flags are written to `<dataDir>/flag-state.json`
// atomically (temp file, fsync, rename, fsync the directory), so a crash leaves the old or the new file.
// A crash (kill -9) mid-write can leave its temp file: the next start-up removes it.
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../process-alive.js';
import { type FlagDefinition, FlagDefinitionError, validateFlagDefinition } from './definitions.js';

/** The file name of the persisted state inside the data directory. */
export const STATE_FILE = 'flag-state.json';

interface PersistedState {
  schema: 1;
  flags: Record<string, FlagDefinition>;
}

/** `<STATE_FILE>.<pid>.<ms>.tmp`, as `writePersistedFlags` names its temp files. */
const TEMP_FILE = /^flag-state\.json\.(\d+)\.\d+\.tmp$/;

/** True when `pid` is this process or another running one (whose write may be in flight). */
function isRunning(pid: number): boolean {
  return pid === process.pid || isProcessAlive(pid);
}

/** Removes the temp files of writers that died mid-write (kill -9, power loss); returns their names. */
export async function removeStaleTempFiles(dataDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const pid = Number(TEMP_FILE.exec(name)?.[1] ?? 0);
    return pid > 0 && !isRunning(pid);
  });
  await Promise.all(stale.map((name) => unlink(join(dataDir, name)).catch(() => {})));
  return stale;
}

/**
 * Reads the persisted flags (they override the definitions); empty when there is no file yet. Called
 * at start-up, it first removes temp files left by a crashed writer.
 */
export async function readPersistedFlags(dataDir: string): Promise<FlagDefinition[]> {
  await removeStaleTempFiles(dataDir);
  const file = join(dataDir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FlagDefinitionError(file, '$', `not valid JSON (${(error as Error).message})`);
  }
  const flags = (raw as Partial<PersistedState> | null)?.flags;
  if (typeof flags !== 'object' || flags === null || Array.isArray(flags)) {
    throw new FlagDefinitionError(file, '$.flags', 'must be an object of flags by key');
  }
  return Object.values(flags).map((flag) => validateFlagDefinition(flag, file));
}

/** Writes all flags atomically; resolves once the data is on disk. */
export async function writePersistedFlags(dataDir: string, flags: readonly FlagDefinition[]): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const state: PersistedState = { schema: 1, flags: Object.fromEntries(flags.map((f) => [f.key, f])) };
  const target = join(dataDir, STATE_FILE);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  // fsync the directory so the rename itself is durable (not supported everywhere: ignore failures).
  const dir = await open(dataDir, 'r').catch(() => null);
  if (dir)
    await dir
      .sync()
      .catch(() => {})
      .finally(() => dir.close());
}

import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFlagDefinitions, validateFlagDefinition } from './definitions.js';
import { readPersistedFlags, STATE_FILE, writePersistedFlags } from './persist.js';

const FLAG = {
  key: 'f',
  on: true,
  variations: [false, true],
  offVariation: 0,
  fallthrough: { variation: 1 },
};
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flag-defs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('flag definitions', () => {
  it('default the version to 1 and keep unknown LaunchDarkly fields', () => {
    expect(validateFlagDefinition({ ...FLAG, trackEvents: true }, 'f.json')).toMatchObject({
      version: 1,
      trackEvents: true,
    });
  });

  it.each([
    [{ ...FLAG, key: '' }, '$.key'],
    [{ ...FLAG, on: 'yes' }, '$.on'],
    [{ ...FLAG, offVariation: 2 }, '$.offVariation'],
    [{ ...FLAG, fallthrough: {} }, '$.fallthrough'],
    [{ ...FLAG, fallthrough: { variation: -1 } }, '$.fallthrough.variation'],
    [{ ...FLAG, version: 0 }, '$.version'],
  ])('names the file and path of a bad field (%#)', (raw, path) => {
    expect(() => validateFlagDefinition(raw, 'flags/f.json')).toThrow(`flags/f.json: ${path}:`);
  });

  it('refuses bad JSON and a key defined twice, naming both files', async () => {
    await writeFile(join(dir, 'a.json'), JSON.stringify(FLAG));
    await writeFile(join(dir, 'b.json'), JSON.stringify(FLAG));
    await expect(loadFlagDefinitions(dir)).rejects.toThrow(
      /b\.json: \$\.key: "f" is also defined in .*a\.json/,
    );
    await writeFile(join(dir, 'b.json'), '{"key": ');
    await expect(loadFlagDefinitions(dir)).rejects.toThrow(/b\.json: \$: not valid JSON/);
  });
});

describe('persisted state', () => {
  it('round-trips and leaves no temporary file behind', async () => {
    const data = join(dir, 'data');
    expect(await readPersistedFlags(data)).toEqual([]);
    await writePersistedFlags(data, [validateFlagDefinition(FLAG, 'f.json')]);
    await writePersistedFlags(data, [validateFlagDefinition({ ...FLAG, on: false, version: 2 }, 'f.json')]);
    expect(await readdir(data)).toEqual([STATE_FILE]);
    expect(await readPersistedFlags(data)).toMatchObject([{ key: 'f', on: false, version: 2 }]);
  });

  it('removes the temp files of a writer killed mid-write at start-up, not those of a live one', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(dead).toBeGreaterThan(0);
    await writePersistedFlags(dir, [validateFlagDefinition(FLAG, 'f.json')]);
    const stale = `${STATE_FILE}.${dead}.1700000000000.tmp`;
    const live = `${STATE_FILE}.${process.pid}.1700000000001.tmp`;
    await writeFile(join(dir, stale), '{"schema":1,');
    await writeFile(join(dir, live), '{"schema":1,');
    expect(await readPersistedFlags(dir)).toMatchObject([{ key: 'f', on: true }]);
    expect((await readdir(dir)).sort()).toEqual([STATE_FILE, live].sort());
  });

  it('names the state file when it is corrupt instead of silently dropping the changes', async () => {
    await writeFile(join(dir, STATE_FILE), '{"schema":1,"flags":[]}');
    await expect(readPersistedFlags(dir)).rejects.toThrow(/flag-state\.json: \$\.flags: must be an object/);
  });
});

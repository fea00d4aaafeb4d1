// Crash safety of the admin state: a flag server in a child process gets a stream of admin changes
// from concurrent clients and is killed with SIGKILL mid-write, several times. After each restart the
// state file parses and the served state is the last acknowledged one or a later (sent, unacknowledged)
// one: never an older state, never a torn file.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import type { FlagState } from '../packages/tools/src/flag-server/index.js';
import { copyFlags, ROOT, tempDir } from './support.js';

// One process (node with tsx's loader), so SIGKILL hits the server itself: the `tsx` wrapper would
// forward signals to a child, and a SIGKILL to the wrapper leaves that child running.
const NODE_ARGS = ['--import', 'tsx'];
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function start(flagsDir: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [...NODE_ARGS, join(ROOT, 'reliability/flag-server-process.ts'), flagsDir, dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) =>
      reject(new Error(`flag server exited (${code}) before listening: ${stderr}`)),
    );
  });
  return { child, url };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
    children.delete(child);
  });
}

/** One admin change: a pseudo-random mix of the four routes with valid bodies. */
function change(i: number): { method: string; path: string; body: unknown } {
  switch (i % 4) {
    case 0:
      return { method: 'POST', path: '/admin/flag', body: { on: i % 8 !== 0 } };
    case 1:
      return { method: 'PATCH', path: '/admin/stages/week2', body: { percentage: i % 101 } };
    case 2:
      return {
        method: 'POST',
        path: '/admin/stage',
        body: { stage: ['week1', 'week2', 'week3', null][i % 4] },
      };
    default:
      return { method: 'POST', path: '/admin/families/forms', body: { killed: i % 3 === 0 } };
  }
}

// The active stage moves with the clock, and an acknowledgement also carries the change's audit entry.
const strip = (s: FlagState) => {
  const { audit: _entry, ...state } = s as FlagState & { audit?: unknown };
  return { ...state, activeStage: undefined };
};

describe('admin state under kill -9 (child process)', () => {
  it('after each crash the state file parses and the state is the last acknowledged one or later', async () => {
    const dir = await tempDir('rel-admin-crash-');
    const flagsDir = await copyFlags(dir);
    const dataDir = join(dir, 'data');
    let counter = 0;
    const report: string[] = [];
    for (let round = 0; round < 6; round++) {
      const { child, url } = await start(flagsDir, dataDir);
      const acked: FlagState[] = [];
      let sent = 0;
      let stop = false;
      const client = async () => {
        while (!stop) {
          const c = change(counter++);
          sent++;
          try {
            const res = await fetch(`${url}${c.path}`, {
              method: c.method,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(c.body),
            });
            if (res.status === 200) acked.push((await res.json()) as FlagState);
            else await res.text();
          } catch {
            return; // the server died under us
          }
        }
      };
      const clients = Array.from({ length: 4 }, client);
      // Let a few writes through, then kill in the middle of the stream of writes. Waiting for the first
      // acknowledgements (not a fixed time) keeps the round meaningful on a loaded machine, where the
      // child may take longer than the delay to answer its first request.
      const deadline = Date.now() + 30_000;
      while (acked.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50 + ((round * 97) % 250)));
      await kill(child);
      stop = true;
      await Promise.all(clients);
      // The file itself parses and has the persisted shape.
      const text = await readFile(join(dataDir, 'flag-state.json'), 'utf8');
      const file = JSON.parse(text) as { schema: number; flags: Record<string, { version: number }> };
      expect(file.schema).toBe(1);
      const fileVersion = file.flags['design-tokens-v2']?.version ?? 0;
      // Restart on the same data and compare with what was acknowledged.
      const tempsBefore = (await readdir(dataDir)).filter((f) => f.endsWith('.tmp')).length;
      const restarted = await start(flagsDir, dataDir);
      // The start-up removed the temp files the kill left behind (the new server has not written yet).
      expect((await readdir(dataDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const state = (await (await fetch(`${restarted.url}/admin/state`)).json()) as FlagState;
      // A state is identified by every flag's version (kill switches are flags of their own).
      const versions = (x: FlagState) => Object.fromEntries(x.flags.map((f) => [f.key, f.version]));
      const total = (x: FlagState) => x.flags.reduce((sum, f) => sum + f.version, 0);
      const last = acked.reduce<FlagState | undefined>(
        (a, b) => (a && total(a) >= total(b) ? a : b),
        undefined,
      );
      expect(last).toBeDefined();
      if (!last) return;
      const lastAcked = total(last);
      // Never older than the last acknowledged state, flag by flag...
      for (const [key, version] of Object.entries(versions(last))) {
        expect(versions(state)[key], key).toBeGreaterThanOrEqual(version);
      }
      // ...and at most the unacknowledged changes newer.
      expect(total(state)).toBeLessThanOrEqual(lastAcked + (sent - acked.length));
      expect(fileVersion).toBe(state.version);
      const same = acked.find((x) => JSON.stringify(versions(x)) === JSON.stringify(versions(state)));
      if (same) expect(strip(state)).toEqual(strip(same));
      else expect(total(state)).toBeGreaterThan(lastAcked);
      report.push(
        `round ${round}: ${acked.length} acked of ${sent} sent, ${tempsBefore} temp files removed at restart, restart at Σv${total(state)} (last ack Σv${lastAcked})`,
      );
      await kill(restarted.child);
    }
    const leftovers = (await readdir(dataDir)).filter((f) => f.endsWith('.tmp'));
    console.log(`${report.join('\n')}\ntemp files left by the kills: ${leftovers.length}`);
  }, 120_000);
});

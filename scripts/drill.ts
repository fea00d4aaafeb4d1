// `npm run drill`: the rollback runbook (docs/runbook.md) run end to end on this machine, bounded in time.
//   1. start the tools server (flag service + admin API, collector, bugs) on a free loopback port
//   2. start week 1 at 50 % (so a short run has users in both groups)
//   3. send visitors whose v2 pages break (the injected regression)
//   4. run the gate with --apply: it must roll back, and the rollback must be in the audit trail once
//   5. send the same visitors again: their pages must now render v1
//   6. wait for the recovery verdict in the audit trail: it must say "recovered"
//   7. write the weekly status report (HTML + Markdown) and the post-mortem draft; check every section
//   8. show why no CDN purge is needed: every token file's name carries a hash of its content
// Exits 1 when any step fails (or the whole run takes longer than --timeout seconds), 0 otherwise.
//   npm run drill [-- --out DIR] [--keep] [--timeout 150]
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditEntry } from '../packages/tools/src/audit/types.js';
import { resolveFlagsDir } from '../packages/tools/src/default-flags.js';
import { runGateCli } from '../packages/tools/src/gate/cli.js';
import { startToolsServer, type ToolsServer } from '../packages/tools/src/http/compose.js';
import { reportCli, reportPaths } from '../packages/tools/src/release/cli.js';
import { SECTIONS } from '../packages/tools/src/release/report/model.js';
import { visit } from './drill-visitors.js';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: '.data/drill' },
    keep: { type: 'boolean' },
    timeout: { type: 'string', default: '150' },
  },
});
const started = Date.now();
const failures: string[] = [];
const notes: string[] = [];

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t = Date.now();
  process.stdout.write(`• ${name} … `);
  try {
    const result = await run();
    console.log(`ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    console.log('FAILED');
    console.log(`  ${(error as Error).message}`);
    failures.push(`${name}: ${(error as Error).message}`);
    throw error;
  }
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

async function json<T>(server: ToolsServer, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  check(response.ok, `${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const audit = async (server: ToolsServer, query = '') =>
  (await json<{ entries: AuditEntry[] }>(server, 'GET', `/admin/audit${query}`)).entries;

async function until<T>(what: string, seconds: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** Checks that every token file is named by its content: a changed file is a new URL, so caches never serve stale CSS. */
function checkImmutableTokens(): string {
  const dir = resolve('dist/tokens');
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return 'skipped: no token build (npm run build:tokens)';
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    files: { file: string; integrity: string }[];
  };
  for (const f of manifest.files) {
    const body = readFileSync(join(dir, f.file));
    const sri = `sha384-${createHash('sha384').update(body).digest('base64')}`;
    check(sri === f.integrity, `${f.file}: its content does not match the manifest's integrity`);
    check(/\.[0-9a-f]{8,}\.css$/.test(f.file), `${f.file}: the name carries no content hash`);
  }
  return `${manifest.files.length} files, each named by a hash of its content and checked against its SRI hash`;
}

async function drill(data: string): Promise<void> {
  const out = resolve(args.out ?? '.data/drill');
  const server = await step('start the tools server on a free loopback port', () =>
    startToolsServer({
      port: 0,
      flags: {
        flagsDir: resolveFlagsDir(undefined),
        dataDir: join(data, 'flags'),
        recovery: { pollMs: 1000 },
      },
      collector: { dataDir: join(data, 'collector') },
      bugs: { dataDir: join(data, 'bugs') },
      gate: true,
    }),
  );
  try {
    console.log(`  ${server.url} (data in ${data})`);
    await step('start week 1 at 50 % in AU and NZ', async () => {
      await json(server, 'POST', '/admin/stage', {
        stage: 'week1',
        reason: 'drill: week 1 starts',
        source: 'drill',
      });
      await json(server, 'PATCH', '/admin/stages/week1', {
        percentage: 50,
        reason: 'drill: 50 % so a short run fills both groups',
        source: 'drill',
      });
    });
    const keys = Array.from({ length: 160 }, (_, i) => `drill-user-${i}`);
    const regions = ['AU', 'NZ'];
    const first = await step(
      'visitors on a v2 that breaks (injected regression: JS errors on v2 pages)',
      async () => {
        const visits = await visit({ server: server.url, keys, regions, regress: true, seed: 1 });
        const treated = visits.filter((v) => v.group === 'treatment').length;
        check(
          treated >= 40 && visits.length - treated >= 40,
          `too few users in a group (treatment ${treated} of ${visits.length})`,
        );
        return visits;
      },
    );
    console.log(
      `  ${first.length} visits: ${first.filter((v) => v.arm !== 'v1').length} pages on v2 (week 1: buttons and cards)`,
    );
    const before = (await audit(server)).length;
    await step('the gate reads the collector and rolls back (--apply)', async () => {
      const lines: string[] = [];
      const code = await runGateCli(
        ['--collector', server.url, '--admin', server.url, '--apply', '--target-users', '160'],
        {
          stdout: (s) => lines.push(s),
          stderr: (s) => lines.push(s),
          env: {},
          fetch,
          now: Date.now,
          sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
        },
      );
      check(code === 3, `the gate exited ${code}, not 3 (roll back):\n${lines.join('').slice(0, 2000)}`);
      const state = await json<{ on: boolean; killed: string[] }>(server, 'GET', '/admin/state');
      check(!state.on || state.killed.length > 0, 'the flag is still on and no family was killed');
    });
    const rollback = await step('the rollback is in the audit trail, once', async () => {
      const rollbacks = (await audit(server)).slice(before).filter((e) => e.kind === 'rollback');
      check(rollbacks.length === 1, `${rollbacks.length} rollback entries, expected 1`);
      return rollbacks[0]!;
    });
    console.log(
      `  #${rollback.seq} ${rollback.action} ${rollback.target} via ${rollback.source}: ${rollback.reason ?? '(no reason sent)'}`,
    );
    if (rollback.reason === null)
      notes.push(
        'the gate sent no reason with its rollback: gate/admin.ts should add gateAuditFields(report) to its admin requests (audit/gate.ts)',
      );
    await step('the same visitors come back: their pages render v1', async () => {
      const again = await visit({ server: server.url, keys, regions, regress: true, seed: 2 });
      const stale = again.filter((v) => v.arm !== 'v1').length;
      check(stale === 0, `${stale} pages still render v2 after the rollback`);
    });
    const verdict = await step('recovery verified from the data (audit trail)', () =>
      until('a recovery verdict', 30, async () => {
        const entries = await audit(server, '?kind=verification');
        return (
          entries.find((e) => (e.evidence as { rollbackSeq?: number }).rollbackSeq === rollback.seq) ?? null
        );
      }),
    );
    console.log(`  ${verdict.reason}`);
    if ((verdict.evidence as { status?: string }).status !== 'recovered') {
      failures.push(`recovery: ${verdict.reason}`);
      throw new Error(`not recovered: ${verdict.reason}`);
    }
    const paths = await step('write the weekly status report', async () => {
      const lines: string[] = [];
      const io = {
        stdout: (s: string) => lines.push(s),
        stderr: (s: string) => lines.push(s),
        env: {},
        fetch,
        now: Date.now,
      };
      const code = await reportCli(
        ['--server', server.url, '--stage', 'week1', '--out', out, '--target-users', '160', '--postmortem'],
        io,
      );
      check(code === 0, lines.join('\n'));
      const paths = reportPaths(out, 'week1', Date.now());
      const html = await readFile(paths.html, 'utf8');
      const missing = SECTIONS.filter(([id]) => !html.includes(`<section id="${id}"`)).map(([id]) => id);
      check(missing.length === 0, `sections missing from the report: ${missing.join(', ')}`);
      check(
        html.includes(`#${rollback.seq}`) || html.includes(rollback.action),
        'the rollback is not in the report',
      );
      return paths;
    });
    console.log(`  ${paths.html}\n  ${paths.markdown}\n  ${paths.postmortem}`);
    const tokens = await step('no CDN purge needed: token files are content-addressed', async () =>
      checkImmutableTokens(),
    );
    console.log(`  ${tokens}`);
  } finally {
    await server.close();
  }
}

const timeoutSeconds = Number(args.timeout);
const data = await mkdtemp(join(tmpdir(), 'token-rollout-drill-'));
const timer = setTimeout(() => {
  console.error(`drill: FAILED: still running after ${timeoutSeconds} s`);
  process.exit(1);
}, timeoutSeconds * 1000);
timer.unref();
console.log('token-rollout drill: the rollback runbook, end to end (docs/runbook.md)\n');
try {
  await drill(data);
} catch {
  // Reported by the step that failed.
}
clearTimeout(timer);
for (const note of notes) console.log(`note: ${note}`);
if (args.keep) console.log(`data kept in ${data} (audit trail: ${join(data, 'flags', 'audit.jsonl')})`);
else await rm(data, { recursive: true, force: true });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length > 0) {
  console.log(`\ndrill FAILED in ${seconds} s:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exitCode = 1;
} else console.log(`\ndrill passed in ${seconds} s`);

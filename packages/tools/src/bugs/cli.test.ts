import { describe, expect, it } from 'vitest';
import { BUG_EXIT, type BugIo, runBugCli } from './cli.js';

const NOW = Date.UTC(2026, 1, 12, 9);

function io(respond: (url: string, init: RequestInit) => Response, env: Record<string, string> = {}) {
  const out = {
    stdout: '',
    stderr: '',
    calls: [] as { url: string; method: string; headers: Record<string, string>; body: unknown }[],
  };
  const x: BugIo = {
    stdout: (s) => {
      out.stdout += s;
    },
    stderr: (s) => {
      out.stderr += s;
    },
    env,
    fetch: (async (input: string | URL | Request, init: RequestInit = {}) => {
      out.calls.push({
        url: String(input),
        method: init.method ?? 'GET',
        headers: (init.headers ?? {}) as Record<string, string>,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return respond(String(input), init);
    }) as typeof fetch,
  };
  return { x, out };
}

const bug = {
  id: 'WEB-1',
  severity: 'P1',
  title: 'broken',
  link: null,
  reportedAt: NOW,
  receivedAt: NOW,
  withdrawnAt: null,
};
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('token-rollout bug', () => {
  it('add: POSTs the report to the server with the admin token', async () => {
    const { x, out } = io(() => json(201, { bug }), { TOKEN_ROLLOUT_ADMIN_TOKEN: 'adm' });
    const code = await runBugCli(
      ['add', '--id', 'WEB-1', '--severity', 'P1', '--title', 'broken', '--server', 'http://s.test/'],
      x,
    );
    expect(code).toBe(BUG_EXIT.ok);
    expect(out.calls[0]).toMatchObject({
      url: 'http://s.test/bugs',
      method: 'POST',
      headers: { Authorization: 'Bearer adm', 'Content-Type': 'application/json' },
      body: { id: 'WEB-1', severity: 'P1', title: 'broken' },
    });
    expect(out.stdout).toMatch(/reported: P1 {2}WEB-1 {2}2026-02-12T09:00:00\.000Z {2}broken/);
  });

  it('withdraw ID: DELETEs it (the id may be a positional)', async () => {
    const { x, out } = io(() => json(200, { bug: { ...bug, withdrawnAt: NOW + 1000 } }));
    expect(await runBugCli(['withdraw', 'WEB-1'], x)).toBe(BUG_EXIT.ok);
    expect(out.calls[0]).toMatchObject({ url: 'http://127.0.0.1:8030/bugs/WEB-1', method: 'DELETE' });
    expect(out.stdout).toMatch(/withdrawn: .*\(withdrawn 2026-02-12T09:00:01\.000Z\)/);
  });

  it('list: shows the bugs and how many P1s the gate counts now', async () => {
    const old = { ...bug, id: 'WEB-0', reportedAt: NOW - 30 * 3_600_000 };
    const { x, out } = io(() => json(200, { now: NOW, bugs: [bug, old] }));
    expect(await runBugCli(['list'], x)).toBe(BUG_EXIT.ok);
    expect(out.stdout).toMatch(/2 bugs; P1s the gate counts now \(last 24 h, not withdrawn\): 1/);
  });

  it('names a missing option (exit 2), shows the server refusal with its path (exit 2), and a server failure (exit 1)', async () => {
    const missing = io(() => json(201, { bug }));
    expect(await runBugCli(['add', '--id', 'WEB-1', '--title', 'x'], missing.x)).toBe(BUG_EXIT.usage);
    expect(missing.out.stderr).toMatch(/token-rollout bug add: --severity is required/);
    const refused = io(() =>
      json(400, { error: '"severity" must be "P1", "P2" or "P3"', path: '$.severity' }),
    );
    expect(await runBugCli(['add', '--id', 'W', '--severity', 'P9', '--title', 'x'], refused.x)).toBe(
      BUG_EXIT.usage,
    );
    expect(refused.out.stderr).toMatch(/400 "severity" must be .* \(at \$\.severity\)/);
    const down = io(() => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(await runBugCli(['list'], down.x)).toBe(BUG_EXIT.failure);
    expect(down.out.stderr).toMatch(/GET http:\/\/127\.0\.0\.1:8030\/bugs failed: connect ECONNREFUSED/);
    const unknown = io(() => json(200, {}));
    expect(await runBugCli(['close', 'WEB-1'], unknown.x)).toBe(BUG_EXIT.usage);
    expect(unknown.out.stderr).toMatch(/unknown subcommand "close"/);
  });

  it('prints its usage for --help', async () => {
    const { x, out } = io(() => json(200, {}));
    expect(await runBugCli(['--help'], x)).toBe(BUG_EXIT.ok);
    expect(out.stdout).toMatch(/usage: token-rollout bug <add\|withdraw\|list>/);
    expect(await runBugCli(['add', '--help'], x)).toBe(BUG_EXIT.ok);
    expect(out.stdout).toMatch(/usage: token-rollout bug add \[options\]/);
  });
});

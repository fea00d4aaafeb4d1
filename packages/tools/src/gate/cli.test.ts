import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricEvent } from 'token-rollout/core';
import { afterEach, describe, expect, it } from 'vitest';
import { eventFor } from '../../../../test-support/gate/event-builder.js';
import { EXIT, type GateIo, runGateCli } from './cli.js';

const T0 = Date.UTC(2026, 1, 10);
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'gate-cli-'));

/** v1 and v2 (mixed) users over 25 h with the given numbers of users with an error. */
function stageEvents(users: number, v1Errors: number, v2Errors: number, stage = 'week1'): MetricEvent[] {
  const events: MetricEvent[] = [];
  for (const [arm, errors, offset] of [
    ['v1', v1Errors, 0],
    ['mixed', v2Errors, users],
  ] as const) {
    for (let i = 0; i < users; i++) {
      const user = { id: offset + i + 1, arm, stage, region: 'NZ' };
      const ts = T0 + Math.floor((i / users) * 25 * HOUR);
      events.push(eventFor(user, 'page-view', 1, ts));
      if (i < errors) events.push(eventFor(user, 'js-error', 1, ts + 1));
    }
  }
  return events;
}

function file(name: string, events: MetricEvent[] | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof events === 'string' ? events : events.map((e) => JSON.stringify(e)).join('\n'));
  return path;
}

const rollbackFile = file('rollback.ndjson', stageEvents(2000, 2, 100));
const holdFile = file('hold.ndjson', stageEvents(3000, 3, 3));
const advanceFile = file('advance.ndjson', stageEvents(40_000, 40, 40));

interface Captured {
  out: string;
  err: string;
  sleeps: number[];
  requests: { url: string; method: string; headers: Record<string, string>; body: unknown }[];
}

function io(
  overrides: Partial<GateIo> = {},
  respond?: (url: string, method: string) => unknown,
): GateIo & { captured: Captured } {
  const captured: Captured = { out: '', err: '', sleeps: [], requests: [] };
  let clock = T0 + 30 * HOUR;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    captured.requests.push({
      url,
      method,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const body = respond ? respond(url, method) : {};
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200 });
  }) as typeof fetch;
  return {
    stdout: (s) => {
      captured.out += s;
    },
    stderr: (s) => {
      captured.err += s;
    },
    env: {},
    fetch: fakeFetch,
    now: () => clock,
    sleep: async (ms) => {
      captured.sleeps.push(ms);
      clock += ms;
    },
    ...overrides,
    captured,
  };
}

describe('token-rollout gate: reading and printing', () => {
  it('prints a table and exits 3 on a rollback', async () => {
    const x = io();
    expect(await runGateCli(['--events', rollbackFile], x)).toBe(EXIT.rollback);
    expect(x.captured.out).toMatch(/decision: ROLL BACK \(flag off: everyone to v1\)/);
    expect(x.captured.out).toMatch(/users with a JS error\s+0\.10% \(2000\)\s+5\.00% \(2000\)/);
    expect(x.captured.out).toMatch(/ROLL BACK/);
  });

  it('holds with exit 0 and says what it waits for', async () => {
    const x = io();
    expect(await runGateCli(['--events', holdFile], x)).toBe(EXIT.ok);
    expect(x.captured.out).toMatch(/decision: HOLD/);
    expect(x.captured.out).toMatch(/about \d+ more users/);
  });

  it('prints the evidence as JSON with --json', async () => {
    const x = io();
    await runGateCli(['--events', rollbackFile, '--json'], x);
    const report = JSON.parse(x.captured.out) as {
      decision: { kind: string };
      metrics: {
        metric: string;
        estimate: number;
        interval: { lower: number; upper: number };
        v1: { n: number };
        v2: { n: number };
        trigger: number;
        status: { kind: string; reason: string };
      }[];
    };
    expect(report.decision.kind).toBe('rollback');
    const errors = report.metrics.find((m) => m.metric === 'error-rate')!;
    expect(errors).toMatchObject({
      trigger: 0.005,
      v1: { n: 2000 },
      v2: { n: 2000 },
      status: { kind: 'rollback' },
    });
    expect(errors.interval.lower).toBeGreaterThan(0);
  });

  it('reads the collector export with --collector', async () => {
    const text = stageEvents(2000, 2, 100)
      .map((e) => JSON.stringify(e))
      .join('\n');
    const x = io({ env: { TOKEN_ROLLOUT_COLLECTOR_TOKEN: 'read-tok' } }, () => text);
    expect(await runGateCli(['--collector', 'http://collector.test/', '--p1-bugs', '0'], x)).toBe(
      EXIT.rollback,
    );
    expect(x.captured.requests[0]!.url).toBe('http://collector.test/events/export');
    expect(x.captured.requests[0]!.headers.Authorization).toBe('Bearer read-tok');
  });

  it('rolls back on --p1-bugs 3', async () => {
    const x = io();
    expect(await runGateCli(['--events', holdFile, '--p1-bugs', '3'], x)).toBe(EXIT.rollback);
    expect(x.captured.out).toMatch(/3 P1 bugs reported/);
  });

  it('names the file and line of a bad event, and exits 2', async () => {
    const bad = file('bad.ndjson', `${JSON.stringify(stageEvents(1, 0, 0)[0])}\n{"name":"fcp"}\n`);
    const x = io();
    expect(await runGateCli(['--events', bad], x)).toBe(EXIT.usage);
    expect(x.captured.err).toContain(`${bad}:2: $.value`);
  });

  it('names the option that is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['--events', holdFile, '--p1-bugs', 'many'], /--p1-bugs: expected a whole number >= 0, got "many"/],
      [[], /exactly one of --events FILE or --collector URL/],
      [['--events', holdFile, '--apply'], /--apply needs --admin URL/],
      [
        ['--events', holdFile, '--launchdarkly', '--project', 'p'],
        /--launchdarkly needs --project KEY and --environment KEY/,
      ],
      [
        ['--events', holdFile, '--launchdarkly', '--project', 'p', '--environment', 'e', '--send'],
        /--send needs the LD_API_TOKEN/,
      ],
      [['--events', holdFile, '--watch', '--every', 'soon'], /--every: expected a duration/],
      [['--events', holdFile, '--count', '2'], /--every, --count and --until need --watch/],
      [['--events', holdFile, '--bogus'], /Unknown option '--bogus'/],
      [['--events', join(dir, 'missing.ndjson')], /--events: cannot read .*missing\.ndjson \(ENOENT\)/],
    ];
    for (const [argv, message] of cases) {
      const x = io();
      expect(await runGateCli(argv, x)).toBe(EXIT.usage);
      expect(x.captured.err).toMatch(message);
    }
  });
});

describe('token-rollout gate --apply against a flag server', () => {
  let server: Server | null = null;
  afterEach(() => {
    server?.close();
    server = null;
  });

  /** A stand-in for server/flag-server's admin API that records what it was asked to do. */
  async function flagServer(state: {
    on: boolean;
    activeStage: string;
    stages: { name: string }[];
    killed: string[];
  }) {
    const calls: { method: string; url: string; body: unknown; auth: string | undefined }[] = [];
    server = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      req.on('end', () => {
        calls.push({
          method: req.method ?? '',
          url: req.url ?? '',
          body: raw ? JSON.parse(raw) : undefined,
          auth: req.headers.authorization,
        });
        res.setHeader('Content-Type', 'application/json');
        if (req.method === 'GET' && req.url === '/admin/state') res.end(JSON.stringify(state));
        else res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, calls };
  }

  const stages = ['week1', 'week2', 'week3', 'week4'].map((name) => ({ name }));

  it('turns the flag off on a rollback', async () => {
    const admin = await flagServer({ on: true, activeStage: 'week1', stages, killed: [] });
    const x = io({ fetch });
    expect(
      await runGateCli(
        ['--events', rollbackFile, '--apply', '--admin', admin.url, '--admin-token', 't0k'],
        x,
      ),
    ).toBe(EXIT.rollback);
    expect(admin.calls).toEqual([
      { method: 'POST', url: '/admin/flag', body: { on: false }, auth: 'Bearer t0k' },
    ]);
    expect(x.captured.out).toMatch(/flag server: POST .*\/admin\/flag \{"on":false\}/);
  });

  it('moves to the next stage on an advance', async () => {
    const admin = await flagServer({ on: true, activeStage: 'week1', stages, killed: [] });
    const x = io({ fetch });
    expect(await runGateCli(['--events', advanceFile, '--apply', '--admin', admin.url], x)).toBe(EXIT.ok);
    expect(admin.calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['GET', '/admin/state', undefined],
      ['POST', '/admin/stage', { stage: 'week2' }],
    ]);
  });

  it('refuses to advance when the flag server is already on another stage', async () => {
    const admin = await flagServer({ on: true, activeStage: 'week2', stages, killed: [] });
    const x = io({ fetch });
    await runGateCli(['--events', advanceFile, '--apply', '--admin', admin.url], x);
    expect(admin.calls.map((c) => c.method)).toEqual(['GET']);
    expect(x.captured.out).toMatch(/advance refused: the flag server is on week2, the data judged week1/);
  });

  it('does nothing on a hold', async () => {
    const admin = await flagServer({ on: true, activeStage: 'week1', stages, killed: [] });
    await runGateCli(['--events', holdFile, '--apply', '--admin', admin.url], io({ fetch }));
    expect(admin.calls).toEqual([]);
  });
});

describe('token-rollout gate --launchdarkly', () => {
  const ld = ['--launchdarkly', '--project', 'web', '--environment', 'production'];

  it('prints the semantic patch for a rollback without sending it (dry run)', async () => {
    const x = io();
    await runGateCli(['--events', rollbackFile, ...ld], x);
    expect(x.captured.requests).toEqual([]);
    expect(x.captured.out).toContain('PATCH https://app.launchdarkly.com/api/v2/flags/web/design-tokens-v2');
    expect(x.captured.out).toContain(
      'Content-Type: application/json; domain-model=launchdarkly.semanticpatch',
    );
    expect(x.captured.out).toContain('"kind": "turnFlagOff"');
    expect(x.captured.out).toContain('"environmentKey": "production"');
    expect(x.captured.out).toMatch(/dry run: add --send/);
  });

  it('sends it with --send, with the token in the header and never in the output', async () => {
    const x = io({ env: { LD_API_TOKEN: 'api-secret-123' } });
    await runGateCli(['--events', rollbackFile, ...ld, '--send'], x);
    expect(x.captured.requests).toHaveLength(1);
    const sent = x.captured.requests[0]!;
    expect(sent).toMatchObject({
      method: 'PATCH',
      url: 'https://app.launchdarkly.com/api/v2/flags/web/design-tokens-v2',
    });
    expect(sent.headers.Authorization).toBe('api-secret-123');
    expect(sent.body).toMatchObject({
      environmentKey: 'production',
      instructions: [{ kind: 'turnFlagOff' }],
    });
    expect(x.captured.out + x.captured.err).not.toContain('api-secret-123');
    expect(x.captured.out).toContain('(sent)');
  });

  it('advances by pointing the fallthrough at the next stage variation, read from the flag', async () => {
    const flag = {
      key: 'design-tokens-v2',
      variations: [
        { _id: 'off-id', value: { enabled: false } },
        { _id: 'w1-id', value: { stage: 'week1', week1: { percentage: 5 }, week2: { percentage: 25 } } },
        { _id: 'w2-id', value: { stage: 'week2', week1: { percentage: 5 }, week2: { percentage: 25 } } },
      ],
      environments: { production: { on: true, fallthrough: { variation: 1 } } },
    };
    const x = io({ env: { LD_API_TOKEN: 'tok' } }, () => flag);
    await runGateCli(['--events', advanceFile, ...ld], x);
    // The GET is read-only, so a dry run resolves the variation id; the PATCH is only printed.
    expect(x.captured.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET https://app.launchdarkly.com/api/v2/flags/web/design-tokens-v2?env=production',
    ]);
    expect(x.captured.out).toContain('"kind": "updateFallthroughVariationOrRollout"');
    expect(x.captured.out).toContain('"variationId": "w2-id"');
  });

  it('advances by rewriting the served value when no variation exists for the next stage', async () => {
    const flag = {
      variations: [
        {
          _id: 'only',
          value: { 'design-tokens-v2': { week1: { percentage: 5 }, week2: { percentage: 25 } } },
        },
      ],
      environments: { production: { fallthrough: { variation: 0 } } },
    };
    const x = io({ env: { LD_API_TOKEN: 'tok' } }, () => flag);
    await runGateCli(['--events', advanceFile, ...ld, '--send'], x);
    const patch = x.captured.requests[1]!;
    expect(patch.body).toMatchObject({
      instructions: [
        {
          kind: 'updateVariation',
          variationId: 'only',
          value: {
            'design-tokens-v2': { stage: 'week2', week1: { percentage: 5 }, week2: { percentage: 25 } },
          },
        },
      ],
    });
    expect(x.captured.out).toMatch(/every environment that serves this variation/);
  });
});

describe('token-rollout gate --watch', () => {
  it('checks at the stage interval (15 min in week 1) until --count', async () => {
    const x = io();
    expect(await runGateCli(['--events', holdFile, '--watch', '--count', '3'], x)).toBe(EXIT.ok);
    expect(x.captured.sleeps).toEqual([15 * 60_000, 15 * 60_000]);
    expect(x.captured.out.match(/decision: HOLD/g)).toHaveLength(3);
  });

  it('stops at the first rollback', async () => {
    const x = io();
    expect(await runGateCli(['--events', rollbackFile, '--watch', '--count', '5'], x)).toBe(EXIT.rollback);
    expect(x.captured.sleeps).toEqual([]);
  });

  it('keeps watching through a failed collector request', async () => {
    const text = stageEvents(3000, 3, 3)
      .map((e) => JSON.stringify(e))
      .join('\n');
    let calls = 0;
    const flaky = (async () => {
      calls++;
      return calls === 1 ? new Response('down', { status: 503 }) : new Response(text, { status: 200 });
    }) as unknown as typeof fetch;
    const x = io({ fetch: flaky });
    expect(await runGateCli(['--collector', 'http://c.test', '--watch', '--count', '2'], x)).toBe(EXIT.ok);
    expect(x.captured.err).toMatch(/GET http:\/\/c\.test\/events\/export failed: 503/);
    expect(x.captured.out).toMatch(/decision: HOLD/);
    expect(x.captured.sleeps).toEqual([15 * 60_000]);
  });

  it('honours --every and stops before --until', async () => {
    const x = io();
    const until = new Date(T0 + 30 * HOUR + 2.5 * HOUR).toISOString();
    await runGateCli(['--events', holdFile, '--watch', '--every', '1h', '--until', until], x);
    expect(x.captured.sleeps).toEqual([HOUR, HOUR]);
  });
});

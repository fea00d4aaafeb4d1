import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricEvent } from 'token-rollout/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cohorts, HOUR, T0 } from '../../../../test-support/gate/cohorts.js';
import type { Bug } from '../bugs/bug.js';
import { openDuckDbStore } from '../store/duckdb.js';
import { gateStatistics } from '../store/gate-statistics.js';
import { EXIT, type GateIo, runGateCli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gate-cli-'));

/** Control and treatment users over 25 h with the given numbers of users with an error; 3.2 % convert. */
function stageEvents(
  users: number,
  controlErrors: number,
  treatedErrors: number,
  stage = 'week1',
): MetricEvent[] {
  const conversions = Math.round(users * 0.032);
  return cohorts([
    { group: 'control', users, errors: controlErrors, conversions, region: 'NZ', stage },
    { group: 'treatment', users, errors: treatedErrors, conversions, region: 'NZ', stage },
  ]);
}

const ndjson = (events: MetricEvent[]) => events.map((e) => JSON.stringify(e)).join('\n');

/** What a collector's GET /gate/statistics answers for these events (the same SQL, on a throw-away store). */
async function collectorStatistics(events: MetricEvent[]): Promise<string> {
  const store = await openDuckDbStore({ path: ':memory:' });
  try {
    await store.append(events.map((e, i) => ({ ...e, id: `e${i}`, receivedAt: e.receivedAt ?? e.ts })));
    return JSON.stringify(await gateStatistics(store, {}));
  } finally {
    await store.close();
  }
}

function file(name: string, content: MetricEvent[] | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : ndjson(content));
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
    if (url.endsWith('/bugs') && !respond) return new Response('not found', { status: 404 });
    const body = respond ? respond(url, method) : {};
    if (body instanceof Response) return body;
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
  });

  it('holds with exit 0 and says what it waits for', async () => {
    const x = io();
    expect(await runGateCli(['--events', holdFile], x)).toBe(EXIT.ok);
    expect(x.captured.out).toMatch(/decision: HOLD/);
    expect(x.captured.out).toMatch(
      /what this stage cannot decide:\n(?: {2}- .*\n)* {2}- users who converted: week1 cannot judge it/,
    );
    expect(x.captured.out).toMatch(
      /\nsample ratio: treated share .*: no mismatch shown \(Bayes factor .* < 1000\)\n/,
    );
    const loose = io();
    expect(await runGateCli(['--events', holdFile, '--srm-alpha', '0.5'], loose)).toBe(EXIT.ok);
    expect(loose.captured.out).toMatch(/Bayes factor .* < 2\)/);
  });

  it('prints the evidence as JSON with --json', async () => {
    const x = io();
    await runGateCli(['--events', rollbackFile, '--json'], x);
    const report = JSON.parse(x.captured.out) as {
      decision: { kind: string };
      metrics: {
        metric: string;
        interval: { lower: number };
        treatment: { n: number };
        trigger: number;
        status: { kind: string };
      }[];
      levels: { id: string }[];
    };
    expect(report.decision.kind).toBe('rollback');
    const errors = report.metrics.find((m) => m.metric === 'error-rate')!;
    expect(errors).toMatchObject({ trigger: 0.005, treatment: { n: 2000 }, status: { kind: 'rollback' } });
    expect(errors.interval.lower).toBeGreaterThan(0);
    expect(report.levels.map((l) => l.id)).toEqual([
      'bundle',
      'fcp-p75',
      'theme-switch-p75',
      'error-rate',
      'conversion',
      'lighthouse',
    ]);
  });

  it('reads the collector statistics with --collector, and the bug service on the same server', async () => {
    const text = await collectorStatistics(stageEvents(3000, 3, 3));
    const x = io({ env: { TOKEN_ROLLOUT_COLLECTOR_TOKEN: 'read-tok' } }, (url) =>
      url.endsWith('/bugs') ? { now: T0 + 30 * HOUR, bugs: [] } : text,
    );
    expect(await runGateCli(['--collector', 'http://collector.test/'], x)).toBe(EXIT.ok);
    expect(x.captured.requests.map((r) => r.url)).toEqual([
      'http://collector.test/bugs',
      'http://collector.test/gate/statistics',
    ]);
    expect(x.captured.requests[1]!.headers.Authorization).toBe('Bearer read-tok');
    expect(x.captured.out).toMatch(
      /P1 bugs in the last 24 h: 0 \(bug service http:\/\/collector\.test\/bugs\)/,
    );
    // The statistics the collector's store computed decide as the events themselves do.
    const y = io();
    await runGateCli(['--events', holdFile], y);
    expect(x.captured.out.replace(/P1 bugs.*\n/, '')).toBe(y.captured.out.replace(/P1 bugs.*\n/, ''));
  });

  it('skips a bad line, counts it and still decides', async () => {
    const lines = ndjson(stageEvents(2000, 2, 100)).split('\n');
    lines.splice(5, 0, '{"name":"fcp",', 'garbage');
    const x = io();
    expect(await runGateCli(['--events', file('bad.ndjson', lines.join('\n'))], x)).toBe(EXIT.rollback);
    expect(x.captured.out).toMatch(/input lines skipped \(not events\): 2/);
  });

  it('names the option that is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['--events', holdFile, '--p1-bugs', 'many'], /--p1-bugs: expected a whole number >= 0, got "many"/],
      [[], /exactly one of --events FILE, --collector URL or --store SPEC/],
      [['--events', holdFile, '--apply'], /--apply needs --admin URL/],
      [['--events', holdFile, '--admin-token', 't'], /--admin-token needs --admin URL or --bugs URL/],
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
      [['--events', holdFile, '--srm-alpha', '1'], /--srm-alpha: expected a number between 0 and 1, got "1"/],
      [['--events', join(dir, 'missing.ndjson')], /--events: cannot read .*missing\.ndjson \(ENOENT\)/],
      [
        ['--events', holdFile, '--manifest', join(dir, 'none.json')],
        /--manifest: cannot read .*none\.json \(ENOENT\)/,
      ],
      [['--events', holdFile, '--lighthouse', holdFile], /--lighthouse .*hold\.ndjson: not JSON/],
      [
        ['--events', holdFile, '--stage', 'week9'],
        /stage "week9" has no usable events; stages in the data: week1/,
      ],
    ];
    for (const [argv, message] of cases) {
      const x = io();
      expect(await runGateCli(argv, x), argv.join(' ')).toBe(EXIT.usage);
      expect(x.captured.err).toMatch(message);
    }
  });
});

describe('token-rollout gate: P1 bugs, bundle size, Lighthouse, client clocks', () => {
  const bug = (id: string, hoursAgo: number, severity: Bug['severity'] = 'P1'): Bug => ({
    id,
    severity,
    title: `${id} broken`,
    link: `https://tracker.test/${id}`,
    reportedAt: T0 + 30 * HOUR - hoursAgo * HOUR,
    receivedAt: T0 + 30 * HOUR - hoursAgo * HOUR,
    withdrawnAt: null,
  });

  it('rolls back on 3 P1s reported in the last 24 h, listing them', async () => {
    const bugs = [bug('WEB-1', 1), bug('WEB-2', 2), bug('WEB-3', 3), bug('WEB-4', 30), bug('WEB-5', 1, 'P2')];
    const x = io({}, (url) => (url.endsWith('/bugs') ? { now: T0 + 30 * HOUR, bugs } : ''));
    expect(
      await runGateCli(['--events', holdFile, '--bugs', 'http://server.test', '--admin-token', 'adm'], x),
    ).toBe(EXIT.rollback);
    expect(x.captured.out).toMatch(/3 P1 bugs reported in the last 24 h \(WEB-1, WEB-2, WEB-3\)/);
    expect(x.captured.out).toMatch(/ {2}- WEB-1 .* WEB-1 broken https:\/\/tracker\.test\/WEB-1/);
    expect(x.captured.requests[0]!.headers.Authorization).toBe('Bearer adm');
  });

  it('re-reads the bugs at every check under --watch: a third P1 stops the watch', async () => {
    let reads = 0;
    const x = io({}, (url) => {
      if (!url.endsWith('/bugs')) return '';
      reads++;
      const bugs = [bug('WEB-1', 1), bug('WEB-2', 1), ...(reads >= 3 ? [bug('WEB-3', 0)] : [])];
      return { now: T0 + 30 * HOUR, bugs };
    });
    expect(
      await runGateCli(['--events', holdFile, '--bugs', 'http://s.test', '--watch', '--count', '5'], x),
    ).toBe(EXIT.rollback);
    expect(reads).toBe(3);
    expect(x.captured.sleeps).toEqual([15 * 60_000, 15 * 60_000]);
  });

  it('fails (exit 1) when an explicit bug service does not answer, and lets --p1-bugs override it', async () => {
    const down = io({}, (url) => (url.endsWith('/bugs') ? new Response('no', { status: 503 }) : ''));
    expect(await runGateCli(['--events', holdFile, '--bugs', 'http://s.test'], down)).toBe(EXIT.failure);
    expect(down.captured.err).toMatch(/GET http:\/\/s\.test\/bugs failed: 503/);
    const typed = io();
    expect(await runGateCli(['--events', holdFile, '--bugs', 'http://s.test', '--p1-bugs', '3'], typed)).toBe(
      EXIT.rollback,
    );
    expect(typed.captured.requests).toEqual([]);
  });

  it('rolls back on a manifest whose v2 files exceed 40 KB; reads a Lighthouse result', async () => {
    const big = { schema: 1, files: [{ family: 'core', version: 'v2', file: 'v2/core.css', bytes: 41_000 }] };
    const lhr = { categories: { performance: { score: 0.97 } }, configSettings: { formFactor: 'mobile' } };
    const x = io();
    const code = await runGateCli(
      [
        '--events',
        holdFile,
        '--manifest',
        file('manifest.json', JSON.stringify(big)),
        '--lighthouse',
        file('lhr.json', JSON.stringify(lhr)),
      ],
      x,
    );
    expect(code).toBe(EXIT.rollback);
    expect(x.captured.out).toMatch(/bundle size \(v2 token CSS, whole site\) \(plan level\): 41,000 B/);
    expect(x.captured.out).toMatch(/Lighthouse performance \(mobile, recorded run\)\s+97\s/);
  });

  it('uses client clocks for events without a receive time only with --client-time, and says so', async () => {
    const noServerTime = file(
      'client.ndjson',
      stageEvents(2000, 2, 100)
        .map(({ receivedAt: _r, ...e }) => JSON.stringify(e))
        .join('\n'),
    );
    const strict = io();
    expect(await runGateCli(['--events', noServerTime], strict)).toBe(EXIT.usage);
    expect(strict.captured.err).toMatch(/no usable events in a stage/);
    const client = io();
    expect(await runGateCli(['--events', noServerTime, '--client-time'], client)).toBe(EXIT.rollback);
    expect(client.captured.out).toMatch(/timed by the client's ts/);
  });
});

describe('token-rollout gate --admin (the flag server: its stage, and --apply)', () => {
  let server: Server | null = null;
  afterEach(() => {
    server?.close();
    server = null;
  });

  /** A stand-in for the flag server's admin API (no bug service) that records what it was asked. */
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
        if (req.url === '/bugs') res.writeHead(404).end('{"error":"not found"}');
        else if (req.method === 'GET' && req.url === '/admin/state') res.end(JSON.stringify(state));
        else res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, calls };
  }

  const stages = ['week1', 'week2', 'week3', 'week4'].map((name) => ({ name }));

  it("judges the flag server's current stage, not the latest data", async () => {
    const admin = await flagServer({ on: true, activeStage: 'week1', stages, killed: [] });
    const later = file('two.ndjson', [
      ...stageEvents(2000, 2, 100),
      ...stageEvents(100, 0, 0, 'week0').map((e) => ({ ...e, receivedAt: e.receivedAt! + 60 * HOUR })),
    ]);
    const x = io({ fetch });
    expect(await runGateCli(['--events', later, '--admin', admin.url], x)).toBe(EXIT.rollback);
    expect(x.captured.out).toMatch(/stage week1 \(from the flag server's current stage/);
  });

  it('turns the flag off on a rollback', async () => {
    const admin = await flagServer({ on: true, activeStage: 'week1', stages, killed: [] });
    const x = io({ fetch });
    expect(
      await runGateCli(
        ['--events', rollbackFile, '--apply', '--admin', admin.url, '--admin-token', 't0k'],
        x,
      ),
    ).toBe(EXIT.rollback);
    expect(admin.calls.map((c) => [c.method, c.url, c.body, c.auth])).toEqual([
      ['GET', '/admin/state', undefined, 'Bearer t0k'],
      ['GET', '/bugs', undefined, 'Bearer t0k'],
      ['POST', '/admin/flag', expect.objectContaining({ on: false, source: 'gate' }), 'Bearer t0k'],
    ]);
    // The audit trail learns why: the decision with the comparison that triggered it.
    const body = admin.calls[2]!.body as { reason: string; evidence: { triggers: string[] } };
    expect(body.reason).toMatch(/^token-rollout gate: roll back \(flag off\) at week1: /);
    expect(body.evidence.triggers).toContain('error-rate');
    expect(x.captured.out).toMatch(/flag server: POST .*\/admin\/flag \{"on":false\}/);
    expect(x.captured.out).toMatch(/P1 bugs in the last 24 h: 0 \(not checked: no bug service at/);
  });

  it('moves to the next stage on an advance', async () => {
    const admin = await flagServer({ on: true, activeStage: 'week1', stages, killed: [] });
    const x = io({ fetch });
    expect(await runGateCli(['--events', advanceFile, '--apply', '--admin', admin.url], x)).toBe(EXIT.ok);
    expect(admin.calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['GET', '/admin/state', undefined],
      ['GET', '/bugs', undefined],
      ['GET', '/admin/state', undefined],
      ['POST', '/admin/stage', expect.objectContaining({ stage: 'week2', source: 'gate' })],
    ]);
  });

  it('refuses to advance a --stage the flag server is no longer on', async () => {
    const admin = await flagServer({ on: true, activeStage: 'week2', stages, killed: [] });
    const x = io({ fetch });
    await runGateCli(['--events', advanceFile, '--stage', 'week1', '--apply', '--admin', admin.url], x);
    expect(admin.calls.map((c) => c.method)).toEqual(['GET', 'GET']);
    expect(x.captured.out).toMatch(/advance refused: the flag server is on week2, the data judged week1/);
  });

  it('does nothing on a hold', async () => {
    const admin = await flagServer({ on: true, activeStage: 'week1', stages, killed: [] });
    await runGateCli(['--events', holdFile, '--apply', '--admin', admin.url], io({ fetch }));
    expect(admin.calls.map((c) => c.method)).toEqual(['GET', 'GET']);
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
    expect(x.captured.out).toMatch(/dry run: add --send/);
  });

  const flag = {
    key: 'design-tokens-v2',
    variations: [
      { _id: 'off-id', value: null },
      { _id: 'w1-id', value: { stage: 'week1', week1: { percentage: 5 }, week2: { percentage: 25 } } },
      { _id: 'w2-id', value: { stage: 'week2', week1: { percentage: 5 }, week2: { percentage: 25 } } },
    ],
    environments: { production: { on: true, fallthrough: { variation: 1 } } },
  };

  it('reads the served stage, sends the rollback with --send, the token in the header and never in the output', async () => {
    const x = io({ env: { LD_API_TOKEN: 'api-secret-123' } }, (_url, method) =>
      method === 'GET' ? flag : {},
    );
    await runGateCli(['--events', rollbackFile, ...ld, '--send'], x);
    expect(x.captured.requests.map((r) => r.method)).toEqual(['GET', 'PATCH']);
    const sent = x.captured.requests[1]!;
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
    expect(x.captured.out).toMatch(/stage week1 \(from LaunchDarkly's current stage \(production\)\)/);
  });

  it('advances by pointing the fallthrough at the next stage variation, read from the flag', async () => {
    const x = io({ env: { LD_API_TOKEN: 'tok' } }, () => flag);
    await runGateCli(['--events', advanceFile, ...ld], x);
    // The GETs are read-only, so a dry run resolves the stage and the variation id; the PATCH is only printed.
    expect(x.captured.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET https://app.launchdarkly.com/api/v2/flags/web/design-tokens-v2?env=production',
      'GET https://app.launchdarkly.com/api/v2/flags/web/design-tokens-v2?env=production',
    ]);
    expect(x.captured.out).toContain('"kind": "updateFallthroughVariationOrRollout"');
    expect(x.captured.out).toContain('"variationId": "w2-id"');
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
    const text = await collectorStatistics(stageEvents(3000, 3, 3));
    let calls = 0;
    const flaky = (async (input: string | URL | Request) => {
      if (String(input).endsWith('/bugs')) return new Response('', { status: 404 });
      calls++;
      return calls === 1 ? new Response('down', { status: 503 }) : new Response(text, { status: 200 });
    }) as unknown as typeof fetch;
    const x = io({ fetch: flaky });
    expect(await runGateCli(['--collector', 'http://c.test', '--watch', '--count', '2'], x)).toBe(EXIT.ok);
    expect(x.captured.err).toMatch(/GET http:\/\/c\.test\/gate\/statistics failed: 503/);
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

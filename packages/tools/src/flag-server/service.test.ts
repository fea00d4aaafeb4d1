import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRolloutConfig } from 'token-rollout/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STATE_FILE } from './persist.js';
import { type FlagServer, startFlagServer } from './server.js';

const FLAGS = join(import.meta.dirname, '../../flags');
let dir: string;
let server: FlagServer;

const ctx = (c: object) => Buffer.from(JSON.stringify(c)).toString('base64url');
const admin = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Reads SSE events from a streaming response until `count` events arrived. */
async function readEvents(res: Response, count: number) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: { event: string; data: unknown }[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event) events.push({ event, data: data ? JSON.parse(data) : null });
      end = buffer.indexOf('\n\n');
    }
  }
  return { events, cancel: () => reader.cancel() };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flag-server-'));
  await cp(FLAGS, join(dir, 'flags'), { recursive: true });
  server = await startFlagServer({ flagsDir: join(dir, 'flags'), dataDir: join(dir, 'data') });
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('client-side SDK routes', () => {
  it('GET /sdk/evalx answers every flag in the evalx format, with relay-style CORS', async () => {
    const res = await fetch(`${server.url}/sdk/evalx/env-1/contexts/${ctx({ kind: 'user', key: 'u1' })}`, {
      headers: { origin: 'http://app.test' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await res.json()) as Record<string, { value: unknown; variation: number; version: number }>;
    expect(Object.keys(body)).toHaveLength(9);
    expect(body['design-tokens-v2.checkout']).toEqual({
      value: true,
      variation: 0,
      version: 1,
      flagVersion: 1,
    });
    const config = body['design-tokens-v2']?.value;
    expect(parseRolloutConfig(config).ok).toBe(true);
  });

  it('REPORT /sdk/evalx takes the context as the body and includes reasons when asked', async () => {
    const res = await fetch(`${server.url}/sdk/evalx/env-1/context?withReasons=true`, {
      method: 'REPORT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'user', key: 'u2' }),
    });
    const body = (await res.json()) as Record<string, { reason?: unknown }>;
    expect(body['design-tokens-v2']?.reason).toEqual({ kind: 'FALLTHROUGH' });
  });

  it('answers the preflight for REPORT and the LaunchDarkly headers', async () => {
    const res = await fetch(`${server.url}/eval/env-1`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.test',
        'access-control-request-method': 'REPORT',
        'access-control-request-headers': 'x-launchdarkly-user-agent,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('REPORT');
    expect(res.headers.get('access-control-allow-headers')).toContain('X-LaunchDarkly-Payload-ID');
  });

  it('refuses a context that is not base64url JSON with a 400 naming it', async () => {
    const res = await fetch(`${server.url}/sdk/evalx/env-1/contexts/%%%not-base64`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/base64url-encoded JSON/);
  });

  it('accepts analytics events and serves empty goals', async () => {
    const events = await fetch(`${server.url}/events/bulk/env-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ kind: 'custom', key: 'fcp', metricValue: 900 }]),
    });
    expect(events.status).toBe(202);
    expect(server.service.events()).toEqual([{ kind: 'custom', key: 'fcp', metricValue: 900 }]);
    expect(await (await fetch(`${server.url}/sdk/goals/env-1`)).json()).toEqual([]);
  });

  it('streams put, then a patch to every open stream as soon as an admin change lands', async () => {
    const a = await fetch(`${server.url}/eval/env-1/${ctx({ kind: 'user', key: 'a', region: 'AU' })}`);
    const b = await fetch(`${server.url}/eval/env-1/${ctx({ kind: 'user', key: 'b' })}`);
    expect(a.headers.get('content-type')).toMatch(/text\/event-stream/);
    const pa = readEvents(a, 2);
    const pb = readEvents(b, 2);
    await new Promise((r) => setTimeout(r, 50));
    expect((await admin('POST', '/admin/flag', { on: false })).status).toBe(200);
    for (const stream of [await pa, await pb]) {
      expect(stream.events[0]?.event).toBe('put');
      expect(stream.events[1]).toEqual({
        event: 'patch',
        data: { key: 'design-tokens-v2', value: null, variation: 0, version: 2, flagVersion: 2 },
      });
      await stream.cancel();
    }
  });

  it('sends ping to /ping streams on a change', async () => {
    const res = await fetch(`${server.url}/ping/env-1`);
    const pending = readEvents(res, 2);
    await new Promise((r) => setTimeout(r, 50));
    await admin('POST', '/admin/families/cards', { killed: true });
    const { events, cancel } = await pending;
    expect(events.map((e) => e.event)).toEqual(['ping', 'ping']);
    await cancel();
  });
});

describe('admin API', () => {
  it('reports the state: on, active stage, stages, killed families, version', async () => {
    const state = await (await admin('GET', '/admin/state')).json();
    expect(state).toMatchObject({
      flagKey: 'design-tokens-v2',
      on: true,
      version: 1,
      activeStage: 'week1',
      killed: [],
    });
    expect(state.stages.map((s: { name: string; percentage: number }) => [s.name, s.percentage])).toEqual([
      ['week1', 5],
      ['week2', 25],
      ['week3', 50],
      ['week4', 100],
    ]);
  });

  it('changes stage, percentage, regions and kill switches, bumping the version each time', async () => {
    expect((await admin('POST', '/admin/stage', { stage: 'week2' })).status).toBe(200);
    const patched = await admin('PATCH', '/admin/stages/week2', {
      percentage: 30,
      regions: ['AU', 'NZ', 'CA', 'GB'],
    });
    const state = await patched.json();
    expect(state.activeStage).toBe('week2');
    expect(state.version).toBe(3);
    expect(state.stages[1]).toMatchObject({ percentage: 30, regions: ['AU', 'NZ', 'CA', 'GB'] });
    const killed = await (await admin('POST', '/admin/families/checkout', { killed: true })).json();
    expect(killed.killed).toEqual(['checkout']);
    const restored = await (await admin('POST', '/admin/families/checkout', { killed: false })).json();
    expect(restored.killed).toEqual([]);
    const res = await fetch(`${server.url}/sdk/evalx/e/contexts/${ctx({ kind: 'user', key: 'x' })}`);
    const flags = (await res.json()) as Record<string, { value: unknown; version: number }>;
    expect(flags['design-tokens-v2.checkout']).toMatchObject({ value: true, version: 3 });
  });

  it('refuses invalid changes with a reason and a path, and applies nothing', async () => {
    const before = await (await admin('GET', '/admin/state')).json();
    const cases: [string, string, unknown, number, RegExp, string][] = [
      ['PATCH', '/admin/stages/week2', { percentage: 101 }, 400, /0 to 100/, '$.percentage'],
      [
        'PATCH',
        '/admin/stages/week2',
        { regions: ['AU', 'Atlantis'] },
        400,
        /Atlantis/,
        '$.week2.regions[1]',
      ],
      [
        'PATCH',
        '/admin/stages/week2',
        { components: ['buttons', 'widgets'] },
        400,
        /widgets/,
        '$.week2.components[1]',
      ],
      ['PATCH', '/admin/stages/week9', { percentage: 1 }, 404, /does not exist/, '$["week9"]'],
      ['POST', '/admin/stage', { stage: 'week9' }, 400, /week1/, '$.stage'],
      ['POST', '/admin/flag', { on: 'yes' }, 400, /true or false/, '$.on'],
      ['POST', '/admin/families/widgets', { killed: true }, 404, /unknown family/, '$'],
    ];
    for (const [method, path, body, status, message, where] of cases) {
      const res = await admin(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(status);
      const error = (await res.json()) as { error: string; path: string };
      expect(error.error).toMatch(message);
      expect(error.path).toBe(where);
    }
    expect(await (await admin('GET', '/admin/state')).json()).toEqual(before);
  });

  it('refuses bad JSON, a wrong content type and bodies over 64 KB', async () => {
    const bad = await fetch(`${server.url}/admin/flag`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"on": fal',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not valid JSON/);
    const text = await fetch(`${server.url}/admin/flag`, { method: 'POST', body: '{"on": false}' });
    expect(text.status).toBe(415);
    const big = await admin('POST', '/admin/flag', { on: false, padding: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(server.service.state().on).toBe(true);
  });

  it('persists changes atomically; they survive a restart and override flags/', async () => {
    await admin('POST', '/admin/stage', { stage: 'week3' });
    await admin('POST', '/admin/flag', { on: false });
    const file = JSON.parse(await readFile(join(dir, 'data', STATE_FILE), 'utf8'));
    expect(file.flags['design-tokens-v2'].on).toBe(false);
    // Only changed flags are kept: an edit to another definition file still applies after a restart.
    expect(Object.keys(file.flags)).toEqual(['design-tokens-v2']);
    const formsFile = join(dir, 'flags', 'design-tokens-v2.forms.json');
    const forms = JSON.parse(await readFile(formsFile, 'utf8'));
    await writeFile(formsFile, JSON.stringify({ ...forms, on: false }));
    await server.close();
    server = await startFlagServer({ flagsDir: join(dir, 'flags'), dataDir: join(dir, 'data') });
    expect(server.service.state()).toMatchObject({
      on: false,
      activeStage: 'week3',
      version: 3,
      killed: ['forms'],
    });
    await admin('POST', '/admin/flag', { on: true });
    expect(server.service.state()).toMatchObject({ on: true, version: 4 });
  });

  it('needs the bearer token when one is set', async () => {
    await server.close();
    server = await startFlagServer({
      flagsDir: join(dir, 'flags'),
      dataDir: join(dir, 'data'),
      adminToken: 's3cret',
    });
    expect((await admin('GET', '/admin/state')).status).toBe(401);
    expect(
      (await admin('POST', '/admin/flag', { on: false }, { authorization: 'Bearer wrong' })).status,
    ).toBe(401);
    expect(
      (await admin('POST', '/admin/flag', { on: false }, { authorization: 'Bearer s3cret' })).status,
    ).toBe(200);
  });

  it('refuses to bind a non-loopback host without a token', async () => {
    await expect(
      startFlagServer({ flagsDir: join(dir, 'flags'), dataDir: join(dir, 'data'), host: '0.0.0.0' }),
    ).rejects.toThrow(/without an admin token/);
  });
});

describe('flag definitions', () => {
  it('serves an invalid rollout config (apps fall back to v1) but logs where it is wrong', async () => {
    const file = join(dir, 'flags', 'design-tokens-v2.json');
    const flag = JSON.parse(await readFile(file, 'utf8'));
    flag.variations[1].week1.percentage = 'five';
    await writeFile(file, JSON.stringify(flag));
    const lines: string[] = [];
    const other = await startFlagServer({
      flagsDir: join(dir, 'flags'),
      dataDir: join(dir, 'd3'),
      log: (l) => lines.push(l),
    });
    try {
      expect(lines.join('\n')).toMatch(/warning: the rollout config is invalid at \$\.week1\.percentage/);
      expect(other.service.state().errors[0]?.path).toBe('$.week1.percentage');
    } finally {
      await other.close();
    }
  });

  it('names the file and field of a broken definition', async () => {
    await writeFile(
      join(dir, 'flags', 'broken.json'),
      JSON.stringify({ key: 'x', on: true, variations: [] }),
    );
    await expect(
      startFlagServer({ flagsDir: join(dir, 'flags'), dataDir: join(dir, 'data2') }),
    ).rejects.toThrow(/broken\.json: \$\.variations: must be a non-empty array/);
  });
});

import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricEvent } from 'token-rollout/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sampleSession } from '../../../../test-support/collector/sample-events.js';
import { mulberry32 } from '../../../../test-support/random.js';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import type { AggregateSummary } from './aggregates.js';
import { deriveIngestKey } from './auth.js';
import { createCollector } from './collector.js';
import { type CollectorServer, isLoopback, startCollectorServer } from './server.js';

const dirs = tempDirs('collector-http-');
const tempDir = () => dirs.make();
afterAll(() => dirs.removeAll());
const open: CollectorServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** The collector's clock in these tests: every accepted event is stamped with it. */
const RECEIVED_AT = 1_700_000_500_000;

async function start(options: Partial<Parameters<typeof startCollectorServer>[0]> = {}) {
  const server = await startCollectorServer({ dataDir: tempDir(), now: () => RECEIVED_AT, ...options });
  open.push(server);
  return server;
}

const event: MetricEvent = {
  name: 'fcp',
  value: 900,
  arm: 'v2',
  family: 'buttons',
  stage: 'week1',
  configVersion: 'c1',
  region: 'AU',
  user: 'a1b2c3d4e5f60718',
  session: 's-1',
  ts: 1_700_000_000_000,
  assignment: 'treatment',
  bucket: 0.01,
};

function post(url: string, body: string, type = 'text/plain;charset=UTF-8') {
  return fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
}

async function exported(
  server: CollectorServer,
  headers: Record<string, string> = {},
): Promise<MetricEvent[]> {
  const res = await fetch(`${server.url}/events/export`, { headers });
  expect(res.headers.get('content-type')).toContain('application/x-ndjson');
  const text = await res.text();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as MetricEvent);
}

describe('POST /collect', () => {
  it('stores a beacon batch and answers what it accepted', async () => {
    const server = await start();
    const batch = sampleSession(mulberry32(1), 'a', 1_700_000_000_000);
    const res = await post(`${server.url}/collect`, JSON.stringify(batch));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ accepted: batch.length, rejected: 0, errors: [] });
    // Read back as sent, plus the collector's receive time and an id (from the content: none was sent).
    expect(await exported(server)).toEqual(
      batch.map((e) => ({ ...e, receivedAt: RECEIVED_AT, id: expect.stringMatching(/^c-[\w-]{24}$/) })),
    );
    const health = (await (await fetch(`${server.url}/health`)).json()) as { ok: boolean; events: number };
    expect(health).toMatchObject({ ok: true, events: batch.length, engine: 'duckdb' });
  });

  it('keeps the valid events of a mixed batch and says what was wrong with the others', async () => {
    const server = await start();
    const batch = [
      event,
      { ...event, value: 'slow' },
      { ...event, name: 'lcp' },
      { ...event, region: 'Australia' },
    ];
    const res = await post(`${server.url}/collect`, JSON.stringify(batch), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 2,
      rejected: 2,
      errors: [
        '[1].value: expected a number for fcp, got string',
        '[3].region: expected an ISO 3166-1 alpha-2 code (or "" when unknown), got "Australia"',
      ],
    });
    expect((await exported(server)).map((e) => e.name)).toEqual(['fcp', 'lcp']);
  });

  it('answers 400 with the reasons when nothing is valid, and stores nothing', async () => {
    const server = await start();
    const res = await post(`${server.url}/collect`, JSON.stringify([{ ...event, arm: 'v3' }, 42]));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      accepted: 0,
      rejected: 2,
      errors: [
        '[0].arm: expected "v1", "v2" or "mixed", got string',
        '[1]: expected an event object, got number',
      ],
    });
    const notArray = await post(`${server.url}/collect`, JSON.stringify(event));
    expect(notArray.status).toBe(400);
    expect(((await notArray.json()) as { errors: string[] }).errors).toEqual([
      '$: expected a JSON array of events, got object',
    ]);
    expect(await exported(server)).toEqual([]);
  });

  it('answers 400 with the position of a JSON syntax error', async () => {
    const server = await start();
    const res = await post(`${server.url}/collect`, '[{"name":"fcp",\n "value":}]');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid JSON at position 25 (line 2, column 10): expected a value',
      position: 25,
      line: 2,
      column: 10,
    });
    const bytes = await fetch(`${server.url}/collect`, {
      method: 'POST',
      body: new Uint8Array([0x5b, 0xff, 0x5d]),
    });
    expect(bytes.status).toBe(400);
    expect(await bytes.json()).toEqual({ error: 'request body is not valid UTF-8' });
  });

  it('refuses a body over the size limit with 413, with or without Content-Length', async () => {
    const server = await start({ maxBodyBytes: 2000 });
    const big = JSON.stringify(Array.from({ length: 20 }, () => event));
    const res = await post(`${server.url}/collect`, big);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: `request body of ${big.length} bytes is over the limit of 2000 bytes`,
    });

    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
      });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (c: Buffer) => {
          body += c.toString();
        });
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(big.slice(0, 1500));
      setTimeout(() => req.end(big.slice(1500)), 20);
    });
    expect(chunked.status).toBe(413);
    expect(chunked.body).toContain('over the limit of 2000 bytes');
    expect(await exported(server)).toEqual([]);
  });

  it('refuses a batch of more than maxBatch events with 413', async () => {
    const server = await start({ maxBatch: 3 });
    const res = await post(`${server.url}/collect`, JSON.stringify([event, event, event, event]));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'batch of 4 events is over the limit of 3' });
  });

  it('answers a CORS preflight from an allowed origin, and refuses other content types and methods', async () => {
    const server = await start({ allowedOrigins: ['https://shop.example'] });
    const pre = await fetch(`${server.url}/collect`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toContain('content-type');

    const form = await post(`${server.url}/collect`, 'a=1', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(((await form.json()) as { error: string }).error).toContain('send text/plain or application/json');

    const get = await fetch(`${server.url}/collect`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('reads', () => {
  it('serves aggregates per cell, with filters, and rejects bad filters by name', async () => {
    const server = await start();
    const random = mulberry32(7);
    for (let i = 0; i < 5; i++) {
      const res = await post(
        `${server.url}/collect`,
        JSON.stringify(sampleSession(random, `s${i}`, 1_700_000_000_000)),
      );
      expect(res.status).toBe(200);
    }
    const all = (await (await fetch(`${server.url}/aggregates`)).json()) as AggregateSummary;
    const stored = await exported(server);
    expect(all.events).toBe(stored.length);
    const pageViews = all.rates.reduce((sum, r) => sum + r.pageViews, 0);
    expect(pageViews).toBe(5);
    const fcp = (await (
      await fetch(`${server.url}/aggregates?metric=fcp&arm=v2`)
    ).json()) as AggregateSummary;
    expect(fcp.metrics.every((m) => m.metric === 'fcp' && m.arm === 'v2')).toBe(true);
    expect(fcp.metrics.reduce((sum, m) => sum + m.count, 0)).toBe(
      stored.filter((e) => e.name === 'fcp' && e.arm === 'v2').length,
    );
    expect(await server.collector.aggregates()).toEqual(all);

    const bad = await fetch(`${server.url}/aggregates?arm=v9`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'query parameter arm: expected v1, v2 or mixed, got "v9"' });
    const badBy = await fetch(`${server.url}/aggregates?by=family`);
    expect(badBy.status).toBe(400);
  });

  it('streams a large export in order, filtered on request', async () => {
    const server = await start();
    const random = mulberry32(11);
    const sent: MetricEvent[] = [];
    for (let b = 0; b < 20; b++) {
      const batch = Array.from({ length: 10 }, (_, i) =>
        sampleSession(random, `b${b}-${i}`, 1_700_000_000_000),
      ).flat();
      expect((await post(`${server.url}/collect`, JSON.stringify(batch))).status).toBe(200);
      sent.push(...batch);
    }
    const all = await exported(server);
    expect(all.length).toBe(sent.length);
    // Oldest first: by receive time (here one for all), then as stored (DuckDB keeps the order sent).
    expect(all.map((e) => e.session)).toEqual(sent.map((e) => e.session));
    const res = await fetch(`${server.url}/events/export?arm=v1&metric=page-view`);
    const lines = (await res.text()).split('\n').filter(Boolean);
    expect(lines.length).toBe(sent.filter((e) => e.arm === 'v1' && e.name === 'page-view').length);
  });

  it('keeps its events across a restart: the same aggregates, read from the store', async () => {
    const dataDir = tempDir();
    const first = await startCollectorServer({ dataDir });
    const random = mulberry32(3);
    for (let i = 0; i < 10; i++) {
      await post(`${first.url}/collect`, JSON.stringify(sampleSession(random, `s${i}`, 1_700_000_000_000)));
    }
    const before = await first.collector.aggregates();
    await first.close();
    const again = await createCollector({ dataDir });
    expect(await again.aggregates()).toEqual(before);
    expect(await again.store.count()).toBe(before.events);
    await again.close();
  });

  it('answers 503 once closed, and stores nothing more', async () => {
    const dataDir = tempDir();
    const server = await startCollectorServer({ dataDir });
    await server.collector.close();
    const res = await post(`${server.url}/collect`, JSON.stringify([event]));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'the collector is shutting down' });
    await server.close();
    const again = await createCollector({ dataDir });
    expect((await again.aggregates()).events).toBe(0);
    await again.close();
  });

  it('leaves requests outside its routes to the host server, and can live under a base path', async () => {
    const collector = await createCollector({ dataDir: tempDir(), basePath: '/collector' });
    const host = createServer(async (req, res) => {
      if (!(await collector.handle(req, res))) res.writeHead(418).end('host');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/collect`)).status).toBe(418);
      expect((await fetch(`${url}/collector/other`)).status).toBe(418);
      expect((await post(`${url}/collector/collect`, JSON.stringify([event]))).status).toBe(200);
      expect((await fetch(`${url}/collector/health`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => host.close(resolve));
      await collector.close();
    }
  });
});

describe('access', () => {
  it('with a token: reads need the bearer token, writes the ingest key derived from it', async () => {
    const token = 'correct-horse-battery-staple';
    const server = await start({ token });
    const key = deriveIngestKey(token);
    expect(server.collector.ingestKey).toBe(key);
    expect(key).not.toContain(token);
    expect(server.collectUrl).toBe(`${server.url}/collect?key=${key}`);

    const anonymous = await post(`${server.url}/collect`, JSON.stringify([event]));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe('*');
    expect((await post(`${server.url}/collect?key=wrong`, JSON.stringify([event]))).status).toBe(401);
    expect((await post(server.collectUrl, JSON.stringify([event]))).status).toBe(200);

    const noAuth = await fetch(`${server.url}/aggregates`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toContain('Bearer');
    expect((await fetch(`${server.url}/events/export?key=${key}`)).status).toBe(401);
    const authorization = { authorization: `Bearer ${token}` };
    expect((await fetch(`${server.url}/aggregates`, { headers: authorization })).status).toBe(200);
    expect(await exported(server, authorization)).toEqual([
      { ...event, receivedAt: RECEIVED_AT, id: expect.any(String) },
    ]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('refuses to bind beyond loopback without a token', async () => {
    await expect(startCollectorServer({ dataDir: tempDir(), host: '0.0.0.0' })).rejects.toThrow(
      'refusing to bind the collector to 0.0.0.0 without a token',
    );
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.8.9.10'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1'].some(isLoopback)).toBe(
      false,
    );
  });
});

// Network exposure of the Node servers: the flag server's admin API and the collector bind to loopback
// by default, refuse a non-loopback host without a token, require the token when set, and limit bodies.
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollectorServer } from '../packages/tools/src/collector/server.js';
import { startFlagServer } from '../packages/tools/src/flag-server/index.js';
import { copyFlags, tempDir } from './support.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((c) => c()));
});

async function flagServer(options: { host?: string; adminToken?: string } = {}) {
  const dir = await tempDir('rel-sec-flags-');
  const server = await startFlagServer({
    port: 0,
    flagsDir: await copyFlags(dir),
    dataDir: join(dir, 'data'),
    ...options,
  });
  closers.push(() => server.close());
  return server;
}

/** A raw request (so the Host header and chunked bodies are ours to choose). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (error) => {
      // The server may close the socket after answering 413 to an upload it will not read.
      if (
        (error as NodeJS.ErrnoException).code === 'EPIPE' ||
        (error as NodeJS.ErrnoException).code === 'ECONNRESET'
      ) {
        resolve({ status: -1, body: String(error) });
      } else reject(error);
    });
    if (options.body !== undefined) {
      if (options.chunked) {
        const body = Buffer.from(options.body);
        for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      } else req.write(options.body);
    }
    req.end();
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('flag server admin API', () => {
  it('binds to loopback by default', async () => {
    const server = await flagServer();
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('refuses a non-loopback host without an admin token', async () => {
    const dir = await tempDir('rel-sec-flags-');
    await expect(
      startFlagServer({ port: 0, host: '0.0.0.0', flagsDir: await copyFlags(dir), dataDir: join(dir, 'd') }),
    ).rejects.toThrow(/refusing to bind the flag server to 0\.0\.0\.0 without an admin token/);
  });

  it('with a token (any host) every admin route needs it; the SDK routes stay open', async () => {
    const server = await flagServer({ host: '0.0.0.0', adminToken: 'T0ken-1' });
    const url = `http://127.0.0.1:${server.port}`;
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: 'T0ken-1' },
    ];
    for (const headers of attempts) {
      expect((await raw(`${url}/admin/state`, { headers })).status).toBe(401);
      const flip = await raw(`${url}/admin/flag`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, ...headers },
        body: '{"on":false}',
      });
      expect(flip.status).toBe(401);
    }
    expect(server.service.state().on).toBe(true);
    const ok = await raw(`${url}/admin/flag`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, authorization: 'Bearer T0ken-1' },
      body: '{"on":false}',
    });
    expect(ok.status).toBe(200);
    expect(server.service.state().on).toBe(false);
    const ctx = Buffer.from(JSON.stringify({ kind: 'user', key: 'u1' })).toString('base64url');
    expect((await raw(`${url}/sdk/evalx/env/contexts/${ctx}`, {})).status).toBe(200);
  });

  it('without a token answers admin routes only for a loopback Host (no DNS rebinding)', async () => {
    const server = await flagServer();
    for (const host of ['evil.example', 'evil.example:80', '10.0.0.5']) {
      const res = await raw(`${server.url}/admin/flag`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, host },
        body: '{"on":false}',
      });
      expect(res.status).toBe(403);
    }
    expect(server.service.state().on).toBe(true);
    expect((await raw(`${server.url}/admin/state`, { headers: { host: 'localhost' } })).status).toBe(200);
  });

  it('refuses bodies over 64 KiB with 413 (declared or chunked) and changes nothing', async () => {
    const server = await flagServer();
    const before = JSON.stringify(server.service.state());
    const big = JSON.stringify({ on: false, pad: 'x'.repeat(70 * 1024) });
    const declared = await raw(`${server.url}/admin/flag`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: big,
    });
    expect(declared.status).toBe(413);
    const chunked = await raw(`${server.url}/admin/flag`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
      body: big,
      chunked: true,
    });
    expect([413, -1]).toContain(chunked.status);
    expect(JSON.stringify(server.service.state())).toBe(before);
    // Still serving afterwards.
    expect((await raw(`${server.url}/admin/state`, {})).status).toBe(200);
  });
});

describe('collector', () => {
  async function collector(options: { host?: string; token?: string; maxBodyBytes?: number } = {}) {
    const server = await startCollectorServer({ dataDir: await tempDir('rel-sec-col-'), ...options });
    closers.push(() => server.close());
    return server;
  }

  it('binds to loopback by default', async () => {
    expect(new URL((await collector()).url).hostname).toBe('127.0.0.1');
  });

  it('refuses a non-loopback host without a token', async () => {
    await expect(
      startCollectorServer({ dataDir: await tempDir('rel-sec-col-'), host: '0.0.0.0' }),
    ).rejects.toThrow(/refusing to bind the collector to 0\.0\.0\.0 without a token/);
  });

  it('with a token: reads need the bearer token, writes the ingest key (never the token itself)', async () => {
    const server = await collector({ host: '0.0.0.0', token: 'col-token-1' });
    const url = `http://127.0.0.1:${new URL(server.url).port}`;
    expect((await raw(`${url}/aggregates`, {})).status).toBe(401);
    expect((await raw(`${url}/events/export`, { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
    expect(
      (await raw(`${url}/aggregates`, { headers: { authorization: 'Bearer col-token-1' } })).status,
    ).toBe(200);
    const event = {
      name: 'page-view',
      value: 1,
      arm: 'v2',
      stage: 'week1',
      configVersion: 'c',
      region: 'AU',
      user: '0123456789abcdef',
      session: 's',
      ts: 1_700_000_000_000,
      assignment: 'treatment',
      bucket: 0.01,
    };
    const body = JSON.stringify([event]);
    expect((await raw(`${url}/collect`, { method: 'POST', body })).status).toBe(401);
    expect((await raw(`${url}/collect?key=wrong`, { method: 'POST', body })).status).toBe(401);
    const key = new URL(server.collectUrl).searchParams.get('key') ?? '';
    expect(key).not.toBe('');
    expect(key).not.toContain('col-token-1');
    expect(
      (await raw(`${url}/collect?key=${encodeURIComponent(key)}`, { method: 'POST', body })).status,
    ).toBe(200);
    // The ingest key cannot read.
    expect((await raw(`${url}/aggregates`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      401,
    );
  });

  it('refuses bodies over the limit with 413 (declared or chunked) and stores nothing', async () => {
    const server = await collector({ maxBodyBytes: 64 * 1024 });
    const big = JSON.stringify([{ pad: 'x'.repeat(80 * 1024) }]);
    expect((await raw(server.collectUrl, { method: 'POST', body: big })).status).toBe(413);
    const chunked = await raw(server.collectUrl, {
      method: 'POST',
      headers: { 'transfer-encoding': 'chunked' },
      body: big,
      chunked: true,
    });
    expect([413, -1]).toContain(chunked.status);
    let stored = 0;
    for await (const _ of server.collector.events()) stored++;
    expect(stored).toBe(0);
    expect((await raw(`${server.url}/health`, {})).status).toBe(200);
  });
});

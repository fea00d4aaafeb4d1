// Issue 18's hardening of the Node servers, one describe per item (1, 2, 5, 7; item 4's static paths are in
// apps/serve.test.ts and packages/tools/src/http/static-files.test.ts). Each case failed before its fix.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer } from '../apps/serve.js';
import { createCollector } from '../packages/tools/src/collector/collector.js';
import { startCollectorServer } from '../packages/tools/src/collector/server.js';
import { MAX_KEPT_BYTES } from '../packages/tools/src/flag-server/event-buffer.js';
import { startFlagServer } from '../packages/tools/src/flag-server/index.js';
import { createFlagService } from '../packages/tools/src/flag-server/service.js';
import { startServices } from '../packages/tools/src/services.js';
import { openStore } from '../packages/tools/src/store/open.js';
import type { EventStore } from '../packages/tools/src/store/types.js';
import { sampleSession } from '../test-support/collector/sample-events.js';
import { mulberry32 } from '../test-support/random.js';
import { copyFlags, tempDir } from './support.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((c) => c()));
});

/** A raw request: the Host, Origin and body are exactly ours. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          headers: res.headers,
        }),
      );
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const batch = () => JSON.stringify(sampleSession(mulberry32(5), 'hardening', 1_700_000_000_000));

async function flagsDirs() {
  const dir = await tempDir('rel-hard-flags-');
  return { flagsDir: await copyFlags(dir), dataDir: join(dir, 'data') };
}

describe('(1) network mode: tokens, the socket address and the Host header', () => {
  it('npm start -- --host 0.0.0.0 refuses to start without an admin token (and a collector token)', async () => {
    const dataDir = await tempDir('rel-hard-dev-');
    await expect(startDevServer({ host: '0.0.0.0', port: 0, dataDir })).rejects.toThrow(
      'refusing to bind the flag server and the collector to 0.0.0.0 without an admin token and a collector token',
    );
    await expect(startDevServer({ host: '0.0.0.0', port: 0, dataDir, adminToken: 'a' })).rejects.toThrow(
      /without a collector token: .*--collector-token/,
    );
  });

  // A peer on another machine: the first non-internal IPv4 address of this one (none in some sandboxes).
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(lan === undefined)(
    'a faked "Host: localhost" from a non-loopback peer does not pass the admin check',
    async () => {
      const service = await createFlagService(await flagsDirs());
      // Mounted on a server of its own on every interface (what an app embedding the service may do).
      const server = createServer((req, res) => {
        void service.handle(req, res);
      });
      await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
      closers.push(async () => {
        await service.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      });
      const { port } = server.address() as AddressInfo;
      const flip = await raw(`http://${lan}:${port}/admin/flag`, {
        method: 'POST',
        headers: { host: 'localhost', 'content-type': 'application/json' },
        body: '{"on":false}',
      });
      expect(flip.status).toBe(403);
      expect(JSON.parse(flip.body).error).toContain(`came from ${lan}`);
      expect(service.state().on).toBe(true);
    },
  );

  it('read routes (/aggregates, /events/export, /api/gate) refuse a Host that is not this server', async () => {
    const { flagsDir, dataDir } = await flagsDirs();
    const server = await startServices({ port: 0, flagsDir, dataDir });
    closers.push(() => server.close());
    for (const path of ['/aggregates', '/events/export', '/api/gate']) {
      for (const host of ['evil.example', `evil.example:${server.port}`]) {
        const res = await raw(`${server.url}${path}`, { headers: { host } });
        expect(res.status, `${path} ${host}`).toBe(403);
        expect(res.body).toContain('answers only requests addressed to this server');
      }
      expect((await raw(`${server.url}${path}`)).status, path).toBe(200);
      expect(
        (await raw(`${server.url}${path}`, { headers: { host: `localhost:${server.port}` } })).status,
      ).toBe(200);
    }
  });
});

describe('(2) who may write to the collector', () => {
  async function collector(
    options: Parameters<typeof startCollectorServer>[0] extends infer O ? Partial<O> : never,
  ) {
    const server = await startCollectorServer({ dataDir: await tempDir('rel-hard-col-'), ...options });
    closers.push(() => server.close());
    return server;
  }
  const stored = async (server: Awaited<ReturnType<typeof collector>>) =>
    (await server.collector.aggregates()).events;
  const beacon = (url: string, origin: string, host?: string) =>
    raw(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin, ...(host ? { host } : {}) },
      body: batch(),
    });

  it('refuses text/plain beacons from other sites, keeps its own origin and loopback pages by default', async () => {
    const server = await collector({});
    const own = new URL(server.url).origin;
    const evil = await beacon(server.collectUrl, 'https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(evil.body).error).toContain('pages of origin https://evil.example may not send events');
    expect((await beacon(server.collectUrl, 'null')).status).toBe(403);
    // A rebinding page is "same origin" with itself, under a name this server does not answer to.
    const port = new URL(server.url).port;
    expect(
      (await beacon(server.collectUrl, `http://evil.example:${port}`, `evil.example:${port}`)).status,
    ).toBe(403);
    expect(await stored(server)).toBe(0);
    const same = await beacon(server.collectUrl, own);
    expect(same.status).toBe(200);
    expect(same.headers['access-control-allow-origin']).toBe(own);
    expect((await beacon(server.collectUrl, 'http://localhost:3000')).status).toBe(200);
    const preflight = await raw(server.collectUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
  });

  it('with an allowlist, exactly those origins (and its own) may send', async () => {
    const server = await collector({ allowedOrigins: ['https://shop.example/'] });
    expect((await beacon(server.collectUrl, 'https://shop.example')).status).toBe(200);
    expect((await beacon(server.collectUrl, new URL(server.url).origin)).status).toBe(200);
    expect((await beacon(server.collectUrl, 'http://localhost:3000')).status).toBe(403);
    expect((await beacon(server.collectUrl, 'https://shop.example.evil')).status).toBe(403);
    await expect(collector({ allowedOrigins: ['shop.example'] })).rejects.toThrow(
      'allowed origin "shop.example" is not an http(s) origin such as https://shop.example',
    );
  });

  it('an ingest key lets server-side senders (no Origin) in, and nobody without it', async () => {
    const server = await collector({ ingestKey: 'server-side-key' });
    const post = (url: string) =>
      raw(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch() });
    expect((await post(`${server.url}/collect`)).status).toBe(401);
    expect((await post(`${server.url}/collect?key=wrong`)).status).toBe(401);
    expect((await post(`${server.url}/collect?key=server-side-key`)).status).toBe(200);
    expect(server.collectUrl).toBe(`${server.url}/collect?key=server-side-key`);
  });
});

/** Opens an SSE stream; resolves with the status and a promise that settles when the server ends it. */
function openStream(url: string) {
  return new Promise<{ status: number; ended: Promise<void>; close(): void }>((resolve, reject) => {
    const req = request(url, (res) => {
      res.resume();
      const ended = new Promise<void>((done) => res.once('close', () => done()));
      resolve({ status: res.statusCode ?? 0, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('(5) flag streams and LaunchDarkly event posts are bounded', () => {
  const ctx = Buffer.from(JSON.stringify({ kind: 'user', key: 'u1' })).toString('base64url');

  it('answers 503 beyond the stream cap, and frees a slot when a stream closes', async () => {
    const server = await startFlagServer({ ...(await flagsDirs()), maxStreams: 2 });
    closers.push(() => server.close());
    const a = await openStream(`${server.url}/eval/env/${ctx}`);
    const b = await openStream(`${server.url}/ping/env`);
    expect([a.status, b.status]).toEqual([200, 200]);
    const refused = await raw(`${server.url}/eval/env/${ctx}`);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('10');
    expect(JSON.parse(refused.body).error).toContain('2 streams open, its limit');
    a.close();
    await expect.poll(() => server.service.openStreams()).toBe(1);
    const c = await openStream(`${server.url}/eval/env/${ctx}`);
    expect(c.status).toBe(200);
    b.close();
    c.close();
  });

  it('ends a stream that carried nothing for the idle timeout (the SDK reconnects)', async () => {
    const server = await startFlagServer({ ...(await flagsDirs()), streamIdleMs: 150, heartbeatMs: 50 });
    closers.push(() => server.close());
    const stream = await openStream(`${server.url}/eval/env/${ctx}`);
    expect(stream.status).toBe(200);
    await stream.ended; // heartbeats alone do not keep it open
    await expect.poll(() => server.service.openStreams()).toBe(0);
  });

  it('/events/bulk needs the admin token when one is set', async () => {
    const server = await startFlagServer({ ...(await flagsDirs()), adminToken: 'T0ken' });
    closers.push(() => server.close());
    const post = (headers: Record<string, string>) =>
      raw(`${server.url}/events/bulk/env`, {
        method: 'POST',
        headers,
        body: '[{"kind":"custom","key":"x"}]',
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post({ authorization: 'Bearer T0ken' })).status).toBe(202);
    expect(server.service.events()).toEqual([{ kind: 'custom', key: 'x' }]);
  });

  it('keeps no oversized event and a bounded number of bytes however much is posted', async () => {
    const server = await startFlagServer(await flagsDirs());
    closers.push(() => server.close());
    const huge = JSON.stringify([{ kind: 'custom', key: 'big', data: 'x'.repeat(900 * 1024) }]);
    for (let i = 0; i < 5; i++) {
      expect((await raw(`${server.url}/events/bulk/env`, { method: 'POST', body: huge })).status).toBe(202);
    }
    expect(server.service.events()).toEqual([]);
    const medium = JSON.stringify(
      Array.from({ length: 60 }, (_, i) => ({ kind: 'custom', key: `k${i}`, data: 'y'.repeat(12 * 1024) })),
    );
    for (let i = 0; i < 5; i++) await raw(`${server.url}/events/bulk/env`, { method: 'POST', body: medium });
    const kept = server.service.events();
    expect(kept.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(kept.map((e) => JSON.stringify(e)).join(''))).toBeLessThanOrEqual(
      MAX_KEPT_BYTES,
    );
  });
});

describe('(7) health, the admin content type and the collector lock', () => {
  it('/health says not ok while appends fail (a full disk), and ok again once one succeeds', async () => {
    let full = false;
    // The event store's appends fail as a full disk makes them fail (DuckDB: an IO error on commit).
    const real = await openStore({
      engine: 'duckdb',
      path: join(await tempDir('rel-hard-health-'), 'e.duckdb'),
    });
    const store: EventStore = {
      ...real,
      append: (events) =>
        full ? Promise.reject(new Error('ENOSPC: no space left on device, write')) : real.append(events),
    };
    const server = await startCollectorServer({ dataDir: await tempDir('rel-hard-health-'), store });
    closers.push(() => server.close());
    full = true;
    expect((await raw(server.collectUrl, { method: 'POST', body: batch() })).status).toBe(503);
    const sick = await raw(`${server.url}/health`);
    expect(sick.status).toBe(503);
    expect(JSON.parse(sick.body)).toMatchObject({
      ok: false,
      writeFailure: expect.stringContaining('ENOSPC'),
    });
    full = false;
    expect((await raw(server.collectUrl, { method: 'POST', body: batch() })).status).toBe(200);
    const well = await raw(`${server.url}/health`);
    expect(well.status).toBe(200);
    expect(JSON.parse(well.body)).toMatchObject({ ok: true, writeFailure: null });
  });

  it('admin calls need exactly application/json (parameters allowed), not a type that starts with it', async () => {
    const server = await startFlagServer(await flagsDirs());
    closers.push(() => server.close());
    const flip = (type: string, on: boolean) =>
      raw(`${server.url}/admin/flag`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: JSON.stringify({ on }),
      });
    for (const type of [
      'application/jsonfoo',
      'application/json-seq',
      'text/plain',
      'application/x-www-form-urlencoded',
    ]) {
      expect((await flip(type, false)).status, type).toBe(415);
    }
    expect(server.service.state().on).toBe(true);
    expect((await flip('Application/JSON; charset=utf-8', false)).status).toBe(200);
    expect(server.service.state().on).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self/stat'))(
    'a lock left by a process that is now a zombie (killed, not yet reaped) does not block the next start',
    async () => {
      // `sh` backgrounds a child that exits a moment later, when `sh` has become `sleep`, which never
      // reaps it: a zombie, as a collector killed with -9 is until its parent reaps it.
      const parent: ChildProcess = spawn('sh', ['-c', '(sleep 0.2; exit 0) & echo $!; exec sleep 30'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      closers.push(async () => {
        parent.kill('SIGKILL');
      });
      const zombie = await new Promise<number>((resolve) =>
        parent.stdout?.once('data', (chunk: Buffer) => resolve(Number.parseInt(chunk.toString(), 10))),
      );
      await expect.poll(() => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]?.[0]).toBe('Z');
      const dataDir = await tempDir('rel-hard-lock-');
      await mkdir(dataDir, { recursive: true });
      await writeFile(join(dataDir, 'collector.lock'), String(zombie));
      // The event store (DuckDB) holds an OS file lock, which dies with its process: a lock file left
      // behind, even naming a zombie, is not consulted.
      const collector = await createCollector({ dataDir });
      closers.push(() => collector.close());
      expect(await collector.store.count()).toBe(0);
    },
  );
});

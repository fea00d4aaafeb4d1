import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { BUG_LOG_FILE } from './log.js';
import { type BugService, createBugService } from './service.js';

const dirs = tempDirs('bugs-service-');
afterAll(() => dirs.removeAll());

const NOW = Date.UTC(2026, 1, 12, 9);
let server: Server | null = null;
let service: BugService | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  await service?.close().catch(() => {});
  server = null;
  service = null;
});

async function start(options: { dataDir?: string; adminToken?: string } = {}) {
  const dataDir = options.dataDir ?? dirs.make();
  let clock = NOW;
  service = await createBugService({
    dataDir,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    now: () => clock,
  });
  const s = service;
  server = createServer((req, res) => {
    s.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end('other');
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { dataDir, port, advance: (ms: number) => (clock += ms) };
}

/** A raw request, so tests can set any Host and Content-Type. */
function call(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { [k: string]: unknown } }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...(text !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let raw = '';
        res.on('data', (c: Buffer) => {
          raw += c.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: raw.startsWith('{') ? JSON.parse(raw) : { raw } }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const p1 = (id: string) => ({ id, severity: 'P1', title: `${id} broken`, link: `https://t.test/${id}` });

describe('the bug service', () => {
  it('reports (201), lists with the server clock, and answers a retry of the same report as the first (200)', async () => {
    const { port } = await start();
    const created = await call(port, 'POST', '/bugs', p1('WEB-1'));
    expect(created.status).toBe(201);
    expect(created.json.bug).toMatchObject({
      id: 'WEB-1',
      severity: 'P1',
      reportedAt: NOW,
      receivedAt: NOW,
      withdrawnAt: null,
    });
    expect((await call(port, 'POST', '/bugs', p1('WEB-1'))).status).toBe(200);
    const list = await call(port, 'GET', '/bugs');
    expect(list).toMatchObject({ status: 200, json: { now: NOW } });
    expect(list.json.bugs).toHaveLength(1);
    expect(service!.list().map((b) => b.id)).toEqual(['WEB-1']);
  });

  it('refuses other content under a standing id (409) and a bad body with its path (400)', async () => {
    const { port } = await start();
    await call(port, 'POST', '/bugs', p1('WEB-1'));
    expect(await call(port, 'POST', '/bugs', { ...p1('WEB-1'), severity: 'P3' })).toMatchObject({
      status: 409,
      json: { path: '$.id' },
    });
    expect(await call(port, 'POST', '/bugs', { ...p1('WEB-2'), severity: 'urgent' })).toMatchObject({
      status: 400,
      json: { path: '$.severity' },
    });
    expect(await call(port, 'POST', '/bugs', '{"id": ')).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/not valid JSON/) },
    });
  });

  it('withdraws (the bug stays listed with its withdrawal time), 404 for an unknown id, and can re-open', async () => {
    const { port, advance } = await start();
    await call(port, 'POST', '/bugs', p1('WEB-1'));
    advance(60_000);
    expect(await call(port, 'DELETE', '/bugs/WEB-1')).toMatchObject({
      status: 200,
      json: { bug: { withdrawnAt: NOW + 60_000 } },
    });
    expect(await call(port, 'DELETE', '/bugs/WEB-1')).toMatchObject({
      status: 200,
      json: { bug: { withdrawnAt: NOW + 60_000 } },
    });
    expect((await call(port, 'DELETE', '/bugs/NOPE')).status).toBe(404);
    advance(60_000);
    expect(await call(port, 'POST', '/bugs', p1('WEB-1'))).toMatchObject({
      status: 201,
      json: { bug: { withdrawnAt: null, reportedAt: NOW + 120_000 } },
    });
  });

  it('survives a restart: the log is replayed, a torn last line and unreadable lines are skipped, nothing is rewritten', async () => {
    const first = await start();
    await call(first.port, 'POST', '/bugs', p1('WEB-1'));
    await call(first.port, 'POST', '/bugs', p1('WEB-2'));
    await call(first.port, 'DELETE', '/bugs/WEB-2');
    await service!.close();
    server!.close();
    const file = join(first.dataDir, BUG_LOG_FILE);
    appendFileSync(file, 'not json\n{"op":"report","id":"WEB-9","sev');
    const before = readFileSync(file, 'utf8');
    const again = await start({ dataDir: first.dataDir });
    expect(service!.list().map((b) => [b.id, b.withdrawnAt === null])).toEqual([
      ['WEB-1', true],
      ['WEB-2', false],
    ]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    await call(again.port, 'POST', '/bugs', p1('WEB-3'));
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const lines = after.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ op: 'report', id: 'WEB-3' });
  });

  it('follows the admin rules: the token when set, else loopback names only; JSON content type for writes', async () => {
    const open = await start();
    expect((await call(open.port, 'GET', '/bugs', undefined, { host: 'evil.test' })).status).toBe(403);
    expect(
      (await call(open.port, 'POST', '/bugs', JSON.stringify(p1('A-1')), { 'content-type': 'text/plain' }))
        .status,
    ).toBe(415);
    expect((await call(open.port, 'PUT', '/bugs')).status).toBe(405);
    expect((await call(open.port, 'OPTIONS', '/bugs')).status).toBe(403);
    await service!.close();
    server!.close();
    const locked = await start({ adminToken: 's3cret' });
    expect((await call(locked.port, 'GET', '/bugs')).status).toBe(401);
    expect(
      (await call(locked.port, 'GET', '/bugs', undefined, { authorization: 'Bearer nope' })).status,
    ).toBe(401);
    expect(
      (
        await call(locked.port, 'GET', '/bugs', undefined, {
          authorization: 'Bearer s3cret',
          host: 'rollout.example',
        })
      ).status,
    ).toBe(200);
  });

  it('leaves other paths to the server it is mounted on, and answers 503 once closed', async () => {
    const { port } = await start();
    expect(await call(port, 'GET', '/bugsy')).toMatchObject({ status: 404, json: { raw: 'other' } });
    await service!.close();
    expect((await call(port, 'GET', '/bugs')).status).toBe(503);
  });
});

describe('the log file', () => {
  it('is JSON Lines, one record per change, readable by anything', async () => {
    const { dataDir, port } = await start();
    await call(port, 'POST', '/bugs', p1('WEB-1'));
    await call(port, 'DELETE', '/bugs/WEB-1');
    const lines = readFileSync(join(dataDir, BUG_LOG_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.op)).toEqual(['report', 'withdraw']);
  });
});

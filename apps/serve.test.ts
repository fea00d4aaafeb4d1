// `npm start` on the tools' server composition: its options are checked like every command's, a network
// bind needs the tokens, the page is pointed at the origin the browser used (never 0.0.0.0), and the token
// files cannot be used to read anything outside dist/tokens (issue 18, items 1 and 4).
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { HelpRequested, UsageError } from 'token-rollout-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../test-support/temp-dirs.js';
import { type DevServer, parseStartArgs, startDevServer } from './serve.js';

const dirs = tempDirs('dev-server-');
afterAll(() => dirs.removeAll());

/** A GET with the path and Host exactly as written. */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((done, fail) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('npm start options', () => {
  it('are checked: the port (from --port or PORT), unknown options, --help', () => {
    expect(parseStartArgs([], {})).toMatchObject({
      port: 4173,
      host: '127.0.0.1',
      dataDir: resolve('.data'),
    });
    expect(parseStartArgs(['--port', '0'], { PORT: '5000' })).toMatchObject({ port: 0 });
    expect(parseStartArgs([], { PORT: '5000' })).toMatchObject({ port: 5000 });
    expect(() => parseStartArgs(['--port', '99999'], {})).toThrow(UsageError);
    expect(() => parseStartArgs(['--port', 'abc'], {})).toThrow(
      'npm start --: --port must be an integer from 0 to 65535, got "abc"',
    );
    expect(() => parseStartArgs([], { PORT: 'x' })).toThrow('--port must be an integer');
    expect(() => parseStartArgs(['--prot', '1'], {})).toThrow('unknown option --prot');
    expect(() => parseStartArgs(['--help'], {})).toThrow(HelpRequested);
  });
});

const built = existsSync(resolve('dist/tokens/manifest.json'));

describe.skipIf(!built)('npm start on every interface, with tokens', () => {
  let server: DevServer;
  let port: string;
  beforeAll(async () => {
    // A copy of the token build with a sibling a prefix check would serve, and a symlink out.
    const base = dirs.make();
    const tokensDir = join(base, 'tokens');
    cpSync(resolve('dist/tokens'), tokensDir, { recursive: true });
    writeFileSync(join(base, 'tokens-secret.txt'), 'SECRET-CONTENT');
    mkdirSync(join(base, 'elsewhere'));
    writeFileSync(join(base, 'elsewhere', 'passwd'), 'ROOT-ENTRY');
    symlinkSync(join(base, 'elsewhere', 'passwd'), join(tokensDir, 'passwd.css'));
    server = await startDevServer({
      host: '0.0.0.0',
      port: 0,
      dataDir: join(base, 'data'),
      tokensDir,
      adminToken: 'admin-secret',
      collectorToken: 'collector-secret',
    });
    port = new URL(server.urls.demo).port;
  }, 120_000);
  afterAll(() => server?.close());

  it('prints URLs a browser can open, and points the page at the origin it was requested at', async () => {
    expect(server.urls.demo).toBe(`http://127.0.0.1:${port}/`);
    const page = await get(server.urls.demo, { host: `127.0.0.1:${port}` });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('0.0.0.0');
    const config = JSON.parse(
      /<script type="application\/json" id="demo-config">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '{}',
    );
    expect(config).toMatchObject({
      flagOrigin: `http://127.0.0.1:${port}`,
      manifestUrl: `http://127.0.0.1:${port}/tokens/manifest.json`,
    });
    // Beacons carry the ingest key derived from the collector token (never the token itself).
    expect(config.collectUrl).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${port}/collect\\?key=[\\w-]{32}$`),
    );
    expect(page.body).not.toContain('collector-secret');
    // A Host the server does not answer to is not reflected into the page.
    const rebound = await get(server.urls.demo, { host: `evil.example:${port}` });
    expect(rebound.body).not.toContain('evil.example');
  });

  it('reads need the collector token and admin calls the admin token', async () => {
    expect((await get(`${server.urls.collector}`)).status).toBe(401);
    expect((await get(`http://127.0.0.1:${port}/api/gate`)).status).toBe(401);
    expect((await get(server.urls.flags)).status).toBe(401);
    expect((await get(server.urls.flags, { authorization: 'Bearer admin-secret' })).status).toBe(200);
  });

  it('token paths stay inside the token build: traversal and symlinks 404, a directory 404, a bad escape 400', async () => {
    const base = `http://127.0.0.1:${port}`;
    expect((await get(`${base}/tokens/manifest.json`)).status).toBe(200);
    for (const path of [
      '/tokens/..%2ftokens-secret.txt',
      '/tokens/..%2F..%2Felsewhere%2Fpasswd',
      '/tokens/passwd.css',
    ]) {
      const res = await get(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toMatch(/SECRET-CONTENT|ROOT-ENTRY/);
    }
    expect((await get(`${base}/tokens/`)).status).toBe(404);
    expect((await get(`${base}/tokens/%`)).status).toBe(400);
  });
});

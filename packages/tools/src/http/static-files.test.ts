import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { type HttpServer, startHttpServer } from './server.js';
import { createStaticFiles } from './static-files.js';

const dirs = tempDirs('static-files-');
let server: HttpServer;
let base: string;

/** A GET with the path exactly as written (fetch would normalise `..` and escapes away). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

beforeAll(async () => {
  base = dirs.make();
  const tokens = join(base, 'tokens');
  mkdirSync(join(tokens, 'v2'), { recursive: true });
  writeFileSync(join(tokens, 'v2', 'core.abc.css'), ':root{--x:1}');
  writeFileSync(join(tokens, 'manifest.json'), '{"schema":1}');
  // A sibling whose name starts with the served directory's: a prefix check would serve it.
  writeFileSync(join(base, 'tokens-secret.txt'), 'SECRET-CONTENT');
  writeFileSync(join(base, 'outside.txt'), 'OUTSIDE-CONTENT');
  symlinkSync(join(base, 'outside.txt'), join(tokens, 'link-out.css'));
  symlinkSync(join(tokens, 'v2', 'core.abc.css'), join(tokens, 'link-in.css'));
  mkdirSync(join(base, 'site', 'docs'), { recursive: true });
  writeFileSync(join(base, 'site', 'docs', 'index.html'), '<p>docs</p>');
  server = await startHttpServer({
    mounts: [
      {
        name: 'tokens',
        handle: createStaticFiles({
          root: tokens,
          prefix: '/tokens/',
          gzip: true,
          cacheControl: (f) => (f.endsWith('.json') ? 'no-cache' : 'immutable'),
        }),
      },
      { name: 'site', handle: createStaticFiles({ root: join(base, 'site'), index: true }) },
    ],
  });
});
afterAll(async () => {
  await server.close();
  dirs.removeAll();
});

describe('static files', () => {
  it('serves files under the prefix with their type and cache policy, gzip when accepted', async () => {
    const css = await get('/tokens/v2/core.abc.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('immutable');
    expect(css.body.toString()).toBe(':root{--x:1}');
    const zipped = await get('/tokens/manifest.json', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(zipped.body).toString()).toBe('{"schema":1}');
    expect((await get('/tokens/link-in.css')).status).toBe(200);
  });

  it('never leaves the directory: encoded traversal, absolute paths and symlinks out are 404', async () => {
    for (const path of [
      '/tokens/..%2ftokens-secret.txt',
      '/tokens/..%2F..%2Fetc%2Fpasswd',
      '/tokens/%2e%2e/tokens-secret.txt',
      '/tokens/..%5coutside.txt',
      '/tokens//etc/passwd',
      '/tokens/link-out.css',
      '/tokens/v2%00.css',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.toString()).not.toMatch(/SECRET-CONTENT|OUTSIDE-CONTENT/);
    }
  });

  it('answers a directory with 404 (not 500), and a malformed escape with 400 (not 500)', async () => {
    expect((await get('/tokens/')).status).toBe(404);
    expect((await get('/tokens/v2')).status).toBe(404);
    const bad = await get('/tokens/%');
    expect(bad.status).toBe(400);
    expect(bad.body.toString()).toContain('malformed URL escape');
    expect((await get('/tokens/%E0%A4%A')).status).toBe(400);
  });

  it('serves index.html for a directory where indexes are on, and leaves other prefixes alone', async () => {
    const docs = await get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.body.toString()).toBe('<p>docs</p>');
    expect((await get('/nothing-here')).status).toBe(404);
  });
});

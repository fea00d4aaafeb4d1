// Files from one directory under a URL prefix (the built tokens at /tokens/, a test server's root). A path
// is decoded once and must stay inside the directory after symlinks are resolved: `..%2f`, an absolute
// path or a symlink to /etc/passwd is 404. A malformed escape is 400; a directory is 404 unless indexes are on.
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { type MemoryAsset, memoryAsset, sendMemoryAsset } from './send.js';
import type { Handler } from './server.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Options of `createStaticFiles`. */
export interface StaticFilesOptions {
  /** The directory served. */
  root: string;
  /** The URL path prefix it is served under, ending in `/` (default `/`). */
  prefix?: string;
  /** Answer a directory with its `index.html` (default false: a directory is 404). */
  index?: boolean;
  /** Cache-Control for a file, by its absolute path (default `no-store`). */
  cacheControl?: (file: string) => string;
  /** Extra headers on every file answer. */
  headers?: Record<string, string>;
  /** Gzip for clients that accept it, keeping each file compressed in memory (for small files). */
  gzip?: boolean;
}

/** Where a request path points inside the root, or the status to answer instead. */
type Located = { ok: true; file: string } | { ok: false; status: 400 | 404; error: string };

/** True when `path` is `dir` or inside it (a whole-segment check: `/a/bc` is not inside `/a/b`). */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'ENAMETOOLONG']);

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch (error) {
    if (MISSING.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
}

/** Resolves `rest` (the URL path after the prefix, still encoded) to a regular file inside `root`. */
async function locate(root: string, rest: string, index: boolean): Promise<Located> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return { ok: false, status: 400, error: `malformed URL escape in "${rest.slice(0, 100)}"` };
  }
  const notFound: Located = { ok: false, status: 404, error: `not found: ${rest.slice(0, 100)}` };
  if (decoded.includes('\0')) return notFound;
  const joined = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  if (!isInside(root, joined)) return notFound;
  let real = await realOrNull(joined);
  // The real path, not the requested one, must be inside: a symlink may point anywhere.
  if (real === null || !isInside(root, real)) return notFound;
  let info = await stat(real);
  if (info.isDirectory()) {
    if (!index) return notFound;
    real = await realOrNull(join(real, 'index.html'));
    if (real === null || !isInside(root, real)) return notFound;
    info = await stat(real);
  }
  return info.isFile() ? { ok: true, file: real } : notFound;
}

/** The handler serving `options.root` under `options.prefix` (GET and HEAD). */
export function createStaticFiles(options: StaticFilesOptions): Handler {
  const prefix = options.prefix ?? '/';
  const cacheControl = options.cacheControl ?? (() => 'no-store');
  let rootReal: Promise<string> | null = null;
  const zipped = new Map<string, { mtimeMs: number; size: number; asset: MemoryAsset }>();

  async function sendGzip(req: IncomingMessage, res: ServerResponse, file: string, type: string) {
    const info = await stat(file);
    let entry = zipped.get(file);
    if (!entry || entry.mtimeMs !== info.mtimeMs || entry.size !== info.size) {
      entry = { mtimeMs: info.mtimeMs, size: info.size, asset: memoryAsset(type, await readFile(file)) };
      zipped.set(file, entry);
    }
    sendMemoryAsset(req, res, entry.asset, cacheControl(file), options.headers);
  }

  return async (req, res) => {
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (!rawPath.startsWith(prefix)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end(`${req.method} not allowed`);
      return true;
    }
    rootReal ??= realpath(resolve(options.root));
    const where = await locate(await rootReal, rawPath.slice(prefix.length), options.index ?? false);
    if (!where.ok) {
      res.writeHead(where.status, { 'content-type': 'text/plain; charset=utf-8' }).end(where.error);
      return true;
    }
    const type = TYPES[extname(where.file)] ?? 'application/octet-stream';
    if (options.gzip) {
      await sendGzip(req, res, where.file, type);
      return true;
    }
    const info = await stat(where.file);
    res.writeHead(200, {
      'content-type': type,
      'content-length': String(info.size),
      'cache-control': cacheControl(where.file),
      ...options.headers,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(where.file).pipe(res);
    return true;
  };
}

// Answers the tools' servers send: JSON, and in-memory files gzip-compressed once for every client that
// accepts it (the demo's pages and scripts, the token CSS).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** A JSON answer that is never cached. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** A file held in memory, with its gzip form computed once. */
export interface MemoryAsset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

/** Wraps `content` (text or bytes) of MIME `type` as a `MemoryAsset`. */
export function memoryAsset(type: string, content: string | Buffer): MemoryAsset {
  const body = Buffer.from(content);
  return { type, body, gzip: gzipSync(body, { level: 9 }) };
}

/** Sends `asset` with `cache` as Cache-Control, gzip-compressed when the client accepts it. */
export function sendMemoryAsset(
  req: IncomingMessage,
  res: ServerResponse,
  asset: MemoryAsset,
  cache: string,
  headers: Record<string, string> = {},
): void {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  res.writeHead(200, {
    'content-type': asset.type,
    'content-length': String(gzip ? asset.gzip.length : asset.body.length),
    'cache-control': cache,
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : gzip ? asset.gzip : asset.body);
}

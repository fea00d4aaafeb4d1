// Reads a request body with a size limit: a body over the limit is never buffered in full.
import type { IncomingMessage } from 'node:http';

/** The body, or why it was refused (413 too large, 400 aborted by the client). */
export type BodyRead = { ok: true; body: Buffer } | { ok: false; status: 400 | 413; error: string };

/** Reads `req`'s body up to `limit` bytes; checks Content-Length first so an oversized upload is refused at once. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const tooLarge = (size: string): BodyRead => ({
    ok: false,
    status: 413,
    error: `request body of ${size} bytes is over the limit of ${limit} bytes`,
  });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // discard, so that the connection can answer
    return Promise.resolve(tooLarge(String(declared)));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish(tooLarge(`more than ${limit}`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    req.on('error', (error) =>
      finish({ ok: false, status: 400, error: `request body unreadable: ${error.message}` }),
    );
    req.on('aborted', () => finish({ ok: false, status: 400, error: 'request aborted by the client' }));
  });
}

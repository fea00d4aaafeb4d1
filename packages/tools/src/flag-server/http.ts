// Small HTTP helpers shared by the SDK and admin routes: size-limited JSON bodies, JSON answers, CORS.
import type { IncomingMessage } from 'node:http';

export { sendJson } from '../http/send.js';

/** A request the server refuses with a status and a JSON `{error, path}` body (plus any `headers`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly path = '$',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** True for `application/json`, with or without parameters (`; charset=utf-8`), and nothing else. */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Reads the body as text, refusing (413) more than `limit` bytes without buffering the rest. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new HttpError(413, `request body is larger than ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, `request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** Reads and parses a JSON body; bad JSON is a 400 naming the position. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readBody(req, limit);
  if (text.trim() === '') throw new HttpError(400, 'the request body is empty; expected JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

// The headers LaunchDarkly's Relay Proxy allows on its client-side routes.
const ALLOWED_HEADERS = [
  'Cache-Control',
  'Content-Type',
  'Content-Length',
  'Accept-Encoding',
  'X-LaunchDarkly-User-Agent',
  'X-LaunchDarkly-Payload-ID',
  'X-LaunchDarkly-Wrapper',
  'X-LaunchDarkly-Event-Schema',
  'X-LaunchDarkly-Tags',
].join(',');

/** CORS the way LaunchDarkly's relay answers client-side routes: origin echoed, credentials allowed. */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return {
    'access-control-allow-origin': origin ?? '*',
    ...(origin ? { 'access-control-allow-credentials': 'true', vary: 'Origin' } : {}),
    'access-control-allow-methods': 'GET, POST, REPORT, OPTIONS',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-expose-headers': 'Date',
    'access-control-max-age': '300',
  };
}

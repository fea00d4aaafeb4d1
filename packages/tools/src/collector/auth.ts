// Who may read and who may write. Reads (/aggregates, /events/export) need the bearer token. Writes
// (/collect) come from browsers through sendBeacon, which cannot set headers, so they carry an ingest key
// in the query string instead. The ingest key ends up in page source, so it is derived from the token
// (not equal to it): knowing it lets one post events, never read them.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The ingest key that goes with `token`: HMAC-SHA256(token, purpose), 32 base64url characters. */
export function deriveIngestKey(token: string): string {
  return createHmac('sha256', token)
    .update('token-rollout collector ingest key')
    .digest('base64url')
    .slice(0, 32);
}

/** Compares secrets in constant time (hashing first so that lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The bearer token of a request, if it sent one. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

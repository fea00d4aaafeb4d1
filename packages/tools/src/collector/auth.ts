// The collector's write key. Reads (/aggregates, /events/export) need the bearer token (http/access.ts).
// Writes (/collect) come from browsers through sendBeacon, which cannot set headers, so they carry an
// ingest key in the query string instead. The ingest key ends up in page source, so it is derived from the
// token (not equal to it): knowing it lets one post events, never read them.
import { createHmac } from 'node:crypto';

/** The ingest key that goes with `token`: HMAC-SHA256(token, purpose), 32 base64url characters. */
export function deriveIngestKey(token: string): string {
  return createHmac('sha256', token)
    .update('token-rollout collector ingest key')
    .digest('base64url')
    .slice(0, 32);
}

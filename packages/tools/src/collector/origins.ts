// Which web pages may post events. Beacons are `text/plain` POSTs, which browsers send cross-origin with no
// preflight, so the browser never asks the collector: the collector checks the Origin header itself.
import type { IncomingMessage } from 'node:http';
import type { AccessPolicy } from '../http/access.js';
import { isLoopback } from '../http/loopback.js';

/** The origin rule of one collector. */
export interface OriginRule {
  /** True when a page of `origin` (the request's Origin header) may post events. */
  allows(req: IncomingMessage, origin: string): boolean;
  /** What is allowed, for the refusal message. */
  readonly describe: string;
}

/** `https://shop.example/` → `https://shop.example`; throws naming the entry when it is not an origin. */
function normalise(entry: string): string {
  if (entry === 'null') return entry;
  try {
    const url = new URL(entry);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // reported below
  }
  throw new Error(`allowed origin "${entry}" is not an http(s) origin such as https://shop.example`);
}

/**
 * The collector's own origin always; then `allowed` when given, else any loopback origin (a page on
 * localhost:3000 posting to the collector on 127.0.0.1:8030 during development).
 */
export function originRule(access: AccessPolicy, allowed: readonly string[] | undefined): OriginRule {
  const listed = allowed === undefined ? null : new Set(allowed.map(normalise));
  return {
    allows(req, origin) {
      if (listed?.has(origin)) return true;
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false; // "null" (sandboxed frames, some referrer policies) unless listed
      }
      // Same origin counts only for a Host the server answers to: a rebinding page is "same origin" too.
      if (url.host === req.headers.host && access.hostAllowed(req)) return true;
      return listed === null && isLoopback(url.hostname);
    },
    describe:
      listed === null
        ? 'the collector accepts its own origin and loopback origins (set allowedOrigins / --allow-origin)'
        : `the collector accepts its own origin and ${[...listed].join(', ') || 'no other'} (allowedOrigins / --allow-origin)`,
  };
}

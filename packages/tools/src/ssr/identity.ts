// Who a request is for: the user key and region the app keeps in a cookie or a header it names (a CDN's
// country header, a session cookie). The browser rollout must be given the same user, or its decision
// (and the user's bucket) would differ from the server's.
import type { IncomingMessage } from 'node:http';

/** Where the request carries the user: cookie and header names the app chooses (cookie wins). */
export interface IdentitySource {
  userCookie?: string;
  userHeader?: string;
  regionCookie?: string;
  regionHeader?: string;
  /** A cookie holding '1' when the user chose the classic look (mirror of the SDK's stored opt-out). */
  optOutCookie?: string;
}

/** The user a server decision is made for. */
export interface ServerUser {
  key: string;
  /** ISO 3166-1 alpha-2, as the rollout's `user.region`. */
  region?: string;
  optedOut?: boolean;
}

/** The cookies of a request, by name (the first of duplicates; undecodable values skipped). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    const name = at < 0 ? '' : part.slice(0, at).trim();
    if (name === '' || cookies.has(name)) continue;
    try {
      cookies.set(
        name,
        decodeURIComponent(
          part
            .slice(at + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1'),
        ),
      );
    } catch {
      // A malformed %-escape: as if the cookie were absent.
    }
  }
  return cookies;
}

/** The value of a cookie or a header named in `source`, trimmed; undefined when absent or empty. */
function pick(
  req: Pick<IncomingMessage, 'headers'>,
  cookies: Map<string, string>,
  cookie: string | undefined,
  header: string | undefined,
): string | undefined {
  const fromCookie = cookie ? cookies.get(cookie) : undefined;
  const raw = fromCookie ?? (header ? req.headers[header.toLowerCase()] : undefined);
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : undefined;
}

/** The request's user, or null when it carries no user key (the app then assigns one and sets its cookie). */
export function readServerUser(
  req: Pick<IncomingMessage, 'headers'>,
  source: IdentitySource,
): ServerUser | null {
  const cookies = parseCookies(req.headers.cookie);
  const key = pick(req, cookies, source.userCookie, source.userHeader);
  if (!key) return null;
  const region = pick(req, cookies, source.regionCookie, source.regionHeader)?.toUpperCase();
  const optedOut = source.optOutCookie ? cookies.get(source.optOutCookie) === '1' : false;
  return { key, ...(region ? { region } : {}), ...(optedOut ? { optedOut } : {}) };
}

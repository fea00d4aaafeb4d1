// Who may call what: the one place for the host and token rules of every route the tools serve.
// - Read routes (aggregates, the event export, the gate's decision) answer only when the Host header names
//   this server, so a web page that rebinds its own DNS name to 127.0.0.1 cannot read them, and need the
//   bearer token when one is set.
// - Admin routes need the admin token when one is set; without one they answer only a peer on this machine
//   (the socket's address: a Host header is whatever the client writes) that also names it by a loopback name.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { bareHost, isLoopback, isLoopbackAddress, isWildcard } from './loopback.js';

/** Why a request was refused: the status and a message that says what to send instead. */
export interface Refusal {
  status: 401 | 403;
  error: string;
  headers?: Record<string, string>;
}

/** Options of `createAccessPolicy`. */
export interface AccessOptions {
  /** The host the server is bound to (its name is accepted in Host headers). */
  host: string;
  /** More names clients may use for this server (a LAN name, a reverse proxy's name). */
  allowedHosts?: readonly string[];
}

/** The rules, bound to one server's host. */
export interface AccessPolicy {
  /** True when the Host header names this server (see `hostnameOf`), not a name a rebinding page chose. */
  hostAllowed(req: IncomingMessage): boolean;
  /** Null when `req` may read `route`: an allowed Host, and `Authorization: Bearer <token>` when `token` is set. */
  checkRead(req: IncomingMessage, token: string | null, route: string): Refusal | null;
  /** Null when `req` may call the admin `route` (see the file header). */
  checkAdmin(req: IncomingMessage, token: string | null, route: string): Refusal | null;
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

/** The host name of the Host header (no port, no brackets, lower case), or null when missing or malformed. */
export function hostnameOf(req: IncomingMessage): string | null {
  const header = req.headers.host;
  if (!header) return null;
  try {
    return bareHost(new URL(`http://${header}`).hostname);
  } catch {
    return null;
  }
}

/** The policy for a server bound to `options.host`. */
export function createAccessPolicy(options: AccessOptions): AccessPolicy {
  const names = new Set<string>([bareHost(options.host), ...(options.allowedHosts ?? []).map(bareHost)]);
  // Bound to every interface, clients may also use the machine's own name.
  if (isWildcard(options.host)) names.add(hostname().toLowerCase());
  const hostAllowed = (req: IncomingMessage): boolean => {
    const name = hostnameOf(req);
    // An IP literal cannot be rebound, and *.localhost never leaves the machine.
    return name !== null && (isIP(name) !== 0 || isLoopback(name) || names.has(name));
  };
  const wrongHost = (req: IncomingMessage, route: string): Refusal => ({
    status: 403,
    error: `${route} answers only requests addressed to this server (Host was "${req.headers.host ?? ''}"); add the name with --allowed-host`,
  });
  return {
    hostAllowed,
    checkRead(req, token, route) {
      if (!hostAllowed(req)) return wrongHost(req, route);
      if (token === null) return null;
      const given = bearerToken(req);
      if (given !== null && sameSecret(given, token)) return null;
      return {
        status: 401,
        error: `${route} needs the header Authorization: Bearer <token>`,
        headers: { 'www-authenticate': 'Bearer realm="token-rollout"' },
      };
    },
    checkAdmin(req, token, route) {
      if (token !== null) {
        const given = bearerToken(req);
        if (given !== null && sameSecret(given, token)) return null;
        return { status: 401, error: `${route} needs the header "Authorization: Bearer <admin token>"` };
      }
      if (!isLoopbackAddress(req.socket.remoteAddress)) {
        return {
          status: 403,
          error: `${route} without an admin token answers only this machine (the request came from ${req.socket.remoteAddress ?? 'an unknown address'})`,
        };
      }
      const name = hostnameOf(req) ?? '';
      if (!isLoopback(name)) {
        return {
          status: 403,
          error: `${route} without an admin token answers only on localhost (Host was "${name}")`,
        };
      }
      return null;
    },
  };
}

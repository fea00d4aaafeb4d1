// What counts as "this machine": one definition for the bind rule (a non-loopback host needs tokens), the
// admin check (the socket's peer address, never the Host header) and the Host check against DNS rebinding.
import { isIP } from 'node:net';

/** `host` without the brackets an IPv6 literal wears in URLs and Host headers, lower-cased. */
export function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** True for loopback names and addresses: localhost (and *.localhost), 127.0.0.0/8, ::1, ::ffff:127.x.x.x. */
export function isLoopback(host: string): boolean {
  const h = bareHost(host);
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/** True when a socket's peer address is this machine (a connection's address, not a name anyone can send). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && isIP(bareHost(address)) !== 0 && isLoopback(address);
}

/** True for the "every interface" addresses (0.0.0.0, ::), which reach loopback too. */
export function isWildcard(host: string): boolean {
  const h = bareHost(host);
  return h === '0.0.0.0' || h === '::' || h === '';
}

/** `http://host:port` with an IPv6 literal in brackets. */
export function httpUrl(host: string, port: number): string {
  const h = bareHost(host);
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** A URL a browser on this machine can open: a wildcard bind (0.0.0.0, ::) is reached through loopback. */
export function localUrl(host: string, port: number): string {
  if (!isWildcard(host)) return httpUrl(host, port);
  return httpUrl(bareHost(host) === '::' ? '::1' : '127.0.0.1', port);
}

import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAccessPolicy, hostnameOf } from './access.js';
import { isLoopback, isLoopbackAddress, localUrl } from './loopback.js';

/** A request as the policy sees it: a Host header, an Authorization header and the socket's peer. */
function request(host: string | undefined, remoteAddress: string, authorization?: string): IncomingMessage {
  return {
    headers: { ...(host === undefined ? {} : { host }), ...(authorization ? { authorization } : {}) },
    socket: { remoteAddress },
  } as unknown as IncomingMessage;
}

describe('host and token rules', () => {
  const loopback = createAccessPolicy({ host: '127.0.0.1' });

  it('reads: IP literals and loopback names pass, any other name (a rebinding page) does not', () => {
    for (const host of [
      '127.0.0.1:4173',
      'localhost:4173',
      '[::1]:8030',
      'app.localhost',
      '192.168.1.20:80',
    ]) {
      expect(loopback.checkRead(request(host, '127.0.0.1'), null, 'GET /aggregates'), host).toBeNull();
    }
    for (const host of ['evil.example', 'evil.example:4173', 'localhost.evil.example', undefined, 'a b']) {
      expect(loopback.checkRead(request(host, '127.0.0.1'), null, 'GET /aggregates')).toMatchObject({
        status: 403,
        error: expect.stringContaining('GET /aggregates answers only requests addressed to this server'),
      });
    }
  });

  it('reads: names given as allowed hosts pass; with a token, the bearer token is needed too', () => {
    const policy = createAccessPolicy({ host: '0.0.0.0', allowedHosts: ['metrics.lan'] });
    expect(policy.checkRead(request('metrics.lan:8031', '10.0.0.9'), null, 'r')).toBeNull();
    expect(policy.checkRead(request('metrics.lan', '10.0.0.9'), 'tok', 'r')).toMatchObject({ status: 401 });
    expect(policy.checkRead(request('metrics.lan', '10.0.0.9', 'Bearer tok'), 'tok', 'r')).toBeNull();
    expect(policy.checkRead(request('evil.example', '10.0.0.9', 'Bearer tok'), 'tok', 'r')).toMatchObject({
      status: 403,
    });
  });

  it('admin without a token: a faked "Host: localhost" from another machine is refused (the socket decides)', () => {
    expect(loopback.checkAdmin(request('localhost', '10.0.0.7'), null, 'admin routes')).toMatchObject({
      status: 403,
      error: expect.stringContaining('came from 10.0.0.7'),
    });
    expect(loopback.checkAdmin(request('localhost', '::ffff:10.0.0.7'), null, 'admin')).toMatchObject({
      status: 403,
    });
    expect(loopback.checkAdmin(request('evil.example', '127.0.0.1'), null, 'admin')).toMatchObject({
      status: 403,
    });
    expect(loopback.checkAdmin(request('localhost:8030', '::ffff:127.0.0.1'), null, 'admin')).toBeNull();
    expect(loopback.checkAdmin(request('127.0.0.1:8030', '::1'), null, 'admin')).toBeNull();
  });

  it('admin with a token: only the bearer token counts, from anywhere', () => {
    expect(loopback.checkAdmin(request('localhost', '127.0.0.1'), 'T', 'admin')).toMatchObject({
      status: 401,
    });
    expect(loopback.checkAdmin(request('localhost', '127.0.0.1', 'T'), 'T', 'admin')).toMatchObject({
      status: 401,
    });
    expect(loopback.checkAdmin(request('x', '10.1.2.3', 'Bearer T'), 'T', 'admin')).toBeNull();
  });

  it('names and addresses', () => {
    expect(hostnameOf(request('[::1]:80', ''))).toBe('::1');
    expect(hostnameOf(request('Example.COM:80', ''))).toBe('example.com');
    expect(['localhost', 'a.localhost', '127.9.9.9', '[::1]', '::ffff:127.0.0.1'].every(isLoopback)).toBe(
      true,
    );
    expect(['0.0.0.0', '::', '10.0.0.1', 'localhost.example', '128.0.0.1'].some(isLoopback)).toBe(false);
    // A socket address is never a name: "localhost" there means nothing.
    expect(isLoopbackAddress('localhost')).toBe(false);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress(undefined)).toBe(false);
    expect(localUrl('0.0.0.0', 80)).toBe('http://127.0.0.1:80');
    expect(localUrl('::', 80)).toBe('http://[::1]:80');
  });
});

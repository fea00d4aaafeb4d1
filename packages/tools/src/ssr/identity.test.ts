import { describe, expect, it } from 'vitest';
import { parseCookies, readServerUser } from './identity.js';

const req = (headers: Record<string, string | string[]>) => ({ headers });

describe('readServerUser', () => {
  const source = {
    userCookie: 'uid',
    regionHeader: 'CF-IPCountry',
    regionCookie: 'region',
    optOutCookie: 'tr_opt',
  };

  it('reads the key from the cookie the app names and the region from a header, upper-cased', () => {
    expect(readServerUser(req({ cookie: 'a=1; uid=user%201', 'cf-ipcountry': 'au' }), source)).toEqual({
      key: 'user 1',
      region: 'AU',
    });
  });

  it('prefers the cookie to the header, and reads an opt-out mirrored into a cookie', () => {
    const both = req({ cookie: 'uid=u; region=nz; tr_opt=1', 'cf-ipcountry': 'AU' });
    expect(readServerUser(both, source)).toEqual({ key: 'u', region: 'NZ', optedOut: true });
  });

  it('is null without a user key (the app assigns one), and skips undecodable cookies', () => {
    expect(readServerUser(req({}), source)).toBeNull();
    expect(readServerUser(req({ cookie: 'uid=%E0%A4%A' }), source)).toBeNull();
    expect(readServerUser(req({ 'x-user': ' k ' }), { userHeader: 'X-User' })).toEqual({ key: 'k' });
  });
});

describe('parseCookies', () => {
  it('keeps the first of duplicates and unquotes values', () => {
    expect([...parseCookies('a=1; a=2; b="x y"; =z; c')]).toEqual([
      ['a', '1'],
      ['b', 'x y'],
    ]);
  });
});

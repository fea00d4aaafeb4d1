import { describe, expect, it } from 'vitest';
import { sha1Hex } from '../hash/sha1.js';
import { DEFAULT_USER_SALT, hashUserKey, newSessionId } from './identity.js';

describe('hashUserKey', () => {
  it('is a stable 16-hex-digit prefix of SHA-1(salt:key) that does not contain the key', () => {
    const hash = hashUserKey('alice@example.com');
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hash).toBe(sha1Hex(`${DEFAULT_USER_SALT}:alice@example.com`).slice(0, 16));
    expect(hashUserKey('alice@example.com')).toBe(hash);
    expect(hash).not.toContain('alice');
  });

  it('gives different hashes for different salts, so data sets cannot be joined', () => {
    expect(hashUserKey('alice', 'shop-a')).not.toBe(hashUserKey('alice', 'shop-b'));
  });
});

describe('newSessionId', () => {
  it('uses crypto.randomUUID when present', () => {
    expect(newSessionId({ randomUUID: () => 'uuid-1' })).toBe('uuid-1');
  });

  it('falls back to getRandomValues, then to the injected random source', () => {
    const id = newSessionId({
      getRandomValues: <T extends Uint8Array>(a: T) => {
        a.fill(0xab);
        return a;
      },
    });
    expect(id).toBe('ab'.repeat(16));
    expect(newSessionId(undefined, () => 0.5)).toBe('80'.repeat(16));
  });
});

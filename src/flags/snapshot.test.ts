import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../storage/storage.js';
import { readCachedSnapshot, sameFlags, switchesFrom, writeCachedSnapshot } from './snapshot.js';

function storage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

describe('flag snapshots', () => {
  it('reads switches from the per-family boolean flags and ignores other values', () => {
    const flags: Record<string, unknown> = {
      'design-tokens-v2.buttons': false,
      'design-tokens-v2.cards': true,
      'design-tokens-v2.forms': 'off',
    };
    expect(switchesFrom((k) => flags[k])).toEqual({ buttons: false, cards: true });
  });

  it('round-trips a snapshot through storage as a cache', () => {
    const s = storage();
    writeCachedSnapshot(s, { config: { week1: {} }, switches: { tables: false }, origin: 'live' }, 42);
    expect(readCachedSnapshot(s)).toEqual({
      config: { week1: {} },
      switches: { tables: false },
      origin: 'cache',
    });
    expect(readCachedSnapshot(s, 'another-flag')).toBeNull();
  });

  it('treats corrupt cache entries and throwing storage as no cache', () => {
    const s = storage();
    s.items.set(
      STORAGE_KEYS.flags,
      JSON.stringify({ flagKey: 'design-tokens-v2', config: 1, switches: { x: 1 } }),
    );
    expect(readCachedSnapshot(s)).toBeNull();
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(readCachedSnapshot(throwing)).toBeNull();
    expect(() =>
      writeCachedSnapshot(throwing, { config: null, switches: {}, origin: 'live' }, 1),
    ).not.toThrow();
  });

  it('compares snapshots by what they decide, not by origin', () => {
    expect(
      sameFlags(
        { config: { a: 1 }, switches: {}, origin: 'cache' },
        { config: { a: 1 }, switches: {}, origin: 'live' },
      ),
    ).toBe(true);
    expect(
      sameFlags(
        { config: null, switches: { cards: false }, origin: 'live' },
        { config: null, switches: {}, origin: 'live' },
      ),
    ).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultStorage, guardStorage } from './safe.js';
import type { KeyValueStorage } from './storage.js';

const throwing: KeyValueStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

describe('guardStorage', () => {
  it('never throws, and keeps writes for this page when the storage refuses them', () => {
    const storage = guardStorage(throwing);
    expect(storage.getItem('k')).toBeNull();
    storage.setItem('k', 'v');
    expect(storage.getItem('k')).toBe('v');
    storage.removeItem('k');
    expect(storage.getItem('k')).toBeNull();
  });

  it('writes through to a working storage', () => {
    const items = new Map<string, string>();
    const inner: KeyValueStorage = {
      getItem: (k) => items.get(k) ?? null,
      setItem: (k, v) => void items.set(k, v),
      removeItem: (k) => void items.delete(k),
    };
    const storage = guardStorage(inner);
    storage.setItem('k', 'v');
    expect(items.get('k')).toBe('v');
  });

  it('survives a window whose localStorage getter throws', () => {
    const win = Object.defineProperty({}, 'localStorage', {
      get() {
        throw new Error('denied');
      },
    });
    const storage = defaultStorage(win);
    storage.setItem('a', 'b');
    expect(storage.getItem('a')).toBe('b');
  });
});

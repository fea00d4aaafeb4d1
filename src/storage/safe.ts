// A storage that never throws: private modes, disabled cookies and full quotas must not break the page.
import type { KeyValueStorage } from './storage.js';

/** In-memory storage, used when the browser's storage is missing or unusable. */
export function createMemoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}

/**
 * Wraps a storage so that no call throws: a failing read returns null, a failing write (quota,
 * SecurityError) is kept in memory for this page so the session still behaves consistently.
 */
export function guardStorage(inner: KeyValueStorage | null | undefined): KeyValueStorage {
  const memory = new Map<string, string>();
  return {
    getItem(key) {
      const local = memory.get(key);
      if (local !== undefined) return local;
      try {
        return inner?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      try {
        if (!inner) throw new Error('no storage');
        inner.setItem(key, value);
        memory.delete(key);
      } catch {
        memory.set(key, value);
      }
    },
    removeItem(key) {
      memory.delete(key);
      try {
        inner?.removeItem(key);
      } catch {
        // Nothing to do: the value is gone from this page's view either way.
      }
    },
  };
}

/** The window's localStorage, guarded; reading the property itself can throw (sandboxed iframes). */
export function defaultStorage(win: { localStorage?: KeyValueStorage } | undefined): KeyValueStorage {
  let inner: KeyValueStorage | undefined;
  try {
    inner = win?.localStorage;
  } catch {
    inner = undefined;
  }
  return guardStorage(inner);
}

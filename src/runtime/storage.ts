// The storage effect: the stored records read once at start-up, written when a step says so, and read
// again only for the key another tab changed (the `storage` event).
import { parseFlag, parseThemePreference, readFallbackRecord } from '../storage/records.js';
import { type KeyValueStorage, STORAGE_KEYS } from '../storage/storage.js';
import type { Effect, Input, RuntimeState, StoredChange } from './types.js';

/** The records the runtime keeps in its state. */
export type StoredRecords = Pick<RuntimeState, 'optedOut' | 'noticeDismissed' | 'fallbacks'> & {
  theme: RuntimeState['themePreference'] | null;
};

/** Reads every record once; a malformed record reads as none. */
export function readStoredRecords(storage: KeyValueStorage): StoredRecords {
  return {
    optedOut: parseFlag(storage.getItem(STORAGE_KEYS.optOut)),
    noticeDismissed: parseFlag(storage.getItem(STORAGE_KEYS.notice)),
    theme: parseThemePreference(storage.getItem(STORAGE_KEYS.theme)),
    fallbacks: readFallbackRecord(storage.getItem(STORAGE_KEYS.fallback)),
  };
}

/** Carries out a `store` effect (the storage is guarded: it never throws). */
export function writeStored(storage: KeyValueStorage, effect: Extract<Effect, { type: 'store' }>): void {
  if (effect.value === null) storage.removeItem(effect.key);
  else storage.setItem(effect.key, effect.value);
}

/** The change for `key`, re-read from storage; null for keys the runtime does not follow. */
function changeOf(storage: KeyValueStorage, key: string | null): StoredChange | null {
  const raw = () => storage.getItem(key as string);
  switch (key) {
    case STORAGE_KEYS.theme:
      return { key: 'theme', value: parseThemePreference(raw()) };
    case STORAGE_KEYS.optOut:
      return { key: 'optOut', value: parseFlag(raw()) };
    case STORAGE_KEYS.notice:
      return { key: 'notice', value: parseFlag(raw()) };
    case STORAGE_KEYS.fallback:
      return { key: 'fallback', value: readFallbackRecord(raw()) };
    default:
      return null;
  }
}

/**
 * Follows other tabs. The `storage` event fires only in the tabs that did not write, and can arrive after
 * a newer local write, so the record is re-read (the latest value) instead of trusting `event.newValue`.
 */
export function watchOtherTabs(
  win: Pick<Window, 'addEventListener' | 'removeEventListener'>,
  storage: KeyValueStorage,
  dispatch: (input: Input) => unknown,
): () => void {
  const onStorage = (event: StorageEvent) => {
    const change = changeOf(storage, event.key);
    if (change) dispatch({ type: 'stored', change });
  };
  win.addEventListener('storage', onStorage);
  return () => win.removeEventListener('storage', onStorage);
}

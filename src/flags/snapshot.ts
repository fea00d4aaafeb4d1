// Building, comparing and caching flag snapshots: shared by the static and the LaunchDarkly sources.
import { FAMILIES, type Family, FLAG_KEY, isFamily } from '../families.js';
import { isRecord, parseJson } from '../json.js';
import { type KeyValueStorage, STORAGE_KEYS } from '../storage/storage.js';
import type { FlagSnapshot } from './source.js';

/** The snapshot before any flags arrived: no config, so everyone stays on v1. */
export function defaultSnapshot(): FlagSnapshot {
  return { config: null, switches: {}, origin: 'default' };
}

/** The key of a family's kill-switch flag, e.g. `design-tokens-v2.buttons`. */
export function switchKey(family: Family, flagKey: string = FLAG_KEY): string {
  return `${flagKey}.${family}`;
}

/** Reads the per-family switches from a flag lookup; non-boolean values are ignored (the family stays allowed). */
export function switchesFrom(
  lookup: (key: string) => unknown,
  flagKey: string = FLAG_KEY,
): Partial<Record<Family, boolean>> {
  const switches: Partial<Record<Family, boolean>> = {};
  for (const family of FAMILIES) {
    const value = lookup(switchKey(family, flagKey));
    if (typeof value === 'boolean') switches[family] = value;
  }
  return switches;
}

/** The switches in `value` (absent means none), or null when it is not an object of family booleans. */
export function readSwitches(value: unknown): Partial<Record<Family, boolean>> | null {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return null;
  const out: Partial<Record<Family, boolean>> = {};
  for (const [name, on] of Object.entries(value)) {
    if (!isFamily(name) || typeof on !== 'boolean') return null;
    out[name] = on;
  }
  return out;
}

/**
 * Checks switches given by an app; throws a TypeError naming the bad entry. The messages live here, apart
 * from `readSwitches`, so that the runtime's cache reader does not bundle them.
 */
export function checkSwitches(switches: unknown): Partial<Record<Family, boolean>> {
  const valid = readSwitches(switches);
  if (valid) return valid;
  if (!isRecord(switches)) throw new TypeError('switches must be an object such as {"buttons": false}');
  for (const [name, value] of Object.entries(switches)) {
    if (!isFamily(name)) {
      throw new TypeError(`switches.${name}: unknown family; expected one of ${FAMILIES.join(', ')}`);
    }
    if (typeof value !== 'boolean') throw new TypeError(`switches.${name}: must be true or false`);
  }
  return {}; // unreachable: readSwitches refused the value for one of the reasons above
}

/** True when two switch maps switch the same families off and on. */
export function sameSwitches(a: FlagSnapshot['switches'], b: FlagSnapshot['switches']): boolean {
  return FAMILIES.every((f) => a[f] === b[f]);
}

/** True when two snapshots would give every user the same decision (origin aside). */
export function sameFlags(a: FlagSnapshot, b: FlagSnapshot): boolean {
  return JSON.stringify(a.config) === JSON.stringify(b.config) && sameSwitches(a.switches, b.switches);
}

interface CachedFlags {
  flagKey: string;
  config: unknown;
  switches: Partial<Record<Family, boolean>>;
  savedAt: number;
}

/** The last live snapshot for `flagKey` from storage (origin `cache`), or null when absent or unreadable. */
export function readCachedSnapshot(
  storage: KeyValueStorage | null | undefined,
  flagKey: string = FLAG_KEY,
): FlagSnapshot | null {
  let cached: unknown;
  try {
    cached = parseJson(storage?.getItem(STORAGE_KEYS.flags));
  } catch {
    // Storage that refuses reads holds no cache.
  }
  // A corrupt or foreign cache is the same as none: the caller falls back to the default.
  if (!isRecord(cached) || cached.flagKey !== flagKey || !('config' in cached)) return null;
  const switches = readSwitches(cached.switches);
  return switches ? { config: cached.config, switches, origin: 'cache' } : null;
}

/** Saves a live snapshot for the next start; storage failures (quota, private mode) are ignored. */
export function writeCachedSnapshot(
  storage: KeyValueStorage | null | undefined,
  snapshot: FlagSnapshot,
  now: number,
  flagKey: string = FLAG_KEY,
): void {
  const cached: CachedFlags = { flagKey, config: snapshot.config, switches: snapshot.switches, savedAt: now };
  try {
    storage?.setItem(STORAGE_KEYS.flags, JSON.stringify(cached));
  } catch {
    // Not caching only costs a returning user the live wait; never worth breaking the page.
  }
}

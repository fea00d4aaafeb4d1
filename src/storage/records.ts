// Parsing of persisted values. Storage is user-writable and may hold anything (old versions, other
// scripts, corruption), so every reader validates and falls back to "nothing stored".
import { type Family, isFamily } from '../families.js';
import { isRecord, parseJson } from '../json.js';
import { isThemePreference, type ThemePreference } from '../theme/types.js';

/** One stylesheet the boot snippet links before first paint. `id` is the link's `data-tr` value. */
export interface BootLink {
  id: string;
  href: string;
  integrity: string;
}

/**
 * What the boot snippet needs from the last decision (STORAGE_KEYS.decision): the links to add for every
 * family, whether the v1 monolith is among them (its legacy theme class must then be set too), and each
 * family's version, so that a page declaring its families (`data-families`) links only what they need.
 */
export interface BootCache {
  v: 1;
  links: BootLink[];
  legacy: boolean;
  /** Per family, the version its links give it; absent in older caches (the snippet then links them all). */
  families?: Partial<Record<Family, 'v1' | 'v2'>>;
}

/** Local fallbacks (STORAGE_KEYS.fallback): they hold only while the config version is unchanged. */
export interface FallbackRecord {
  configVersion: string;
  families: Partial<Record<Family, string>>;
}

/** The stored theme preference, or null when none (or an unknown value) is stored. */
export function parseThemePreference(raw: string | null): ThemePreference | null {
  return isThemePreference(raw) ? raw : null;
}

/** True when the stored flag is exactly '1' (opt-out, notice dismissed). */
export function parseFlag(raw: string | null): boolean {
  return raw === '1';
}

/** Serialises a boot cache for storage. */
export function serializeBootCache(cache: BootCache): string {
  return JSON.stringify(cache);
}

/** The stored local fallbacks record (any config version), or null when missing or malformed. */
export function readFallbackRecord(raw: string | null): FallbackRecord | null {
  const value = parseJson(raw);
  if (!isRecord(value) || typeof value.configVersion !== 'string' || !isRecord(value.families)) return null;
  const families: Partial<Record<Family, string>> = {};
  for (const [name, reason] of Object.entries(value.families)) {
    if (isFamily(name) && typeof reason === 'string') families[name] = reason;
  }
  return { configVersion: value.configVersion, families };
}

/**
 * The local fallbacks of `record` that still apply to `configVersion`: a fallback recorded under another
 * config version is dropped (a new config is a new experiment).
 */
export function fallbacksFor(
  record: FallbackRecord | null,
  configVersion: string,
): Partial<Record<Family, string>> {
  return record && record.configVersion === configVersion ? { ...record.families } : {};
}

/** The stored local fallbacks that still apply to `configVersion`; unknown families are ignored. */
export function parseFallbacks(raw: string | null, configVersion: string): Partial<Record<Family, string>> {
  return fallbacksFor(readFallbackRecord(raw), configVersion);
}

/** Serialises local fallbacks for storage. */
export function serializeFallbacks(record: FallbackRecord): string {
  return JSON.stringify(record);
}

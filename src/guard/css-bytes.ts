// How many bytes of v2 token CSS a page loads, from the token build's manifest.
import type { TokenManifest } from '../../tokens/manifest.js';
import type { Family } from '../families.js';

/** v2 token CSS bytes: the shared core and each v2 family's files. */
export interface CssBytes {
  core: number;
  families: Partial<Record<Family, number>>;
}

/**
 * Sums the manifest's `bytes` of the v2 files the page loads: `core` plus the files of `v2Families`.
 * The v1 monolith is left out on purpose: it is the baseline every arm pays, not v2's cost.
 */
export function v2CssBytes(manifest: TokenManifest, v2Families: readonly Family[]): CssBytes {
  const result: CssBytes = { core: 0, families: {} };
  if (v2Families.length === 0) return result;
  const wanted = new Set<string>(v2Families);
  for (const file of manifest.files) {
    if (file.version !== 'v2') continue;
    if (file.family === 'core') result.core += file.bytes;
    else if (wanted.has(file.family)) {
      const family = file.family as Family;
      result.families[family] = (result.families[family] ?? 0) + file.bytes;
    }
  }
  return result;
}

/** Total bytes of a CssBytes. */
export function totalCssBytes(bytes: CssBytes): number {
  let total = bytes.core;
  for (const value of Object.values(bytes.families)) total += value ?? 0;
  return total;
}

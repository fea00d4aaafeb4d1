// The page's arm: which token version its families are on, as one label for aggregation.
import type { TokenVersion } from '../assign/types.js';
import type { Family } from '../families.js';
import type { Arm } from './event.js';

type Versions = Readonly<Record<Family, { version: TokenVersion }>>;

/** `v1` or `v2` when every listed family agrees, `mixed` otherwise (v1 when none is listed). */
export function armOf(families: Versions, pageFamilies: readonly Family[]): Arm {
  let v1 = false;
  let v2 = false;
  for (const family of pageFamilies) {
    if (families[family].version === 'v2') v2 = true;
    else v1 = true;
  }
  if (v1 && v2) return 'mixed';
  return v2 ? 'v2' : 'v1';
}

/** The listed families that are on v2, in the given order. */
export function v2Families(families: Versions, pageFamilies: readonly Family[]): Family[] {
  return pageFamilies.filter((family) => families[family].version === 'v2');
}

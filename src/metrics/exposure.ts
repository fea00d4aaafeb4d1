// Exposures: the first time in a page session that a family's decision is applied, per family.
import type { TokenVersion } from '../assign/types.js';
import type { Family } from '../families.js';

/** A family seen for the first time in this session, with the version it was shown in. */
export interface Exposure {
  family: Family;
  version: TokenVersion;
}

/** A family's decision as exposure reads it: `loaded` false means its sheet is not in effect yet. */
export interface ExposureInput {
  version: TokenVersion;
  loaded?: boolean;
}

/**
 * Returns a function that, given the decision and the page's families, lists the families applied
 * (their sheet in effect) for the first time in this session. Each family is exposed once.
 */
export function exposureTracker(): (
  families: Readonly<Record<Family, ExposureInput>>,
  pageFamilies: readonly Family[],
) => Exposure[] {
  const seen = new Set<Family>();
  return (families, pageFamilies) => {
    const fresh: Exposure[] = [];
    for (const family of pageFamilies) {
      const decision = families[family];
      if (seen.has(family) || decision.loaded === false) continue;
      seen.add(family);
      fresh.push({ family, version: decision.version });
    }
    return fresh;
  };
}

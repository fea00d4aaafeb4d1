// Region selectors: ISO 3166-1 alpha-2 codes, "all", and "all-except-XX[,YY…]", parsed, matched and compared.
import { isIsoRegion, isoRegionCodes, REGION_ALIASES } from './iso3166.js';
import { asList, childPath, type IssueSink, reject } from './path.js';
import type { RegionRule } from './types.js';

/** The selector that covers every region (also what a stage without `regions` gets). */
export const ALL_REGIONS: RegionRule = { kind: 'all' };
const CODE = 'an ISO 3166-1 alpha-2 code ("AU"), "all" or "all-except-US"';

/**
 * Parses a stage's `regions` list. Entries combine as a union, except that "all-except-…" exclusions
 * accumulate ("all-except-US" + "all-except-CA" leaves out both) and a code listed next to them puts it
 * back. Codes are case-insensitive and normalised to upper case. Returns undefined after reporting errors.
 */
export function parseRegions(value: unknown, path: string, sink: IssueSink): RegionRule | undefined {
  const entries = asList(value);
  if (!entries?.length)
    return reject(sink, path, 'a list of regions such as ["AU", "NZ"], ["all"] or ["all-except-US"]', value);
  const before = sink.errors.length;
  let all = false;
  let except = false;
  const codes = new Set<string>();
  const excluded = new Set<string>();
  entries.forEach((entry, i) => {
    const at = childPath(path, i);
    const upper = typeof entry === 'string' ? entry.trim().toUpperCase() : '';
    if (typeof entry !== 'string') reject(sink, at, CODE, entry);
    else if (upper === 'ALL') all = true;
    else if (upper.startsWith('ALL-EXCEPT-')) {
      except = true;
      for (const part of upper.slice(11).split(',')) {
        const code = part.trim();
        if (isIsoRegion(code)) excluded.add(code);
        else reject(sink, at, `${CODE} after "all-except-"${hint(code)}`, entry);
      }
    } else if (isIsoRegion(upper)) codes.add(upper);
    else reject(sink, at, `${CODE}${hint(upper)}`, entry);
  });
  if (sink.errors.length > before) return undefined;
  if (all) {
    if (codes.size > 0 || except) sink.lint?.regionsBesideAll(sink, path);
    return ALL_REGIONS;
  }
  if (!except) return { kind: 'only', codes: [...codes] };
  for (const code of codes) excluded.delete(code);
  return excluded.size === 0 ? ALL_REGIONS : { kind: 'all-except', codes: [...excluded].sort() };
}

/** A "did you mean" for common non-ISO codes (UK for GB). */
function hint(code: string): string {
  const alias = REGION_ALIASES[code];
  return alias ? ` (for ${code}, use "${alias}")` : '';
}

/** True when `region` (upper case) is covered by `rule`. */
export function regionMatches(rule: RegionRule, region: string): boolean {
  return rule.kind === 'all' || rule.codes.includes(region) === (rule.kind === 'only');
}

/**
 * True when every region `inner` covers is also covered by `outer` (used to warn about shrinking stages).
 * Checked over the 249 codes: smaller in the bundle than the case analysis, and it runs once per parse.
 */
export function regionCovers(outer: RegionRule, inner: RegionRule): boolean {
  return isoRegionCodes().every((c) => !regionMatches(inner, c) || regionMatches(outer, c));
}

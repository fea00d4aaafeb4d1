// Which stylesheets a page needs for a decision: pure, so the runtime, the server (bootstrap) and
// the tests agree. The v2 core plus the v2 file of each v2 family, and the v1 monolith only while
// one of the page's families is on v1.

import type { TokenManifest } from '../../tokens/manifest.js';
import type { TokenVersion } from '../assign/types.js';
import { FAMILIES, type Family } from '../families.js';
import type { BootCache } from '../storage/records.js';

/** One stylesheet to link. `id` identifies it in the DOM (`data-tr`): `v1`, `v2/core`, `v2/<family>`. */
export interface PlannedSheet {
  id: string;
  href: string;
  integrity: string;
  version: TokenVersion;
  /** A family, `core` (v2 shared tokens) or `all` (the v1 monolith). */
  part: Family | 'core' | 'all';
}

/** The plan: the sheets in cascade order, and the v2 families the manifest cannot serve (with why). */
export interface SheetPlan {
  sheets: PlannedSheet[];
  unavailable: Partial<Record<Family, string>>;
  /** Set when the v1 monolith is needed but missing from the manifest. */
  missingV1?: string;
}

/** The id a sheet carries in `data-tr`. */
export function sheetId(version: TokenVersion, part: string): string {
  return version === 'v1' ? 'v1' : `v2/${part}`;
}

/**
 * The stylesheets for `pageFamilies` at `versions`, resolved against `base` (the manifest's URL or
 * the token base). A v2 family whose file (or the core) is missing from the manifest is reported
 * in `unavailable` and planned on v1 instead, so the page stays styled.
 */
export function planStylesheets(
  manifest: TokenManifest,
  versions: Readonly<Record<Family, TokenVersion>>,
  pageFamilies: readonly Family[],
  base: string,
): SheetPlan {
  const find = (version: TokenVersion, part: string) =>
    manifest.files.find((f) => f.version === version && f.family === part);
  const toSheet = (version: TokenVersion, part: Family | 'core' | 'all'): PlannedSheet | undefined => {
    const file = find(version, part);
    if (!file) return undefined;
    return {
      id: sheetId(version, part),
      href: new URL(file.file, base).href,
      integrity: file.integrity,
      version,
      part,
    };
  };
  const unavailable: Partial<Record<Family, string>> = {};
  const core = toSheet('v2', 'core');
  const v2: PlannedSheet[] = [];
  let needV1 = false;
  for (const family of FAMILIES) {
    if (!pageFamilies.includes(family)) continue;
    if (versions[family] !== 'v2') {
      needV1 = true;
      continue;
    }
    const sheet = toSheet('v2', family);
    if (!sheet || !core) {
      unavailable[family] = `the token manifest has no v2 file for ${sheet ? 'core' : `"${family}"`}`;
      needV1 = true;
      continue;
    }
    v2.push(sheet);
  }
  const sheets: PlannedSheet[] = [];
  const plan: SheetPlan = { sheets, unavailable };
  if (needV1) {
    const v1 = toSheet('v1', 'all');
    if (v1) sheets.push(v1);
    else plan.missingV1 = 'the token manifest has no v1 file (family "all")';
  }
  if (v2.length > 0 && core) sheets.push(core, ...v2);
  return plan;
}

/**
 * What the boot snippet needs to reproduce these sheets on the next load: the links, and per family the
 * version they give it (v2 when its v2 file is among them, else v1). Make it from the plan for every
 * family (FAMILIES), so that any page of the app, whatever families it declares, finds its sheets.
 */
export function bootCacheFor(sheets: readonly PlannedSheet[]): BootCache {
  const ids = new Set(sheets.map((s) => s.id));
  const families: Partial<Record<Family, TokenVersion>> = {};
  for (const family of FAMILIES) families[family] = ids.has(sheetId('v2', family)) ? 'v2' : 'v1';
  return {
    v: 1,
    links: sheets.map(({ id, href, integrity }) => ({ id, href, integrity })),
    legacy: sheets.some((s) => s.version === 'v1'),
    families,
  };
}

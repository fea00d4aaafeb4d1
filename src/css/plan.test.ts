import { describe, expect, it } from 'vitest';
import type { TokenManifest } from '../../tokens/manifest.js';
import { FAMILIES, type Family } from '../families.js';
import { bootCacheFor, planStylesheets } from './plan.js';

const file = (family: string, version: 'v1' | 'v2') => ({
  family,
  version,
  file: `${version}/${family}.abc.css`,
  bytes: 1,
  gzipBytes: 1,
  integrity: `sha384-${family}`,
});
const manifest: TokenManifest = {
  schema: 1,
  themes: ['light', 'dark'],
  files: [file('all', 'v1'), file('core', 'v2'), ...FAMILIES.map((f) => file(f, 'v2'))],
  tokens: { count: 1 },
};
const BASE = 'https://cdn.example.com/tokens/manifest.json';
const versions = (v2: readonly Family[]) =>
  Object.fromEntries(FAMILIES.map((f) => [f, v2.includes(f) ? 'v2' : 'v1'])) as Record<Family, 'v1' | 'v2'>;
const ids = (plan: ReturnType<typeof planStylesheets>) => plan.sheets.map((s) => s.id);

describe('planStylesheets', () => {
  it('loads only the v1 monolith when every page family is on v1', () => {
    const plan = planStylesheets(manifest, versions([]), FAMILIES, BASE);
    expect(ids(plan)).toEqual(['v1']);
    expect(plan.sheets[0]).toMatchObject({
      href: 'https://cdn.example.com/tokens/v1/all.abc.css',
      integrity: 'sha384-all',
    });
  });

  it('loads the v2 core and the v2 families, and no v1, when every page family is on v2', () => {
    const plan = planStylesheets(manifest, versions(FAMILIES), ['forms', 'buttons'], BASE);
    expect(ids(plan)).toEqual(['v2/core', 'v2/buttons', 'v2/forms']);
  });

  it('keeps the v1 monolith while any page family is on v1', () => {
    const plan = planStylesheets(manifest, versions(['buttons']), ['buttons', 'checkout'], BASE);
    expect(ids(plan)).toEqual(['v1', 'v2/core', 'v2/buttons']);
  });

  it('ignores families the page does not use', () => {
    const plan = planStylesheets(manifest, versions(['buttons']), ['buttons'], BASE);
    expect(ids(plan)).toEqual(['v2/core', 'v2/buttons']);
    expect(planStylesheets(manifest, versions([]), [], BASE).sheets).toEqual([]);
  });

  it('plans a v2 family the manifest lacks on v1 and says why', () => {
    const partial = { ...manifest, files: manifest.files.filter((f) => f.family !== 'forms') };
    const plan = planStylesheets(partial, versions(['forms', 'cards']), ['forms', 'cards'], BASE);
    expect(ids(plan)).toEqual(['v1', 'v2/core', 'v2/cards']);
    expect(plan.unavailable).toEqual({ forms: 'the token manifest has no v2 file for "forms"' });
  });

  it('reports a missing v1 monolith instead of planning nothing silently', () => {
    const noV1 = { ...manifest, files: manifest.files.filter((f) => f.version === 'v2') };
    const plan = planStylesheets(noV1, versions([]), ['forms'], BASE);
    expect(plan.sheets).toEqual([]);
    expect(plan.missingV1).toMatch(/no v1 file/);
  });

  it('turns a plan into the boot cache the snippet reads', () => {
    const plan = planStylesheets(manifest, versions(['buttons']), ['buttons', 'forms'], BASE);
    const cache = bootCacheFor(plan.sheets);
    expect(cache.legacy).toBe(true);
    expect(cache.links.map((l) => l.id)).toEqual(['v1', 'v2/core', 'v2/buttons']);
    expect(bootCacheFor([]).legacy).toBe(false);
  });

  it("records each family's version in the boot cache, so a page can boot only its own families", () => {
    const plan = planStylesheets(manifest, versions(['buttons', 'cards']), FAMILIES, BASE);
    const cache = bootCacheFor(plan.sheets);
    expect(cache.families).toEqual(versions(['buttons', 'cards']));
  });
});

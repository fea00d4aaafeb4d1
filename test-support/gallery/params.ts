// The gallery's query string: `?v=1|2&theme=light|dark&families=buttons,cards&n=N`. Pure: bad values
// fall back to the default and produce a message naming the parameter, so the page still renders.
import { FAMILIES, type Family, isFamily } from 'token-rollout/core';

export type GalleryVersion = 'v1' | 'v2';
export type GalleryTheme = 'light' | 'dark';

/** What the gallery renders and loads. */
export interface GalleryParams {
  version: GalleryVersion;
  theme: GalleryTheme;
  families: Family[];
  /** How many times the whole content repeats (benchmarks scale the element count with it). */
  repeat: number;
  /** URL of the token manifest. */
  manifest: string;
  /** One message per parameter that was invalid and replaced by its default. */
  errors: string[];
}

/** Largest `n`: a repetition of every family is about 280 elements, so 200 is ~55,000 elements. */
export const MAX_REPEAT = 200;

/** Parses the gallery's query string (`location.search`). */
export function parseGalleryParams(search: string): GalleryParams {
  const query = new URLSearchParams(search);
  const errors: string[] = [];
  const v = query.get('v') ?? '2';
  const version: GalleryVersion = v === '1' || v === 'v1' ? 'v1' : 'v2';
  if (!['1', '2', 'v1', 'v2'].includes(v)) errors.push(`?v=${v}: expected 1 or 2; showing v2`);

  const t = query.get('theme') ?? 'light';
  const theme: GalleryTheme = t === 'dark' ? 'dark' : 'light';
  if (t !== 'light' && t !== 'dark') errors.push(`?theme=${t}: expected light or dark; showing light`);

  let families: Family[] = [...FAMILIES];
  const f = query.get('families');
  if (f !== null && f !== '' && f !== 'all') {
    const names = f.split(',').map((s) => s.trim());
    const unknown = names.filter((name) => !isFamily(name));
    if (unknown.length > 0)
      errors.push(`?families=${f}: unknown ${unknown.join(', ')} (known: ${FAMILIES.join(', ')})`);
    // Display order is the canonical family order, whatever order the query used.
    families = FAMILIES.filter((family) => names.includes(family));
    if (families.length === 0) families = [...FAMILIES];
  }

  const n = query.get('n') ?? '1';
  let repeat = Number(n);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) {
    errors.push(`?n=${n}: expected a whole number from 1 to ${MAX_REPEAT}; showing 1`);
    repeat = 1;
  }
  const manifest = query.get('manifest') ?? '/dist/tokens/manifest.json';
  return { version, theme, families, repeat, manifest, errors };
}

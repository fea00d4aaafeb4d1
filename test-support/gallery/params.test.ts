import { FAMILIES } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { parseGalleryParams } from './params.js';

describe('gallery query', () => {
  it('defaults to v2, light, every family, once', () => {
    expect(parseGalleryParams('')).toEqual({
      version: 'v2',
      theme: 'light',
      families: [...FAMILIES],
      repeat: 1,
      manifest: '/dist/tokens/manifest.json',
      errors: [],
    });
  });

  it('reads version, theme, families (in canonical order) and repeat count', () => {
    const p = parseGalleryParams('?v=1&theme=dark&families=cards,buttons&n=8');
    expect(p).toMatchObject({
      version: 'v1',
      theme: 'dark',
      families: ['buttons', 'cards'],
      repeat: 8,
      errors: [],
    });
  });

  it('replaces bad values by defaults and says which parameter was wrong', () => {
    const p = parseGalleryParams('?v=3&theme=blue&families=buttons,widgets&n=0');
    expect(p).toMatchObject({ version: 'v2', theme: 'light', families: ['buttons'], repeat: 1 });
    expect(p.errors).toEqual([
      '?v=3: expected 1 or 2; showing v2',
      '?theme=blue: expected light or dark; showing light',
      '?families=buttons,widgets: unknown widgets (known: buttons, cards, forms, tables, navigation, feedback, overlays, checkout)',
      '?n=0: expected a whole number from 1 to 200; showing 1',
    ]);
  });

  it('falls back to every family when none is known', () => {
    expect(parseGalleryParams('?families=nope').families).toEqual([...FAMILIES]);
  });
});

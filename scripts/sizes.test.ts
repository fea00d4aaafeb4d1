import { describe, expect, it } from 'vitest';
import type { ManifestFile, TokenManifest } from '../tokens/manifest.js';
import { formatSizes, tokenSizes } from './sizes.js';

const file = (family: string, version: 'v1' | 'v2', bytes: number, gzipBytes: number): ManifestFile => ({
  family,
  version,
  file: `${version}/${family}.00000000.css`,
  bytes,
  gzipBytes,
  integrity: 'sha384-x',
});

const manifest: TokenManifest = {
  schema: 1,
  themes: ['light', 'dark'],
  files: [
    file('buttons', 'v2', 2000, 500),
    file('core', 'v2', 13000, 3000),
    file('cards', 'v2', 1000, 300),
    file('forms', 'v2', 1500, 400),
    file('all', 'v1', 120000, 9000),
  ],
  tokens: { count: 484 },
};

describe('token sizes', () => {
  it('sums v1, v2, and the core + buttons + cards page', () => {
    expect(tokenSizes(manifest)).toMatchObject({
      v1TotalBytes: 120000,
      v1TotalGzipBytes: 9000,
      v2TotalBytes: 17500,
      v2TotalGzipBytes: 4200,
      twoFamilyBytes: 16000,
      twoFamilyGzipBytes: 3800,
      ratio: 17500 / 120000,
    });
    expect(tokenSizes(manifest).v2Files.map((f) => f.family)).toEqual(['core', 'buttons', 'cards', 'forms']);
  });

  it('prints a table with the ratio and token count', () => {
    const text = formatSizes(tokenSizes(manifest), 484);
    expect(text).toMatch(/v1 monolith \(all families, all themes\)\s+120000\s+9000/);
    expect(text).toMatch(/v2 two-family page \(core \+ buttons \+ cards\)\s+16000\s+3800/);
    expect(text).toContain('v2/v1: 14.6 % raw, 46.7 % gzip; 484 tokens');
  });

  it('says what a manifest lacks', () => {
    const noV1 = { ...manifest, files: manifest.files.filter((f) => f.version !== 'v1') };
    expect(() => tokenSizes(noV1)).toThrow('manifest.json: no v1 file');
    const noCards = { ...manifest, files: manifest.files.filter((f) => f.family !== 'cards') };
    expect(() => tokenSizes(noCards)).toThrow('buttons and cards files are required');
  });
});

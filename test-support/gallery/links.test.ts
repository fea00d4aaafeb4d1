import { describe, expect, it } from 'vitest';
import type { ManifestFile, TokenManifest } from '../../tokens/manifest.js';
import { tokenFiles } from './links.js';

const file = (family: string, version: 'v1' | 'v2'): ManifestFile => ({
  family,
  version,
  file: `${version}/${family}.0badc0de.css`,
  bytes: 1,
  gzipBytes: 1,
  integrity: 'sha384-x',
});
const manifest: TokenManifest = {
  schema: 1,
  themes: ['light', 'dark'],
  files: [file('cards', 'v2'), file('buttons', 'v2'), file('core', 'v2'), file('all', 'v1')],
  tokens: { count: 3 },
};

describe('gallery token links', () => {
  it('loads v2 core first, then the shown families', () => {
    expect(tokenFiles(manifest, 'v2', ['buttons', 'cards']).map((f) => f.file)).toEqual([
      'v2/core.0badc0de.css',
      'v2/buttons.0badc0de.css',
      'v2/cards.0badc0de.css',
    ]);
  });

  it('loads only the monolith for v1, whatever families are shown', () => {
    expect(tokenFiles(manifest, 'v1', ['buttons']).map((f) => f.file)).toEqual(['v1/all.0badc0de.css']);
  });

  it('names the family the manifest has no file for', () => {
    expect(() => tokenFiles(manifest, 'v2', ['forms'])).toThrow('manifest.json has no v2 file for "forms"');
  });
});

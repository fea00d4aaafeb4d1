import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest.js';

const good = {
  schema: 1,
  themes: ['light'],
  files: [
    { family: 'all', version: 'v1', file: 'v1/all.a.css', bytes: 5, gzipBytes: 2, integrity: 'sha384-x' },
  ],
  tokens: { count: 3 },
};

describe('parseManifest', () => {
  it('accepts a build manifest', () => {
    expect(parseManifest(good, 'm.json')).toEqual({ ok: true, manifest: good });
  });

  it.each([
    [null, '$ must be an object'],
    [{ ...good, schema: 2 }, '$.schema must be 1'],
    [{ ...good, files: {} }, '$.files must be an array'],
    [{ ...good, files: [{ ...good.files[0], version: 'v3' }] }, '$.files[0].version must be "v1" or "v2"'],
    [
      { ...good, files: [{ ...good.files[0], integrity: 'md5-x' }] },
      '$.files[0].integrity must be an SRI hash',
    ],
    [{ ...good, files: [{ ...good.files[0], file: '' }] }, '$.files[0].file must be a non-empty string'],
  ])('names what is wrong and where (%#)', (json, message) => {
    const result = parseManifest(json, 'https://x/manifest.json');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain('https://x/manifest.json');
      expect(result.error).toContain(message);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest.js';

const SHA384 = `sha384-${'x'.repeat(64)}`;
const good = {
  schema: 1,
  themes: ['light'],
  files: [{ family: 'all', version: 'v1', file: 'v1/all.a.css', bytes: 5, gzipBytes: 2, integrity: SHA384 }],
  tokens: { count: 3 },
};
const v2 = (family: string, integrity: unknown) => ({
  family,
  version: 'v2',
  file: `v2/${family}.a.css`,
  bytes: 5,
  gzipBytes: 2,
  integrity,
});

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
      '$.files[0].integrity must be a well-formed SRI digest',
    ],
    [
      { ...good, files: [{ ...good.files[0], integrity: 'sha384-!!!' }] },
      '$.files[0].integrity must be a well-formed SRI digest',
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

describe('parseManifest: SRI digests (issue 18, item 3)', () => {
  it.each(['sha384-!!!', 'sha384-', 'sha512-not base64 at all', 'md5-abc', `sha384-${'A'.repeat(63)}`, 42])(
    'refuses a v2 file whose integrity is %j, keeps the rest and says why',
    (integrity) => {
      const json = { ...good, files: [...good.files, v2('core', SHA384), v2('forms', integrity)] };
      const result = parseManifest(json, 'm.json');
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.manifest.files.map((f) => f.family)).toEqual(['all', 'core']);
      expect(result.issues).toEqual([
        'token manifest m.json: $.files[2].integrity must be a well-formed SRI digest (sha256/sha384/sha512, ' +
          'base64 of the right length); v2/forms.a.css refused',
      ]);
    },
  );

  it('accepts well-formed sha256, sha384 and sha512 digests', () => {
    const digests = [`sha256-${'a'.repeat(43)}=`, SHA384, `sha512-${'+/'.repeat(43)}==`];
    const json = { ...good, files: [...good.files, ...digests.map((d, i) => v2(`f${i}`, d))] };
    const result = parseManifest(json, 'm.json');
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.manifest.files).toHaveLength(4);
    expect(result.ok && result.issues).toBeUndefined();
  });
});

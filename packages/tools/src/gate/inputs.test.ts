// The inputs the events cannot give: the manifest's bundle size and a recorded Lighthouse run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lighthouseOf, readLighthouse } from './lighthouse.js';
import { bundleOfManifest, readBundleSize } from './manifest.js';

const dir = mkdtempSync(join(tmpdir(), 'gate-inputs-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('bundle size from the token manifest', () => {
  const manifest = {
    schema: 1,
    files: [
      { family: 'all', version: 'v1', file: 'v1/all.css', bytes: 123_389 },
      { family: 'core', version: 'v2', file: 'v2/core.css', bytes: 13_108 },
      { family: 'buttons', version: 'v2', file: 'v2/buttons.css', bytes: 2288 },
    ],
  };

  it('sums the raw bytes of every v2 file (core + families), leaving v1 out', () => {
    expect(bundleOfManifest(manifest, 'm.json')).toEqual({ bytes: 15_396, files: 2, source: 'm.json' });
  });

  it('reads a file or a URL, and names what is wrong', async () => {
    expect((await readBundleSize(file('m.json', JSON.stringify(manifest)), fetch)).bytes).toBe(15_396);
    const served = (async () => new Response(JSON.stringify(manifest))) as unknown as typeof fetch;
    expect((await readBundleSize('https://cdn.test/tokens/manifest.json', served)).bytes).toBe(15_396);
    await expect(readBundleSize(join(dir, 'none.json'), fetch)).rejects.toThrow(
      /--manifest: cannot read .*none\.json \(ENOENT\)/,
    );
    expect(() => bundleOfManifest({ files: 'x' }, 'm.json')).toThrow(
      /--manifest m\.json: \$\.files must be an array/,
    );
    expect(() => bundleOfManifest({ files: [{ version: 'v2', bytes: 'big' }] }, 'm.json')).toThrow(
      /\$\.files\[0\]\.bytes/,
    );
  });
});

describe("Lighthouse's own JSON", () => {
  it('reads the performance score (0-1) as 0-100 and the form factor', async () => {
    const lhr = {
      lighthouseVersion: '12.2.3',
      categories: { performance: { score: 0.96 } },
      configSettings: { formFactor: 'mobile' },
    };
    expect(await readLighthouse(file('lhr.json', JSON.stringify(lhr)))).toEqual({
      score: 96,
      formFactor: 'mobile',
      source: join(dir, 'lhr.json'),
    });
  });

  it('names the missing field of a file that is not a Lighthouse result', () => {
    expect(() => lighthouseOf({ score: 96 }, 'x.json')).toThrow(
      /--lighthouse x\.json: \$\.categories\.performance\.score/,
    );
  });
});

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../storage/storage.js';
import { bootScriptTag, bootSnippet } from './index.js';
import { cache, ids, run, SHA256, SHA384, SHA384_B, SHA512, stored, V1 } from './snippet-harness.js';

describe('boot snippet', () => {
  it('is under 1 KB gzip', () => {
    expect(gzipSync(bootSnippet, { level: 9 }).length).toBeLessThan(1024);
  });

  it("links a returning user's cached sheets with integrity, CORS and the script's nonce, and sets the theme", () => {
    const out = run(
      { [STORAGE_KEYS.decision]: JSON.stringify(cache), [STORAGE_KEYS.theme]: 'dark' },
      { nonce: 'n0nce' },
    );
    expect(out.html['data-theme']).toBe('dark');
    expect(out.classes).toEqual([]);
    expect(out.links).toHaveLength(2);
    expect(out.links[0]).toMatchObject({
      rel: 'stylesheet',
      href: '/t/v2/core.1.css',
      integrity: SHA384,
      crossOrigin: 'anonymous',
      nonce: 'n0nce',
      attrs: { 'data-tr': 'v2/core', blocking: 'render' },
    });
  });

  it('gives a first-time user the v1 monolith from the script attributes, with the legacy class', () => {
    const out = run({}, { dataset: V1 });
    expect(out.links.map((l) => [l.href, l.integrity])).toEqual([['/t/v1/all.css', SHA384_B]]);
    expect(out.html['data-theme']).toBe('light');
    expect(out.classes).toEqual(['theme--light']);
  });

  it('uses a server-rendered bootstrap when nothing is cached', () => {
    const out = run({}, { dataset: { bootstrap: JSON.stringify(cache), v1Href: '/t/v1/all.css' } });
    expect(out.links.map((l) => l.attrs['data-tr'])).toEqual(['v2/core', 'v2/forms']);
  });

  it('ignores corrupt stored values and never throws', () => {
    for (const bad of ['{', '"x"', '{"v":1,"links":5}', '{"v":1,"links":[null]}']) {
      expect(() => run({ [STORAGE_KEYS.decision]: bad, [STORAGE_KEYS.theme]: '<b>' })).not.toThrow();
    }
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(() => new Function('localStorage', bootSnippet)(throwing)).not.toThrow();
  });
});

describe('bootScriptTag', () => {
  it('renders the snippet with escaped attributes for server-side rendering', () => {
    const tag = bootScriptTag({ nonce: 'a"b', v1Href: '/v1/all.css?x=1&y=2', v1Integrity: SHA384 });
    expect(
      tag.startsWith(
        `<script nonce="a&quot;b" data-v1-href="/v1/all.css?x=1&amp;y=2" data-v1-integrity="${SHA384}">`,
      ),
    ).toBe(true);
    expect(tag.endsWith('</script>')).toBe(true);
    expect(tag).toContain(bootSnippet.slice(0, 40));
  });

  it('refuses a cached decision with entries from another origin (first-visit boot instead)', () => {
    const page = { href: 'https://app.test/page', origin: 'https://app.test' };
    const good = [
      { id: 'a', href: '/t/a.css', integrity: SHA384 },
      { id: 'd', href: 'https://app.test/t/d.css', integrity: SHA256 },
    ];
    const cdnLink = { id: 'h', href: 'https://cdn.test/t/h.css', integrity: SHA512 };
    expect(ids(run(stored(good), {}, page))).toEqual(['a', 'd']);
    // Tokens served from a CDN: the origin of `data-v1-href` is allowed too.
    const cdn = { dataset: { v1Href: 'https://cdn.test/t/v1/all.css', v1Integrity: SHA384_B } };
    expect(ids(run(stored([...good, cdnLink]), cdn, page))).toEqual(['a', 'd', 'h']);
    for (const bad of [
      { id: 'b', href: '/t/b.css', integrity: '' },
      { id: 'e', href: 'https://evil.test/e.css', integrity: SHA384 },
      { id: 'f', href: '//evil.test/f.css', integrity: SHA384 },
      { id: 'g', href: '/\\evil.test/g.css', integrity: SHA384 },
      cdnLink,
      { id: 'i', href: 42, integrity: SHA384 },
    ]) {
      // One refused entry makes the whole cached decision suspect: the page boots as a first visit.
      expect(ids(run(stored([...good, bad]), { dataset: V1 }, page)), JSON.stringify(bad)).toEqual(['v1']);
    }
    // Without URL support (or `location`) only relative hrefs pass.
    expect(ids(run(stored([good[0]])))).toEqual(['a']);
  });
});

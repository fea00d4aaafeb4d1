import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../storage/storage.js';
import { bootScriptTag, bootSnippet } from './index.js';

interface FakeLink {
  attrs: Record<string, string>;
  rel?: string;
  href?: string;
  integrity?: string;
  crossOrigin?: string;
  nonce?: string;
}

/** Runs the built snippet against a fake document and storage; returns what it did. */
function run(
  items: Record<string, string>,
  script: { dataset?: Record<string, string>; nonce?: string } = {},
  location?: { href: string; origin: string },
) {
  const html: Record<string, string> = {};
  const classes: string[] = [];
  const links: FakeLink[] = [];
  const doc = {
    currentScript: { dataset: script.dataset ?? {}, nonce: script.nonce ?? '' },
    documentElement: {
      setAttribute: (k: string, v: string) => {
        html[k] = v;
      },
      classList: { add: (c: string) => classes.push(c) },
    },
    querySelector: (sel: string) => links.find((l) => sel.includes(`"${l.attrs['data-tr']}"`)) ?? null,
    createElement: (): FakeLink => {
      const link: FakeLink = { attrs: {} };
      return Object.assign(link, { setAttribute: (k: string, v: string) => (link.attrs[k] = v) });
    },
    head: { appendChild: (l: FakeLink) => links.push(l) },
  };
  const storage = {
    getItem: (k: string) => items[k] ?? null,
  };
  const matchMedia = () => ({ matches: false });
  new Function('localStorage', 'matchMedia', 'document', 'location', bootSnippet)(
    storage,
    matchMedia,
    doc,
    location,
  );
  return { html, classes, links };
}

const cache = {
  v: 1,
  legacy: false,
  links: [
    { id: 'v2/core', href: '/t/v2/core.1.css', integrity: 'sha384-core' },
    { id: 'v2/forms', href: '/t/v2/forms.1.css', integrity: 'sha384-forms' },
  ],
};

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
      integrity: 'sha384-core',
      crossOrigin: 'anonymous',
      nonce: 'n0nce',
      attrs: { 'data-tr': 'v2/core', blocking: 'render' },
    });
  });

  it('gives a first-time user the v1 monolith from the script attributes, with the legacy class', () => {
    const out = run({}, { dataset: { v1Href: '/t/v1/all.css', v1Integrity: 'sha384-v1' } });
    expect(out.links.map((l) => [l.href, l.integrity])).toEqual([['/t/v1/all.css', 'sha384-v1']]);
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
    const tag = bootScriptTag({ nonce: 'a"b', v1Href: '/v1/all.css?x=1&y=2', v1Integrity: 'sha384-z' });
    expect(
      tag.startsWith(
        '<script nonce="a&quot;b" data-v1-href="/v1/all.css?x=1&amp;y=2" data-v1-integrity="sha384-z">',
      ),
    ).toBe(true);
    expect(tag.endsWith('</script>')).toBe(true);
    expect(tag).toContain(bootSnippet.slice(0, 40));
  });

  it('skips cached entries without a valid SRI integrity or from another origin', () => {
    const page = { href: 'https://app.test/page', origin: 'https://app.test' };
    const links = [
      { id: 'a', href: '/t/a.css', integrity: 'sha384-ok' },
      { id: 'b', href: '/t/b.css', integrity: '' },
      { id: 'c', href: '/t/c.css', integrity: 'md5-xyz' },
      { id: 'd', href: 'https://app.test/t/d.css', integrity: 'sha256-ok=' },
      { id: 'e', href: 'https://evil.test/e.css', integrity: 'sha384-ok' },
      { id: 'f', href: '//evil.test/f.css', integrity: 'sha384-ok' },
      { id: 'g', href: '/\\evil.test/g.css', integrity: 'sha384-ok' },
      { id: 'h', href: 'https://cdn.test/t/h.css', integrity: 'sha512-ok' },
      { id: 'i', href: 42, integrity: 'sha384-ok' },
    ];
    const items = { [STORAGE_KEYS.decision]: JSON.stringify({ v: 1, legacy: false, links }) };
    const ids = (out: ReturnType<typeof run>) => out.links.map((l) => l.attrs['data-tr']);
    expect(ids(run(items, {}, page))).toEqual(['a', 'd']);
    // Tokens served from a CDN: the origin of `data-v1-href` is allowed too.
    const cdn = { dataset: { v1Href: 'https://cdn.test/t/v1/all.css', v1Integrity: 'sha384-v1' } };
    expect(ids(run(items, cdn, page))).toEqual(['a', 'd', 'h']);
    // Without URL support (or `location`) only relative hrefs pass.
    expect(ids(run(items))).toEqual(['a']);
  });
});

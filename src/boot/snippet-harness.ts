// The boot snippet's test harness: the built snippet run against a fake document and storage (no browser),
// and the digests and caches the tests share. Test support only.
import { STORAGE_KEYS } from '../storage/storage.js';
import { bootSnippet } from './index.js';

/** A <link> as the fake document records it. */
export interface FakeLink {
  attrs: Record<string, string>;
  getAttribute?(name: string): string | null;
  rel?: string;
  href?: string;
  integrity?: string;
  crossOrigin?: string;
  nonce?: string;
}

/** Runs the built snippet against a fake document and storage; returns what it did. */
export function run(
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
    // As in a browser, a selector with an unbalanced quote is a SyntaxError.
    querySelector: (sel: string) => {
      if ((sel.match(/"/g) ?? []).length % 2 !== 0 || /"[^"]*"[^\]]/.test(sel)) {
        throw new SyntaxError(`'${sel}' is not a valid selector`);
      }
      return links.find((l) => sel.includes(`"${l.attrs['data-tr']}"`)) ?? null;
    },
    querySelectorAll: (sel: string) =>
      sel === 'link[data-tr]' ? links.filter((l) => l.attrs['data-tr']) : [],
    createElement: (): FakeLink => {
      const link: FakeLink = { attrs: {} };
      return Object.assign(link, {
        setAttribute: (k: string, v: string) => (link.attrs[k] = v),
        getAttribute: (k: string) => link.attrs[k] ?? null,
      });
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

/** Well-formed digests of each length (the snippet checks the form; the browser checks the value). */
export const SHA256 = `sha256-${'A'.repeat(43)}=`;
export const SHA384 = `sha384-${'B'.repeat(64)}`;
export const SHA384_B = `sha384-${'C'.repeat(64)}`;
export const SHA512 = `sha512-${'D'.repeat(86)}==`;
export const V1 = { v1Href: '/t/v1/all.css', v1Integrity: SHA384_B };

export const cache = {
  v: 1,
  legacy: false,
  links: [
    { id: 'v2/core', href: '/t/v2/core.1.css', integrity: SHA384 },
    { id: 'v2/forms', href: '/t/v2/forms.1.css', integrity: SHA384_B },
  ],
};
export const stored = (links: unknown[], extra: Record<string, unknown> = {}) => ({
  [STORAGE_KEYS.decision]: JSON.stringify({ v: 1, legacy: false, links, ...extra }),
});
export const ids = (out: ReturnType<typeof run>) => out.links.map((l) => l.attrs['data-tr']);

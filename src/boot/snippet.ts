// The inline <head> snippet, built as a minified IIFE (rollup.config.ts, `virtual:boot-iife`). Before
// first paint it links the token CSS of the last decision (STORAGE_KEYS.decision, a BootCache) and sets
// the theme, so a returning user never waits on the network and never sees a flash.
//
// Without a usable cached decision it uses, in order: the server-rendered decision in the script's
// `data-bootstrap` attribute (a BootCache as JSON), else the v1 monolith from `data-v1-href` and
// `data-v1-integrity`. A decision with any entry it refuses (malformed SRI digest, foreign origin, not a
// string) is treated as corrupt and skipped whole, so a page never boots half a decision or nothing.
// The nonce of its own <script> goes on each <link>, so it works under a strict CSP.
// It must stay tiny (under 1 KB gzip) and must never throw: a broken boot would block the page.
import type { Family } from '../families.js';
import type { BootCache, BootLink } from '../storage/records.js';

const DECISION_KEY = 'token-rollout:decision';
const THEME_KEY = 'token-rollout:theme';

try {
  const doc = document;
  const html = doc.documentElement;
  const script = doc.currentScript as HTMLScriptElement | null;
  const read = (key: string): string | null => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  const parse = (raw: string | null | undefined): BootCache | null => {
    try {
      const value = JSON.parse(raw as string) as BootCache;
      return value && value.v === 1 && Array.isArray(value.links) ? value : null;
    } catch {
      return null;
    }
  };
  const data = script ? script.dataset : {};
  // A tampered cache must not load unverified CSS or CSS from elsewhere before the runtime's allowlist
  // applies: only sheets with a well-formed SRI digest (src/css/sri.ts: a malformed one makes Chromium
  // load the file unchecked), relative or from the page's (or the v1 monolith's) origin.
  const origin = (href: string) => new URL(href, location.href).origin;
  const allowed = (item: BootLink): boolean => {
    try {
      return (
        typeof item.id === 'string' &&
        typeof item.href === 'string' &&
        /^sha(256-[A-Za-z0-9+/]{43}=|384-[A-Za-z0-9+/]{64}|512-[A-Za-z0-9+/]{86}==)$/.test(item.integrity) &&
        (/^\/?[\w.~-][\w./~%?=&-]*$/.test(item.href) ||
          [location.origin, data.v1Href && origin(data.v1Href)].includes(origin(item.href)))
      );
    } catch {
      return false;
    }
  };
  // The page's families (`data-families`): with a cache that records each family's version, only their
  // sheets are linked, and v1 only when one of them is on v1.
  const wanted = data.families != null ? data.families.split(/[\s,]+/).filter(Boolean) : null;
  // The links of `cache` this page needs, or null when one is refused or missing: such a decision is
  // treated as corrupt and the next source is tried (a page must never boot half a decision, or nothing).
  const pick = (cache: BootCache | null): BootLink[] | null => {
    if (!cache) return null;
    const versions = cache.families;
    let links = cache.links;
    if (wanted && versions) {
      const need = wanted.flatMap((f) => (versions[f as Family] === 'v2' ? ['v2/core', `v2/${f}`] : ['v1']));
      links = links.filter((l) => l && need.includes(l.id));
      if (!need.every((id) => links.some((l) => l.id === id))) return null;
    }
    return links.every(allowed) ? links : null;
  };
  // A server-decided page (`data-decided`: its arm) carries its own <link>s and inlined <style>s: link
  // nothing. Else the cached decision, the server's bootstrap, and last the v1 monolith.
  const decided = data.decided;
  const v1 = { links: [{ id: 'v1', href: data.v1Href, integrity: data.v1Integrity }] } as BootCache;
  const links = decided
    ? []
    : pick(parse(read(DECISION_KEY))) || pick(parse(data.bootstrap)) || pick(v1) || [];
  const stored = read(THEME_KEY);
  const theme =
    stored === 'light' || stored === 'dark'
      ? stored
      : matchMedia('(prefers-color-scheme: dark)').matches
        ? 'dark'
        : 'light';
  html.setAttribute('data-theme', theme);
  // The v1 monolith themes by a class on <html> (its legacy mechanism).
  if (decided ? decided !== 'v2' : links.some((l) => l.id === 'v1')) html.classList.add(`theme--${theme}`);
  const nonce = script ? script.nonce : '';
  // Ids already linked, read without a selector built from stored text (an id like `x"]` would throw).
  const present = [].map.call(doc.querySelectorAll('link[data-tr]'), (l: Element) =>
    l.getAttribute('data-tr'),
  );
  links.forEach((item: BootLink) => {
    if (present.includes(item.id)) return;
    const link = doc.createElement('link');
    link.rel = 'stylesheet';
    link.crossOrigin = 'anonymous';
    link.integrity = item.integrity;
    if (nonce) link.nonce = nonce;
    link.setAttribute('data-tr', item.id);
    // Script-inserted sheets do not block rendering by default; `blocking=render` makes the first
    // paint wait for them like a parser-inserted <link>, so a returning user sees no unstyled frame.
    link.setAttribute('blocking', 'render');
    // The runtime may start after these events fired: it reads the outcome from this attribute.
    const mark = (state: string) => () => link.setAttribute('data-tr-state', state);
    link.onload = mark('loaded');
    link.onerror = mark('error');
    link.href = item.href;
    (doc.head || html).appendChild(link);
  });
} catch {
  // Storage disabled, corrupt values, odd environments: the page keeps its server-rendered markup.
}

// The inline <head> snippet, built as a minified IIFE (rollup.config.ts, `virtual:boot-iife`). Before
// first paint it links the token CSS of the last decision (STORAGE_KEYS.decision, a BootCache) and sets
// the theme, so a returning user never waits on the network and never sees a flash.
//
// Without a cached decision it uses, in order: the server-rendered decision in the script's
// `data-bootstrap` attribute (a BootCache as JSON), else the v1 monolith from `data-v1-href` and
// `data-v1-integrity`. The nonce of its own <script> goes on each <link>, so it works under a strict CSP.
// It must stay tiny (under 1 KB gzip) and must never throw: a broken boot would block the page.
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
  const cache: BootCache = parse(read(DECISION_KEY)) ||
    parse(data.bootstrap) || {
      v: 1,
      links: data.v1Href ? [{ id: 'v1', href: data.v1Href, integrity: data.v1Integrity || '' }] : [],
      legacy: true,
    };
  const stored = read(THEME_KEY);
  const theme =
    stored === 'light' || stored === 'dark'
      ? stored
      : matchMedia('(prefers-color-scheme: dark)').matches
        ? 'dark'
        : 'light';
  html.setAttribute('data-theme', theme);
  // The v1 monolith themes by a class on <html> (its legacy mechanism).
  if (cache.legacy) html.classList.add(`theme--${theme}`);
  const nonce = script ? script.nonce : '';
  // A tampered cache must not load unverified CSS or CSS from elsewhere before the runtime's allowlist
  // applies: only SRI-checked sheets, relative or from the page's (or the v1 monolith's) origin.
  const origin = (href: string) => new URL(href, location.href).origin;
  const allowed = (item: BootLink): boolean => {
    try {
      return (
        typeof item.href === 'string' &&
        typeof item.integrity === 'string' &&
        /^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/.test(item.integrity) &&
        (/^\/?[\w.~-][\w./~%?=&-]*$/.test(item.href) ||
          [location.origin, data.v1Href && origin(data.v1Href)].includes(origin(item.href)))
      );
    } catch {
      return false;
    }
  };
  cache.links.forEach((item: BootLink) => {
    if (!allowed(item) || doc.querySelector(`link[data-tr="${item.id}"]`)) return;
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

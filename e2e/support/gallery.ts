// Helpers for specs that use the gallery (test-support/gallery): a server for the project root that builds the
// tokens when stale and serves the gallery script bundled fresh from source, a URL builder, and a
// loader that waits for <html data-gallery-ready> and fails on any gallery error.
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import {
  type StaticServer,
  type StaticServerOptions,
  startStaticServer,
} from '../../scripts/serve-static.js';
import type { Family } from '../../src/families.js';
import { ensureTokensBuilt } from '../../tokens/build.js';
import { bundle } from './bundle.js';

const GALLERY_ENTRY = fileURLToPath(new URL('../../test-support/gallery/gallery.ts', import.meta.url));

/** Starts a static server on port 0 for the project root, with the gallery ready to load. */
export async function startGalleryServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  await ensureTokensBuilt();
  return startStaticServer({
    ...options,
    intercept: async (req, res) => {
      if (options.intercept && (await options.intercept(req, res))) return true;
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/dist/gallery/gallery.js') return false;
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(await bundle(GALLERY_ENTRY));
      return true;
    },
  });
}

/** The gallery's query parameters (see test-support/gallery/params.ts). */
export interface GalleryQuery {
  v?: 1 | 2;
  theme?: 'light' | 'dark';
  families?: readonly Family[] | 'all';
  n?: number;
}

/** The gallery URL on `base` for a query. */
export function galleryUrl(base: string, query: GalleryQuery = {}): string {
  const params = new URLSearchParams();
  if (query.v) params.set('v', String(query.v));
  if (query.theme) params.set('theme', query.theme);
  if (query.families) params.set('families', query.families === 'all' ? 'all' : query.families.join(','));
  if (query.n) params.set('n', String(query.n));
  return `${base}/test-support/gallery/?${params}`;
}

/** Opens the gallery and waits until it is ready; throws with the page's message if it reported an error. */
export async function openGallery(
  page: Page,
  url: string,
  options: { allowErrors?: boolean } = {},
): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('html[data-gallery-ready="true"]', { state: 'attached' });
  const error = await page.evaluate(() => document.documentElement.dataset.galleryError ?? '');
  if (error && !options.allowErrors) throw new Error(`gallery ${url} reported: ${error}`);
}

// `npm run serve:gallery`: the gallery on http://127.0.0.1:4173 (or $PORT), for looking at it by hand.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = await startGalleryServer({ port: Number(process.env.PORT ?? 4173) });
  console.log(`gallery: ${galleryUrl(server.url, { v: 2, theme: 'light' })}`);
}

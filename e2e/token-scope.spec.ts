// v1/v2 token scope parity in Chromium: a component that reads a family token outside any `.tr-<family>`
// element (no wrapper markup) renders the same on v1 as on v2, in both themes. On v1 this was transparent
// before family tokens were defined at page level too (issue 17).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { TokenManifest } from '../tokens/manifest.js';
import { startGalleryServer } from './support/gallery.js';

let server: Awaited<ReturnType<typeof startGalleryServer>>;
let manifest: TokenManifest;
test.beforeAll(async () => {
  server = await startGalleryServer();
  manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../dist/tokens/manifest.json'), 'utf8'));
});
test.afterAll(() => server.close());

const hrefs = (version: 'v1' | 'v2') =>
  manifest.files
    .filter((f) => (version === 'v1' ? f.version === 'v1' : f.family === 'core' || f.family === 'buttons'))
    .filter((f) => f.version === version)
    .map((f) => `/dist/tokens/${f.file}`);

/** Computed styles of a button and a card header styled with family tokens, with no family wrapper. */
async function styles(page: import('@playwright/test').Page, version: 'v1' | 'v2', theme: 'light' | 'dark') {
  const links = hrefs(version)
    .map((h) => `<link rel="stylesheet" href="${h}">`)
    .join('');
  const html =
    version === 'v1'
      ? `<html class="theme--${theme}">`
      : `<html${theme === 'dark' ? ' data-theme="dark"' : ''}>`;
  await page.route(`${server.url}/scope.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html>${html}<head>${links}</head><body>
        <button id="b" style="background: var(--tr-button-primary-bg); color: var(--tr-button-primary-fg);
          border: var(--tr-button-border-width) solid var(--tr-button-danger-border)">Buy</button></body></html>`,
    }),
  );
  await page.goto(`${server.url}/scope.html`);
  return page.locator('#b').evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      background: s.backgroundColor,
      color: s.color,
      border: `${s.borderTopWidth} ${s.borderTopColor}`,
    };
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`a button styled with family tokens outside any family wrapper looks the same on v1 and v2 (${theme})`, async ({
    page,
  }) => {
    const v2 = await styles(page, 'v2', theme);
    const v1 = await styles(page, 'v1', theme);
    expect(v2.background).not.toBe('rgba(0, 0, 0, 0)');
    expect(v1).toEqual(v2);
  });
}

// The plan's "zero visual regressions": for every family and both themes, the gallery with the v1
// monolith and with v2 (core + that family) has identical computed styles on every element (and its
// ::before/::after) and pixel-identical full-page screenshots. Plus the whole gallery per theme, theme
// switching through window.gallery, v2 tokens all resolving, and the gallery's error reporting.
import { expect, type Page, test } from '@playwright/test';
import { PNG } from 'pngjs';
import type { StaticServer } from '../scripts/serve-static.js';
import { FAMILIES, type Family } from '../src/families.js';
import { type GalleryQuery, galleryUrl, openGallery, startGalleryServer } from './support/gallery.js';

type Theme = 'light' | 'dark';
const THEMES: Theme[] = ['light', 'dark'];

/** Per element: a label, its standard properties (values in `names` order) and, where tokens are declared, its custom properties. */
interface ElementStyles {
  label: string;
  values: string[];
  custom?: Record<string, string>;
}

interface PageStyles {
  names: string[];
  elements: ElementStyles[];
}

/**
 * Computed styles of <html>, <body> and every element under it, plus generated ::before/::after boxes.
 * Custom properties are read where tokens are declared (<html> and component roots, `[class*="tr-"]`);
 * everywhere else they are inherited unchanged, and their effect shows in the standard properties.
 */
function computedStyles(page: Page): Promise<PageStyles> {
  return page.evaluate(() => {
    const probe = getComputedStyle(document.body);
    const names: string[] = [];
    for (let i = 0; i < probe.length; i++) {
      const name = probe.item(i);
      if (!name.startsWith('--')) names.push(name);
    }
    const elements: { label: string; values: string[]; custom?: Record<string, string> }[] = [];
    const all = [document.documentElement, document.body, ...document.body.querySelectorAll('*')];
    all.forEach((el, index) => {
      // <html> carries the theme mechanism (class or data-theme), which differs by design.
      const named = el !== document.documentElement && typeof el.className === 'string' && el.className;
      const label = `#${index} <${el.tagName.toLowerCase()}${named ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}>`;
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(el, pseudo);
        if (pseudo && style.content === 'none') continue;
        const entry: { label: string; values: string[]; custom?: Record<string, string> } = {
          label: `${label}${pseudo ?? ''}`,
          values: names.map((name) => style.getPropertyValue(name)),
        };
        if (!pseudo && (el === document.documentElement || /(^|\s)tr-/.test(named || ''))) {
          entry.custom = {};
          for (let i = 0; i < style.length; i++) {
            const name = style.item(i);
            if (name.startsWith('--')) entry.custom[name] = style.getPropertyValue(name);
          }
        }
        elements.push(entry);
      }
    });
    return { names, elements };
  });
}

/** Differences that would be visible: any standard property, and any token a v2 page gives an element that v1 lacks or resolves differently. */
function styleDifferences(v1: PageStyles, v2: PageStyles): string[] {
  if (v1.names.join() !== v2.names.join()) return ['the browser listed different computed properties'];
  if (v1.elements.length !== v2.elements.length) {
    return [`element count differs: v1 ${v1.elements.length}, v2 ${v2.elements.length}`];
  }
  const diffs: string[] = [];
  v1.elements.forEach((a, i) => {
    const b = v2.elements[i] as ElementStyles;
    if (a.label !== b.label) diffs.push(`element ${i}: v1 ${a.label}, v2 ${b.label}`);
    a.values.forEach((value, k) => {
      if (b.values[k] !== value) diffs.push(`${a.label} ${v1.names[k]}: v1 "${value}" / v2 "${b.values[k]}"`);
    });
    // A v2 page loads core and its own families; the v1 monolith defines every family's tokens on the
    // page too (a component reading a token outside its family root renders the same). What matters is
    // that every token the v2 page gives an element is there, with the same value, on v1, and that the
    // family roots get every token v1 gives them.
    for (const [name, value] of Object.entries(b.custom ?? {})) {
      if (a.custom?.[name] !== value)
        diffs.push(`${a.label} ${name}: v2 "${value}" / v1 "${a.custom?.[name] ?? '(none)'}"`);
    }
    if (a.label.includes('.tr-')) {
      for (const [name, value] of Object.entries(a.custom ?? {})) {
        if (b.custom?.[name] !== undefined && b.custom[name] !== value)
          diffs.push(`${a.label} ${name}: v1 "${value}" / v2 "${b.custom[name]}"`);
      }
    }
  });
  return diffs;
}

/** Pixels that differ between two PNG screenshots, and their bounding box (every pixel when sizes differ). */
function pixelDifferences(a: Buffer, b: Buffer): { differing: number; box: string } {
  const pa = PNG.sync.read(a);
  const pb = PNG.sync.read(b);
  if (pa.width !== pb.width || pa.height !== pb.height) {
    return {
      differing: pa.width * pa.height,
      box: `sizes differ: v1 ${pa.width}x${pa.height}, v2 ${pb.width}x${pb.height}`,
    };
  }
  let differing = 0;
  let [x0, y0, x1, y1] = [pa.width, pa.height, -1, -1];
  for (let i = 0; i < pa.data.length; i += 4) {
    if (pa.data.readUInt32BE(i) === pb.data.readUInt32BE(i)) continue;
    differing++;
    const x = (i / 4) % pa.width;
    const y = Math.floor(i / 4 / pa.width);
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  }
  return { differing, box: differing ? `x ${x0}-${x1}, y ${y0}-${y1}` : 'none' };
}

const screenshot = (page: Page) => page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });

let server: StaticServer;
test.beforeAll(async () => {
  server = await startGalleryServer();
});
test.afterAll(async () => {
  await server?.close();
});

/** Loads the same gallery query with v1 and v2 and asserts identical computed styles and pixels. */
async function expectParity(pages: { v1: Page; v2: Page }, query: GalleryQuery): Promise<void> {
  await openGallery(pages.v1, galleryUrl(server.url, { ...query, v: 1 }));
  await openGallery(pages.v2, galleryUrl(server.url, { ...query, v: 2 }));
  const [s1, s2] = await Promise.all([computedStyles(pages.v1), computedStyles(pages.v2)]);
  expect(s1.elements.length).toBeGreaterThan(15);
  expect(s1.names.length).toBeGreaterThan(200);
  expect(Object.keys(s1.elements[0]?.custom ?? {}).length).toBeGreaterThan(100);
  expect(styleDifferences(s1, s2).slice(0, 20)).toEqual([]);
  const [p1, p2] = await Promise.all([screenshot(pages.v1), screenshot(pages.v2)]);
  expect(pixelDifferences(p1, p2)).toEqual({ differing: 0, box: 'none' });
}

test.describe('v1 and v2 render identically', () => {
  for (const theme of THEMES) {
    for (const family of FAMILIES) {
      test(`${family}, ${theme}`, async ({ browser }) => {
        const context = await browser.newContext();
        const pages = { v1: await context.newPage(), v2: await context.newPage() };
        await expectParity(pages, { theme, families: [family] });
        await context.close();
      });
    }
    test(`whole gallery (every family), ${theme}`, async ({ browser }) => {
      test.slow(); // ~280 elements and two 1280x3600 screenshots on a shared machine
      const context = await browser.newContext();
      const pages = { v1: await context.newPage(), v2: await context.newPage() };
      await expectParity(pages, { theme, families: 'all' });
      await context.close();
    });
  }
});

/** One element per family whose token-driven background must be painted (not the initial transparent). */
const PAINTED: Record<Family, string> = {
  buttons: '.button--primary',
  cards: '.card',
  forms: '.input.is-error',
  tables: '.table th',
  navigation: '.navbar',
  feedback: '.alert--info',
  overlays: '.modal',
  checkout: '.checkout__pay',
};

test.describe('v2 tokens resolve', () => {
  for (const theme of THEMES) {
    test(`every token of core and the loaded family resolves, and components are painted (${theme})`, async ({
      page,
    }) => {
      for (const family of FAMILIES) {
        await openGallery(page, galleryUrl(server.url, { v: 2, theme, families: [family] }));
        const links = await page.$$eval('link[data-tokens]', (els) =>
          els.map((l) => (l as HTMLLinkElement).href),
        );
        expect(links.map((href) => href.replace(/^.*\/v2\/(\w+)\.[0-9a-f]{8}\.css$/, '$1'))).toEqual([
          'core',
          family,
        ]);
        const tokens = (await (await page.request.get(`${server.url}/dist/tokens/tokens.json`)).json()) as {
          tokens: { name: string; family: string }[];
        };
        const names = tokens.tokens
          .filter((t) => t.family === 'core' || t.family === family)
          .map((t) => t.name);
        const unresolved = await page.evaluate((list) => {
          const style = getComputedStyle(document.documentElement);
          // A var() to an undefined property makes the token invalid at computed-value time: empty.
          return list.filter((name) => style.getPropertyValue(name).trim() === '');
        }, names);
        expect(unresolved).toEqual([]);
        const painted = await page.$eval(PAINTED[family], (el) => getComputedStyle(el).backgroundColor);
        expect(painted, `${family} ${PAINTED[family]} background`).not.toBe('rgba(0, 0, 0, 0)');
        const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
        expect(font).toBe('"DejaVu Sans", sans-serif');
      }
    });
  }
});

test.describe('theme switching through window.gallery', () => {
  for (const v of [1, 2] as const) {
    test(`v${v}: switching light -> dark looks exactly like loading dark`, async ({ page }) => {
      await openGallery(
        page,
        galleryUrl(server.url, { v, theme: 'dark', families: ['buttons', 'checkout'] }),
      );
      const dark = await screenshot(page);
      await openGallery(
        page,
        galleryUrl(server.url, { v, theme: 'light', families: ['buttons', 'checkout'] }),
      );
      const light = await screenshot(page);
      expect(pixelDifferences(light, dark).differing).toBeGreaterThan(1000);
      await page.evaluate(() => window.gallery?.setTheme('dark'));
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      );
      expect(pixelDifferences(await screenshot(page), dark).differing).toBe(0);
      const root = await page.evaluate(() => ({
        theme: document.documentElement.dataset.theme ?? null,
        classes: document.documentElement.className,
      }));
      expect(root).toEqual(
        v === 2 ? { theme: 'dark', classes: '' } : { theme: null, classes: 'theme--dark' },
      );
    });
  }
});

test.describe('gallery page', () => {
  test('repeats its content n times for benchmarks', async ({ page }) => {
    await openGallery(page, galleryUrl(server.url, { v: 2, n: 1 }));
    const one = await page.evaluate(() => document.body.querySelectorAll('*').length);
    await openGallery(page, galleryUrl(server.url, { v: 2, n: 8 }));
    const eight = await page.evaluate(() => document.body.querySelectorAll('*').length);
    expect(eight).toBeGreaterThanOrEqual(2000);
    expect(eight - 1).toBe((one - 1) * 8);
  });

  test('shows what was wrong with a bad query and still renders with defaults', async ({ page }) => {
    await openGallery(page, `${server.url}/test-support/gallery/?v=7&families=buttons,widgets`, {
      allowErrors: true,
    });
    await expect(page.getByRole('alert')).toContainText('?v=7: expected 1 or 2; showing v2');
    await expect(page.getByRole('alert')).toContainText('unknown widgets');
    await expect(page.locator('.button--primary').first()).toBeVisible();
  });

  test('names a token file that failed to load', async ({ page }) => {
    const broken = await startGalleryServer({
      intercept: (req, res) => {
        if (!/\/v2\/buttons\.[0-9a-f]{8}\.css$/.test(req.url ?? '')) return false;
        res.writeHead(404).end();
        return true;
      },
    });
    try {
      await openGallery(page, galleryUrl(broken.url, { v: 2, families: ['buttons'] }), { allowErrors: true });
      await expect(page.getByRole('alert')).toContainText(
        /could not load token CSS .*\/v2\/buttons\.[0-9a-f]{8}\.css/,
      );
    } finally {
      await broken.close();
    }
  });
});

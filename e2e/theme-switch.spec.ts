// The shipped theme switch in Chromium: the new theme is painted in full in the next frame, with no
// transition left running (the bare attribute change started one per element), no sheet left behind,
// and the same pixels as the attribute change once that has settled.
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { bundle } from './support/bundle.js';

const ENTRY = fileURLToPath(new URL('./fixtures/theme/page.ts', import.meta.url));
const BUTTONS = Array.from({ length: 40 }, (_, i) => `<button>Button ${i}</button>`).join('');

async function open(page: Page): Promise<void> {
  await page.setContent(`<!doctype html><html data-theme="light"><head><style>
    :root { --bg: #ffffff; --fg: #111827; }
    [data-theme="dark"] { --bg: #111827; --fg: #f9fafb; }
    body { background: var(--bg); color: var(--fg); }
    button { background: var(--bg); color: var(--fg); transition: background-color 300ms, color 300ms; }
  </style></head><body>${BUTTONS}</body></html>`);
  await page.addScriptTag({ content: await bundle(ENTRY), type: 'module' });
  await page.waitForFunction(() => typeof window.themeSwitch === 'function');
}

/** Switches, waits two frames, and reports what is still animating and the first button's colour. */
async function afterSwitch(page: Page, mechanism: 'switch' | 'attribute') {
  return page.evaluate(async (m) => {
    window.themeSwitch(m, 'dark');
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    return {
      running: document.getAnimations().length,
      sheets: document.querySelectorAll('style').length,
      background: getComputedStyle(document.querySelector('button')!).backgroundColor,
    };
  }, mechanism);
}

test('a theme switch paints the new theme in the next frame with no transition left running', async ({
  page,
}) => {
  await open(page);
  const after = await afterSwitch(page, 'switch');
  expect(after).toEqual({ running: 0, sheets: 1, background: 'rgb(17, 24, 39)' });
  const pixels = await page.screenshot();
  // The bare attribute change it replaced: every button animates for 300 ms after the switch.
  await open(page);
  const bare = await afterSwitch(page, 'attribute');
  expect(bare.running).toBeGreaterThanOrEqual(40);
  expect(bare.background).not.toBe('rgb(17, 24, 39)');
  await page.waitForFunction(() => document.getAnimations().length === 0);
  expect(Buffer.compare(await page.screenshot(), pixels)).toBe(0);
});

// The boot snippet in Chromium: a returning user's decision and theme are applied before first paint,
// with no network wait and no flash; a first-time user gets v1 (or the bootstrap) and converges.
import { expect, type Page, test } from '@playwright/test';
import { pageUrl, type RuntimeServer, startRuntimeServer } from './fixtures/runtime/server.js';

type Json = Record<string, unknown>;
const ALL_V2 = { stage: 'go', version: 'fixture-1', go: { percentage: 100, regions: ['all'] } };
const EVERY = ['buttons', 'cards', 'forms', 'tables', 'navigation', 'feedback', 'overlays', 'checkout'];
const V2_LINKS = ['v2/core', ...EVERY.map((f) => `v2/${f}`)];

let server: RuntimeServer;
test.beforeAll(async () => {
  server = await startRuntimeServer();
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(() => {
  server.faults.clear();
  server.requests.length = 0;
});

/**
 * Records, from the very first frame, every frame in which a sample element exists but its token is
 * unset, and the theme each painted frame had. rAF only runs for frames the browser renders.
 */
async function watchFirstFrames(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __frames: { n: number; unstyled: string[]; themes: string[] } };
    w.__frames = { n: 0, unstyled: [], themes: [] };
    const tick = () => {
      const f = w.__frames;
      f.n++;
      f.themes.push(document.documentElement.getAttribute('data-theme') ?? 'none');
      for (const el of document.querySelectorAll<HTMLElement>('.sample')) {
        if (
          getComputedStyle(el)
            .getPropertyValue(el.dataset.probe ?? '')
            .trim() === ''
        ) {
          f.unstyled.push(`frame ${f.n} ${el.dataset.family}`);
        }
      }
      if (f.n < 120) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function ready(page: Page): Promise<Json> {
  return page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<Json> } } }).rt.rollout.ready,
  );
}
async function atBody(page: Page): Promise<{ links: string[]; theme: string | null; className: string }> {
  return page.evaluate(
    () =>
      (window as unknown as { __atBody: { links: string[]; theme: string | null; className: string } })
        .__atBody,
  );
}
const tokenRequests = (s: RuntimeServer) => s.requests.filter((r) => r.startsWith('/dist/tokens/v'));

test('first visit gets v1 before first paint, then converges to v2 with no unstyled frame', async ({
  page,
}) => {
  await watchFirstFrames(page);
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
  expect(await atBody(page)).toMatchObject({ links: ['v1'], className: 'theme--light', theme: 'light' });
  const s = await ready(page);
  expect(s.arm).toBe('v2');
  await page.waitForFunction(() => (window as unknown as { __frames: { n: number } }).__frames.n >= 120);
  const frames = await page.evaluate(
    () => (window as unknown as { __frames: { unstyled: string[] } }).__frames,
  );
  expect(frames.unstyled).toEqual([]);
});

test('a returning user gets the cached decision and theme before first paint, without waiting on the network', async ({
  page,
}) => {
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
  await ready(page);
  await page.evaluate(() =>
    (window as unknown as { rt: { rollout: { setTheme(t: string): Promise<number> } } }).rt.rollout.setTheme(
      'dark',
    ),
  );
  server.requests.length = 0;
  // The second visit: flags never answer, the manifest is slow, the token files slower still.
  server.faults.set('manifest.json', { delayMs: 2000 });
  server.faults.set('/dist/tokens/v2/', { delayMs: 400 });
  await watchFirstFrames(page);
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2), delayed: '1' }), {
    waitUntil: 'domcontentloaded',
  });
  const body = await atBody(page);
  expect(body.links).toEqual(V2_LINKS);
  expect(body.theme).toBe('dark');
  expect(body.className).toBe('');
  await page.waitForFunction(() => (window as unknown as { __frames: { n: number } }).__frames.n >= 60);
  const frames = await page.evaluate(
    () => (window as unknown as { __frames: { unstyled: string[]; themes: string[] } }).__frames,
  );
  // Every painted frame was styled and dark: no flash, no theme flicker.
  expect(frames.unstyled).toEqual([]);
  expect(new Set(frames.themes)).toEqual(new Set(['dark']));
  // Each v2 file was requested once (the runtime adopted the snippet's links); no v1.
  expect(tokenRequests(server).sort()).toEqual(
    server.manifest.files
      .filter((f) => f.version === 'v2')
      .map((f) => `/dist/tokens/${f.file}`)
      .sort(),
  );
});

test('a corrupt or unreadable cache falls back to v1 and never throws', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pageUrl(server, { config: 'null' }), { waitUntil: 'domcontentloaded' });
  await ready(page);
  for (const bad of ['{not json', '{"v":1,"links":"x"}', '{"v":1,"links":[{"id":"v1"}]}', 'null', '[]']) {
    await page.evaluate((v) => localStorage.setItem('token-rollout:decision', v), bad);
    await page.evaluate(() => localStorage.setItem('token-rollout:theme', '"><script>'));
    await page.goto(pageUrl(server, { config: 'null' }), { waitUntil: 'domcontentloaded' });
    const body = await atBody(page);
    expect(body.links, bad).toEqual(bad.includes('"id":"v1"') ? [] : ['v1']);
    expect(body.theme).toBe('light');
    await ready(page);
    expect(
      await page.evaluate(() =>
        [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr')),
      ),
    ).toEqual(['v1']);
  }
  expect(errors).toEqual([]);
});

test('a page whose storage throws still boots (v1) and runs', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
  expect((await atBody(page)).links).toEqual(['v1']);
  const s = await ready(page);
  expect(s.arm).toBe('v2');
  const ms = await page.evaluate(() =>
    (window as unknown as { rt: { rollout: { setTheme(t: string): Promise<number> } } }).rt.rollout.setTheme(
      'dark',
    ),
  );
  expect(ms).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('a server-rendered bootstrap is linked before first paint and accepted by the runtime', async ({
  page,
}) => {
  const v2 = server.manifest.files.filter((f) => f.version === 'v2');
  const order = ['core', ...EVERY];
  const bootstrap = {
    v: 1,
    legacy: false,
    links: order.map((part) => {
      const f = v2.find((x) => x.family === part);
      return { id: `v2/${part}`, href: `/dist/tokens/${f?.file}`, integrity: f?.integrity };
    }),
  };
  const assignment = {
    stage: 'go',
    bucket: 0.5,
    configVersion: 'fixture-1',
    families: Object.fromEntries(EVERY.map((f) => [f, { version: 'v2', reason: 'in-rollout' }])),
  };
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2), manual: '1' }, { bootstrap }), {
    waitUntil: 'domcontentloaded',
  });
  expect((await atBody(page)).links).toEqual(V2_LINKS);
  const before = await page.evaluate(async (a) => {
    const rt = (
      window as unknown as { rt: { start(o: unknown): { getState(): Json; ready: Promise<Json> } } }
    ).rt;
    const rollout = rt.start({ bootstrap: a, delayed: true });
    await new Promise((r) => setTimeout(r, 300));
    return rollout.getState();
  }, assignment);
  expect(before).toMatchObject({ ready: false, arm: 'v2', stage: 'go' });
  await page.evaluate(() => (window as unknown as { rt: { flags: { release(): void } } }).rt.flags.release());
  const after = await ready(page);
  expect(after).toMatchObject({ ready: true, arm: 'v2' });
  expect(tokenRequests(server).some((r) => r.includes('/v1/'))).toBe(false);
});

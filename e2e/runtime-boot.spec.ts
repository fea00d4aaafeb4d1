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
    // A decision with an entry the snippet refuses is corrupt too: v1, never nothing (issue 18, item 6).
    expect(body.links, bad).toEqual(['v1']);
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

/** Stores `decision` as the cached one, then loads the page again (boot only: the runtime is not started). */
async function bootWith(page: Page, decision: unknown): Promise<{ links: string[] }> {
  await page.goto(pageUrl(server, { config: 'null', manual: '1' }), { waitUntil: 'domcontentloaded' });
  await page.evaluate((d) => localStorage.setItem('token-rollout:decision', d), JSON.stringify(decision));
  await page.goto(pageUrl(server, { config: 'null', manual: '1' }), { waitUntil: 'load' });
  return atBody(page);
}

const v2Links = () =>
  ['core', ...EVERY].map((part) => {
    const f = server.manifest.files.find((x) => x.version === 'v2' && x.family === part);
    return { id: `v2/${part}`, href: `/dist/tokens/${f?.file}`, integrity: f?.integrity };
  });

test('a stored link id that is not a valid selector (x"]) does not stop the boot (issue 18, item 6)', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const [core, ...rest] = v2Links();
  const body = await bootWith(page, { v: 1, legacy: false, links: [{ ...core, id: 'x"]' }, core, ...rest] });
  expect(body.links).toEqual(['x"]', ...V2_LINKS]);
  expect(errors).toEqual([]);
});

test('when every stored link is refused the v1 sheet is linked before first paint (issue 18, item 6)', async ({
  page,
}) => {
  await watchFirstFrames(page);
  const refused = v2Links().map((l, i) =>
    i % 2 === 0 ? { ...l, integrity: 'sha384-!!!' } : { ...l, href: `https://evil.test${l.href}` },
  );
  const body = await bootWith(page, { v: 1, legacy: false, links: refused });
  expect(body).toMatchObject({ links: ['v1'], className: 'theme--light' });
  await page.waitForFunction(() => (window as unknown as { __frames: { n: number } }).__frames.n >= 30);
  const frames = await page.evaluate(
    () => (window as unknown as { __frames: { unstyled: string[] } }).__frames,
  );
  expect(frames.unstyled).toEqual([]);
});

test("per-page families: a returning user's all-v2 page in a partial stage makes no v1 request (issue 17, item 1)", async ({
  page,
}) => {
  const partial = { ...ALL_V2, go: { percentage: 100, regions: ['all'], components: ['buttons', 'cards'] } };
  const visit = async (families: string) => {
    const url = pageUrl(server, { config: JSON.stringify(partial), families }, { families });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    return { body: await atBody(page), state: await ready(page) };
  };
  // First visit (v1 from the snippet), then the runtime caches the decision for every family.
  await visit('buttons,cards');
  server.requests.length = 0;
  const allV2 = await visit('buttons,cards');
  expect(allV2.body.links).toEqual(['v2/core', 'v2/buttons', 'v2/cards']);
  expect(allV2.body.className).toBe('');
  expect(allV2.state).toMatchObject({ arm: 'v2', pageFamilies: ['buttons', 'cards'] });
  expect(tokenRequests(server).filter((r) => r.includes('/v1/'))).toEqual([]);
  // A page of the same app with a family on v1 gets the monolith before first paint.
  server.requests.length = 0;
  const mixed = await visit('buttons,forms');
  expect(mixed.body.links).toEqual(['v1', 'v2/core', 'v2/buttons']);
  expect(mixed.body.className).toBe('theme--light');
  expect(mixed.state).toMatchObject({ arm: 'mixed' });
});

// The token runtime in Chromium: CSS loader swaps and failures, boot snippet, CSP, theme, opt-out, leaks.
import { expect, type Page, test } from '@playwright/test';
import { FAMILIES } from '../src/families.js';
import { readProbes, startSampling, stopSampling } from './fixtures/runtime/sampler.js';
import { pageUrl, type RuntimeServer, startRuntimeServer } from './fixtures/runtime/server.js';

type Json = Record<string, unknown>;
const ALL_V2 = { stage: 'go', version: 'fixture-1', go: { percentage: 100, regions: ['all'] } };

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

async function state(page: Page): Promise<Json> {
  return page.evaluate(() =>
    (window as unknown as { rt: { rollout: { getState(): Json } } }).rt.rollout.getState(),
  );
}
async function ready(page: Page): Promise<Json> {
  return page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<Json> } } }).rt.rollout.ready,
  );
}
async function links(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr') ?? ''),
  );
}

test('a v2 decision loads the v2 core and family files and drops the v1 monolith', async ({ page }) => {
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
  const s = await ready(page);
  expect(s.arm).toBe('v2');
  expect(await links(page)).toEqual([
    'v2/core',
    'v2/buttons',
    'v2/cards',
    'v2/forms',
    'v2/tables',
    'v2/navigation',
    'v2/feedback',
    'v2/overlays',
    'v2/checkout',
  ]);
  expect((s.families as Json).forms).toEqual({ version: 'v2', reason: 'in-rollout', loaded: true });
  expect(await state(page)).toEqual(s);
});

const CORE_AND = (families: readonly string[]) => ['v2/core', ...families.map((f) => `v2/${f}`)];

/** Waits until the token links are exactly `expected` and every page family's sheet is loaded. */
async function settle(page: Page, expected: string[]): Promise<void> {
  await page.waitForFunction((want) => {
    const rt = (
      window as unknown as {
        rt: {
          rollout: { getState(): { pageFamilies: string[]; families: Record<string, { loaded: boolean }> } };
        };
      }
    ).rt;
    const got = [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr')).sort();
    const s = rt.rollout.getState();
    return (
      JSON.stringify(got) === JSON.stringify([...want].sort()) &&
      s.pageFamilies.every((f) => s.families[f]?.loaded)
    );
  }, expected);
}

async function flip(page: Page, config: unknown): Promise<void> {
  await page.evaluate(
    (c) => (window as unknown as { rt: { flags: { set(c: unknown): void } } }).rt.flags.set(c),
    config,
  );
}

for (const theme of ['light', 'dark'] as const) {
  test(`swaps in both directions never paint an unstyled or wrongly themed frame (${theme})`, async ({
    page,
  }) => {
    await page.goto(pageUrl(server, { config: 'null' }), { waitUntil: 'domcontentloaded' });
    await ready(page);
    await page.evaluate(
      (t) =>
        (
          window as unknown as { rt: { rollout: { setTheme(t: string): Promise<number> } } }
        ).rt.rollout.setTheme(t),
      theme,
    );
    await settle(page, ['v1']);
    const v1 = await readProbes(page);
    await flip(page, ALL_V2);
    await settle(page, CORE_AND(FAMILIES));
    const v2 = await readProbes(page);
    const expected: Record<string, Record<string, string[]>> = { [theme]: {} };
    for (const family of FAMILIES)
      expected[theme]![family] = [...new Set([v1[family] ?? '', v2[family] ?? ''])];
    // Slow token files stretch each swap over many frames, so an early removal would be seen.
    server.faults.set('/dist/tokens/', { delayMs: 250 });
    await startSampling(page, expected);
    await flip(page, null);
    await settle(page, ['v1']);
    await flip(page, {
      ...ALL_V2,
      go: { percentage: 100, regions: ['all'], components: ['buttons', 'cards'] },
    });
    await settle(page, ['v1', ...CORE_AND(['buttons', 'cards'])]);
    await flip(page, ALL_V2);
    await settle(page, CORE_AND(FAMILIES));
    await flip(page, { ...ALL_V2, go: { percentage: 100, regions: ['all'], components: ['forms'] } });
    await settle(page, ['v1', ...CORE_AND(['forms'])]);
    await flip(page, null);
    await settle(page, ['v1']);
    const report = await stopSampling(page);
    expect(report.bad).toEqual([]);
    expect(report.frames).toBeGreaterThan(30);
    // v1 (legacy class) and v2 (data-theme) render the same token values in this theme.
    for (const family of FAMILIES) expect(v1[family], `${family} probe`).not.toBe('');
    expect(v1).toEqual(v2);
  });
}

test('the frame sampler does see an unstyled frame (control)', async ({ page }) => {
  await page.goto(pageUrl(server, { config: 'null' }), { waitUntil: 'domcontentloaded' });
  await ready(page);
  const v1 = await readProbes(page);
  const expected = { light: Object.fromEntries(FAMILIES.map((f) => [f, [v1[f] ?? '']])) };
  await startSampling(page, expected);
  // What a naive swap does: drop the old sheet before the new one arrived.
  await page.evaluate(() => {
    const old = document.querySelector('link[data-tr="v1"]');
    const copy = old?.cloneNode() as HTMLLinkElement;
    old?.remove();
    setTimeout(() => document.head.append(copy), 100);
  });
  await page.waitForTimeout(300);
  const report = await stopSampling(page);
  expect(report.badCount).toBeGreaterThan(0);
});

const FAULTS = [
  ['404', /HTTP 404/],
  ['500', /HTTP 500/],
  ['hang', /timed out after 3000 ms/],
  ['corrupt', /integrity/],
] as const;

for (const [fault, message] of FAULTS) {
  test(`a v2 family file that fails (${fault}) keeps that family on v1 and says why`, async ({ page }) => {
    server.faults.set('v2/forms.', fault);
    // Only the hanging file should time out: the others get a timeout a loaded CI machine cannot miss.
    const timeout = fault === 'hang' ? '3000' : '20000';
    await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2), timeout }), {
      waitUntil: 'domcontentloaded',
    });
    const s = await ready(page);
    const families = s.families as Record<string, Json>;
    expect(families.forms).toMatchObject({ version: 'v1', reason: 'load-failed', loaded: true });
    expect(String(families.forms?.error)).toMatch(message);
    expect(families.buttons).toMatchObject({ version: 'v2', reason: 'in-rollout', loaded: true });
    expect(s.arm).toBe('mixed');
    expect((await links(page)).sort()).toEqual(
      ['v1', ...CORE_AND(FAMILIES.filter((f) => f !== 'forms'))].sort(),
    );
    // The page stays styled: forms through the v1 monolith.
    const probes = await readProbes(page);
    for (const family of FAMILIES) expect(probes[family], family).not.toBe('');
  });
}

test('a failing v2 core keeps every family on v1', async ({ page }) => {
  server.faults.set('v2/core.', '500');
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
  const s = await ready(page);
  expect(s.arm).toBe('v1');
  for (const family of FAMILIES)
    expect((s.families as Record<string, Json>)[family]?.reason).toBe('load-failed');
  expect(await links(page)).toEqual(['v1']);
});

test('token files from an origin outside the allowlist are refused', async ({ page }) => {
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2), manual: '1' }), {
    waitUntil: 'domcontentloaded',
  });
  const s = await page.evaluate(async () => {
    const rt = (window as unknown as { rt: { start(o: unknown): { ready: Promise<Json> } } }).rt;
    return rt.start({ allowedOrigins: ['https://cdn.example.com'] }).ready;
  });
  const forms = (s.families as Record<string, Json>).forms;
  expect(forms).toMatchObject({ version: 'v1', reason: 'load-failed' });
  expect(String(forms?.error)).toMatch(/origin http:\/\/127\.0\.0\.1:\d+ is not in allowedOrigins/);
  expect(server.requests.some((r) => r.includes('/v2/'))).toBe(false);
});

test('a rollback flip in the middle of a swap settles on v1 with no unstyled frame', async ({ page }) => {
  await page.goto(pageUrl(server, { config: 'null' }), { waitUntil: 'domcontentloaded' });
  await ready(page);
  const v1 = await readProbes(page);
  await startSampling(page, { light: Object.fromEntries(FAMILIES.map((f) => [f, [v1[f] ?? '']])) });
  server.faults.set('/dist/tokens/v2/', { delayMs: 400 });
  await flip(page, ALL_V2);
  await page.waitForTimeout(100);
  await flip(page, null);
  await settle(page, ['v1']);
  await page.waitForTimeout(600);
  expect(await links(page)).toEqual(['v1']);
  expect((await state(page)).arm).toBe('v1');
  const report = await stopSampling(page);
  expect(report.bad).toEqual([]);
});

test('a missing manifest keeps the page on v1, styled, and says why', async ({ page }) => {
  await page.goto(
    pageUrl(server, { config: JSON.stringify(ALL_V2), manifest: '/dist/tokens/missing.json' }),
    { waitUntil: 'domcontentloaded' },
  );
  const s = await ready(page);
  expect(s.arm).toBe('v1');
  expect((s.families as Record<string, Json>).forms).toMatchObject({ version: 'v1', reason: 'load-failed' });
  expect((s.errors as string[]).join('\n')).toMatch(
    /token manifest .*missing\.json could not be loaded: HTTP 404/,
  );
  expect(await links(page)).toEqual(['v1']);
});

test('bad calls get a clear error and change nothing', async ({ page }) => {
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
  const before = await ready(page);
  const errors = await page.evaluate(async () => {
    const r = (window as unknown as { rt: { rollout: Record<string, (...a: unknown[]) => unknown> } }).rt
      .rollout;
    const out: string[] = [];
    for (const call of [
      () => r.setTheme?.('blue'),
      () => r.use?.('widgets'),
      () => r.fallback?.(['forms', 'nope'], 'fcp'),
    ]) {
      try {
        await call();
        out.push('no error');
      } catch (e) {
        out.push((e as Error).message);
      }
    }
    return out;
  });
  expect(errors).toEqual([
    `setTheme("blue"): expected 'light', 'dark' or 'system'`,
    expect.stringContaining('rollout.use("widgets"): unknown family; expected one of buttons, cards'),
    'fallback(): unknown family nope',
  ]);
  expect(await state(page)).toEqual(before);
  expect(await page.evaluate(() => localStorage.getItem('token-rollout:fallback'))).toBeNull();
  expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('light');
});

test('a page that declares no family yet keeps its boot links until components register theirs', async ({
  page,
}) => {
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
  await ready(page);
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2), families: 'none' }), {
    waitUntil: 'domcontentloaded',
  });
  const s = await ready(page);
  expect(s.pageFamilies).toEqual([]);
  expect(await links(page)).toEqual(CORE_AND(FAMILIES));
  await page.evaluate(() =>
    (window as unknown as { rt: { rollout: { use(f: string): () => void } } }).rt.rollout.use('forms'),
  );
  await settle(page, CORE_AND(['forms']));
  expect((await state(page)).arm).toBe('v2');
});

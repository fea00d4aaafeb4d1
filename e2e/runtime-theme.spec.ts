// Theme switching, opt-out, the notice, two-tab sync and the destroy() leak check, in Chromium.
import { type CDPSession, expect, type Page, test } from '@playwright/test';
import { FAMILIES } from '../src/families.js';
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

interface Rt {
  rollout: {
    getState(): Json;
    ready: Promise<Json>;
    setTheme(t: string): Promise<number>;
    setOptOut(b: boolean): Promise<void>;
    dismissNotice(): void;
    fallback(f: string[] | 'all', reason: string): Promise<void>;
    use(f: string): () => void;
    destroy(): void;
  };
  flags: { set(c: unknown): void; identified: Json[]; closed: boolean };
  start(o?: unknown): Rt['rollout'];
}
const rt = (page: Page, fn: (rt: Rt, arg: unknown) => unknown, arg?: unknown) =>
  page.evaluate(
    ([source, a]) =>
      new Function('rt', 'arg', `return (${source})(rt, arg)`)((window as unknown as { rt: Rt }).rt, a),
    [fn.toString(), arg] as const,
  );

async function open(page: Page, config: unknown = ALL_V2, query: Record<string, string> = {}): Promise<Json> {
  await page.goto(pageUrl(server, { config: JSON.stringify(config), ...query }), {
    waitUntil: 'domcontentloaded',
  });
  return (await rt(page, (r) => r.rollout.ready)) as Json;
}
const html = (page: Page) =>
  page.evaluate(() => ({
    theme: document.documentElement.getAttribute('data-theme'),
    className: document.documentElement.className,
  }));
const links = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr')));

test('state snapshots are immutable: same object until a change, a new one after', async ({ page }) => {
  await open(page);
  const result = await rt(page, async (r) => {
    const a = r.rollout.getState();
    const same = a === r.rollout.getState();
    const seen: unknown[] = [];
    const unsubscribe = (
      r.rollout as unknown as { subscribe(l: (s: unknown) => void): () => void }
    ).subscribe((s) => seen.push(s));
    await r.rollout.setTheme('dark');
    unsubscribe();
    await r.rollout.setTheme('light');
    const b = r.rollout.getState();
    return { same, oldTheme: a.theme, newTheme: b.theme, changed: a !== b, notified: seen.length };
  });
  expect(result).toEqual({ same: true, oldTheme: 'light', newTheme: 'light', changed: true, notified: 1 });
});

test('setTheme switches data-theme, persists, and resolves with the time to the next paint', async ({
  page,
}) => {
  await open(page);
  const ms = (await rt(page, (r) => r.rollout.setTheme('dark'))) as number;
  expect(ms).toBeGreaterThan(0);
  expect(await html(page)).toEqual({ theme: 'dark', className: '' });
  expect(await rt(page, (r) => r.rollout.getState())).toMatchObject({
    theme: 'dark',
    themePreference: 'dark',
  });
  expect(await page.evaluate(() => localStorage.getItem('token-rollout:theme'))).toBe('dark');
  // The stylesheet follows: v2 tokens now resolve to the dark values.
  const probe = await page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('.tr-buttons')!;
    const dark = getComputedStyle(el).getPropertyValue(el.dataset.probe!).trim();
    document.documentElement.setAttribute('data-theme', 'light');
    const light = getComputedStyle(el).getPropertyValue(el.dataset.probe!).trim();
    document.documentElement.setAttribute('data-theme', 'dark');
    return { dark, light };
  });
  expect(probe.dark).not.toBe(probe.light);
});

test('on v1 the legacy theme class is switched with the attribute', async ({ page }) => {
  await open(page, null);
  expect(await html(page)).toEqual({ theme: 'light', className: 'theme--light' });
  await rt(page, (r) => r.rollout.setTheme('dark'));
  expect(await html(page)).toEqual({ theme: 'dark', className: 'theme--dark' });
  // Moving to v2 drops the legacy class once the v1 monolith is gone.
  await rt(page, (r, c) => r.flags.set(c), ALL_V2);
  await expect.poll(() => links(page)).not.toContain('v1');
  expect(await html(page)).toEqual({ theme: 'dark', className: '' });
});

test("'system' follows prefers-color-scheme live", async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await open(page);
  await rt(page, (r) => r.rollout.setTheme('system'));
  expect((await html(page)).theme).toBe('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(async () => (await html(page)).theme).toBe('light');
  expect(await rt(page, (r) => r.rollout.getState())).toMatchObject({
    theme: 'light',
    themePreference: 'system',
  });
  // An explicit choice stops following the system.
  await rt(page, (r) => r.rollout.setTheme('dark'));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(100);
  expect((await html(page)).theme).toBe('dark');
});

test('theme and opt-out sync across two tabs', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await open(a);
  await open(b);
  await rt(a, (r) => r.rollout.setTheme('dark'));
  await expect.poll(async () => (await html(b)).theme).toBe('dark');
  await rt(a, (r) => r.rollout.setOptOut(true));
  await expect.poll(() => rt(b, (r) => r.rollout.getState().optedOut)).toBe(true);
  await expect.poll(() => links(b)).toEqual(['v1']);
  expect(await html(b)).toEqual({ theme: 'dark', className: 'theme--dark' });
  await rt(b, (r) => r.rollout.setOptOut(false));
  await expect.poll(() => rt(a, (r) => r.rollout.getState().arm)).toBe('v2');
});

test('opting out returns every family to v1 at once, tells the flag source, and survives a reload', async ({
  page,
}) => {
  const first = await open(page);
  expect(first).toMatchObject({ arm: 'v2', notice: 'visible', optedOut: false });
  const immediate = (await rt(page, (r) => {
    const done = r.rollout.setOptOut(true);
    const now = r.rollout.getState();
    return done.then(() => now);
  })) as Json;
  // The state changed synchronously, before any stylesheet loaded.
  for (const family of FAMILIES) {
    expect((immediate.families as Record<string, Json>)[family]).toMatchObject({
      version: 'v1',
      reason: 'opted-out',
    });
  }
  expect(immediate.notice).toBe('hidden');
  expect(await links(page)).toEqual(['v1']);
  expect(await rt(page, (r) => r.flags.identified)).toEqual([{ optedOut: true }]);
  await open(page);
  expect(await rt(page, (r) => r.rollout.getState())).toMatchObject({ optedOut: true, arm: 'v1' });
  expect(await rt(page, (r) => r.flags.identified)).toEqual([{ optedOut: true }]);
  expect(
    await page.evaluate(() => (window as unknown as { __atBody: { links: string[] } }).__atBody.links),
  ).toEqual(['v1']);
  await rt(page, (r) => r.rollout.setOptOut(false));
  expect(await rt(page, (r) => r.rollout.getState())).toMatchObject({ optedOut: false, arm: 'v2' });
});

test('the notice is shown once to a v2 user, and stays dismissed', async ({ page }) => {
  expect(await open(page, null)).toMatchObject({ notice: 'hidden' });
  expect(await open(page)).toMatchObject({ notice: 'visible' });
  await rt(page, (r) => r.rollout.dismissNotice());
  expect(await rt(page, (r) => r.rollout.getState().notice)).toBe('hidden');
  expect(await open(page)).toMatchObject({ notice: 'hidden' });
});

test('a local fallback holds families on v1 until the config version changes', async ({ page }) => {
  await open(page);
  await rt(page, (r) => r.rollout.fallback(['forms', 'tables'], 'theme-switch-budget'));
  const s = (await rt(page, (r) => r.rollout.getState())) as Json;
  expect((s.families as Record<string, Json>).forms).toMatchObject({
    version: 'v1',
    reason: 'local-fallback',
    detail: 'theme-switch-budget',
  });
  expect(s.arm).toBe('mixed');
  // The next load boots straight into the fallback.
  await open(page);
  expect(
    await page.evaluate(() => (window as unknown as { __atBody: { links: string[] } }).__atBody.links),
  ).toContain('v1');
  expect(await rt(page, (r) => r.rollout.getState().arm)).toBe('mixed');
  // A new config version is a new experiment: the fallback no longer holds.
  const s2 = await open(page, { ...ALL_V2, version: 'fixture-2' });
  expect(s2.arm).toBe('v2');
});

async function counters(cdp: CDPSession) {
  await cdp.send('HeapProfiler.collectGarbage');
  const c = await cdp.send('Memory.getDOMCounters');
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
  const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId ?? '' });
  return { nodes: c.nodes, jsEventListeners: c.jsEventListeners, windowListeners: listeners.length };
}

test('destroy() leaves no listener, timer or element behind', async ({ page }) => {
  // Every family declared: `use('forms')` below adds a registration, not a change of the page's sheets.
  const families = 'buttons,cards,forms,tables,navigation,feedback,overlays,checkout';
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2), manual: '1', families }), {
    waitUntil: 'domcontentloaded',
  });
  const cdp = await page.context().newCDPSession(page);
  // Baseline: the page styled by its boot links (the runtime keeps the sheets in effect on destroy).
  await rt(page, async (r) => {
    const rollout = r.start();
    await rollout.ready;
    rollout.destroy();
    // Settled as `after` below is: a theme applied at start holds transitions off until its frame is
    // painted (one <style> and one MessageChannel listener, gone after that frame).
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  const baseline = await counters(cdp);
  const closed = await rt(page, async (r) => {
    for (let i = 0; i < 5; i++) {
      const rollout = r.start();
      await rollout.ready;
      await rollout.setTheme(i % 2 ? 'dark' : 'system');
      const release = rollout.use('forms');
      await rollout.setOptOut(true);
      await rollout.setOptOut(false);
      release();
      rollout.destroy();
    }
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    return (window as unknown as { rt: Rt }).rt.flags.closed;
  });
  expect(closed).toBe(true);
  const after = await counters(cdp);
  expect(after).toEqual(baseline);
});

// Monitoring in Chromium: beacons on pagehide, the local guard's budgets tripping (or not) and the
// fallback surviving the next load. Pages run the real runtime (createTokenRollout) with the plugin, wired
// as the quick start does: monitoring's measuring part loads as its own chunk after the `load` event, and
// the CSS budget reads the rollout's manifest.
import { expect, type Page, test } from '@playwright/test';
import { GUARD_HISTORY_KEY } from '../src/guard/history.js';
import { MEMORY_BASELINE_KEY } from '../src/guard/memory-baseline.js';
import type { MetricEvent } from '../src/metrics/event.js';
import { hashUserKey } from '../src/metrics/identity.js';
import { validateEvent } from '../src/metrics/validate.js';
import { type MonitoringServer, startMonitoringServer } from './fixtures/monitoring/server.js';

type Json = Record<string, unknown>;
interface FamilyJson {
  version: string;
  reason: string;
  detail?: string;
}

let server: MonitoringServer;
test.beforeAll(async () => {
  server = await startMonitoringServer();
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(() => {
  server.delays.clear();
});

function url(user: string, query: Record<string, string> = {}): string {
  return `${server.url}/mon/page.html?${new URLSearchParams({ user, ...query })}`;
}

/** Waits for the rollout's first settled decision and for monitoring to run (after `load`). */
async function ready(page: Page): Promise<Json> {
  await page.waitForFunction(() => 'mon' in window);
  return page.evaluate(async () => {
    const { mon } = window as unknown as {
      mon: { rollout: { ready: Promise<Json> }; plugin: { ready: Promise<unknown> } };
    };
    const state = await mon.rollout.ready;
    await mon.plugin.ready;
    return state;
  });
}

/** The monitoring plugin's status(). */
async function monitoringStatus(page: Page): Promise<Json & { unchecked: Record<string, string> }> {
  return page.evaluate(() =>
    (
      window as unknown as { mon: { plugin: { status(): Json & { unchecked: Record<string, string> } } } }
    ).mon.plugin.status(),
  );
}

async function state(page: Page): Promise<{ arm: string; families: Record<string, FamilyJson> }> {
  return page.evaluate(() =>
    (
      window as unknown as {
        mon: { rollout: { getState(): { arm: string; families: Record<string, FamilyJson> } } };
      }
    ).mon.rollout.getState(),
  );
}

/** Events the collector received for `user` (by its salted hash, as the fixture page sends it). */
function eventsOf(user: string): MetricEvent[] {
  const hash = hashUserKey(user, 'fixture-salt');
  return server.events.filter((e) => e.user === hash);
}

/** Leaves the page (pagehide → beacons) and waits until the collector saw an event named `name`. */
async function leaveAndCollect(page: Page, user: string, name: MetricEvent['name']): Promise<MetricEvent[]> {
  await page.goto('about:blank');
  await expect.poll(() => eventsOf(user).some((e) => e.name === name)).toBe(true);
  return eventsOf(user);
}

test('beacons arrive on pagehide as contract events, with a hashed user and never the key', async ({
  page,
}) => {
  const user = 'alice@example.com';
  await page.goto(url(user));
  await ready(page);
  await page.evaluate(() =>
    (
      window as unknown as { mon: { rollout: { trackConversion(n: string, v?: number): void } } }
    ).mon.rollout.trackConversion('checkout-completed', 42),
  );
  await page.waitForFunction(() =>
    (window as unknown as { mon: { seen: string[] } }).mon.seen.includes('memory'),
  );
  const events = await leaveAndCollect(page, user, 'conversion');
  events.forEach((event, i) => {
    expect(validateEvent(event, `$[${i}]`)).toEqual([]);
  });
  const names = new Set(events.map((e) => e.name));
  for (const name of ['page-view', 'exposure', 'ttfb', 'fcp', 'conversion'] as const)
    expect(names).toContain(name);
  expect(events.find((e) => e.name === 'conversion')).toMatchObject({
    value: 42,
    detail: 'checkout-completed',
    arm: 'v2',
    stage: 'go',
    configVersion: 'mon-1',
    region: 'AU',
  });
  expect(events.filter((e) => e.name === 'exposure').map((e) => e.family)).toHaveLength(8);
  // Chromium without cross-origin isolation: memory comes from performance.memory, and says so.
  expect(events.find((e) => e.name === 'memory')).toMatchObject({ detail: 'performance.memory' });
  expect(new Set(events.map((e) => e.session)).size).toBe(1);
  const raw = server.posts.map((p) => p.body).join('\n');
  expect(raw).not.toContain('alice');
  expect(server.posts.some((p) => p.contentType.startsWith('text/plain'))).toBe(true);
});

/** Switches the theme `count` times (alternating) and returns each measured duration. */
async function switchThemes(page: Page, count: number): Promise<number[]> {
  return page.evaluate(async (times) => {
    const rollout = (window as unknown as { mon: { rollout: { setTheme(t: string): Promise<number> } } }).mon
      .rollout;
    const out: number[] = [];
    for (let i = 0; i < times; i++) out.push(await rollout.setTheme(i % 2 === 0 ? 'dark' : 'light'));
    return out;
  }, count);
}

/** The token links the boot snippet had added when the parser reached <body> (before any paint). */
async function bootLinks(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __atBody: string[] }).__atBody);
}

test('sustained slow theme switches (6x CPU throttling, heavy page) trip the budget; the next load boots v1', async ({
  page,
}) => {
  const user = 'theme-slow';
  // Slow enough that every switch is over the plan's 100 ms on any machine: the shipped switch paints
  // the 30x gallery in about 80 ms at 4x on a quiet 2-core machine, so this page is twice as heavy and
  // the CPU six times slower.
  await page.goto(url(user, { n: '60' }));
  expect((await ready(page)).arm).toBe('v2');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  const times = await switchThemes(page, 3);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  console.log(`theme switch under 6x throttling, 60x gallery: ${times.map(Math.round).join(', ')} ms`);
  expect(Math.min(...times)).toBeGreaterThan(100);
  await expect.poll(async () => (await state(page)).arm).toBe('v1');
  expect((await state(page)).families.buttons).toMatchObject({
    reason: 'local-fallback',
    detail: 'budget:theme-switch',
  });

  const events = await leaveAndCollect(page, user, 'fallback');
  const fallback = events.filter((e) => e.name === 'fallback');
  expect(fallback).toHaveLength(1);
  expect(fallback[0]).toMatchObject({ value: 'budget:theme-switch', arm: 'v2', configVersion: 'mon-1' });
  expect(fallback[0]?.detail).toMatch(/^theme-switch: the last 3 samples were all over 100 ms/);

  // The next load: the boot snippet links only the v1 monolith before first paint (no v2 flash).
  await page.goto(url(user, { n: '1' }));
  expect(await bootLinks(page)).toEqual(['v1']);
  const after = await ready(page);
  expect(after.arm).toBe('v1');
  // A new config version is a new experiment: the fallback no longer holds.
  await page.goto(url(user, { n: '1', version: 'mon-2' }));
  expect((await ready(page)).arm).toBe('v2');
});

test('a single slow theme switch trips nothing', async ({ page }) => {
  const user = 'theme-outlier';
  // A 250 ms limit keeps the ordinary switches clear of it even on a busy shared machine; the rule
  // under test (one sample over the limit never trips) does not depend on the limit.
  await page.goto(url(user, { budgets: JSON.stringify({ themeSwitch: { limit: 250 } }) }));
  await ready(page);
  // One switch made slow for sure: the main thread is blocked for 600 ms before the next frame.
  const slow = await page.evaluate(async () => {
    requestAnimationFrame(() => {
      const start = performance.now();
      while (performance.now() - start < 600) {
        // busy: the frame after the switch is late
      }
    });
    return (
      window as unknown as { mon: { rollout: { setTheme(t: string): Promise<number> } } }
    ).mon.rollout.setTheme('dark');
  });
  expect(slow).toBeGreaterThan(250);
  await switchThemes(page, 4);
  expect((await state(page)).arm).toBe('v2');
  const events = await leaveAndCollect(page, user, 'theme-switch');
  expect(events.filter((e) => e.name === 'theme-switch')).toHaveLength(5);
  expect(events.some((e) => e.name === 'fallback')).toBe(false);
});

test('uncaught errors trip the error budget at the third one', async ({ page }) => {
  const user = 'errors';
  await page.goto(url(user));
  await ready(page);
  const throwSoon = (message: string) =>
    page.evaluate((m) => {
      setTimeout(() => {
        throw new Error(m);
      });
      return new Promise((resolve) => setTimeout(resolve, 20));
    }, message);
  await throwSoon('first');
  await page.evaluate(() => {
    void Promise.reject(new TypeError('second, unhandled'));
    return new Promise((resolve) => setTimeout(resolve, 20));
  });
  expect((await state(page)).arm).toBe('v2');
  await throwSoon('third');
  await expect.poll(async () => (await state(page)).arm).toBe('v1');
  const events = await leaveAndCollect(page, user, 'fallback');
  expect(events.filter((e) => e.name === 'js-error').map((e) => [e.value, e.detail])).toEqual([
    [1, 'Error: first'],
    [2, 'TypeError: second, unhandled'],
    [3, 'Error: third'],
  ]);
  expect(events.find((e) => e.name === 'fallback')).toMatchObject({ value: 'budget:js-error' });
});

test('slowed stylesheets trip the FCP budget on the next slow load, not the first', async ({ page }) => {
  const user = 'fcp-slow';
  await page.goto(url(user));
  expect((await ready(page)).arm).toBe('v2'); // caches the v2 decision for the boot snippet
  // The warm-up load's own FCP is not part of this experiment (on a busy machine it can be slow too).
  await page.evaluate((key) => localStorage.removeItem(key), GUARD_HISTORY_KEY);
  server.delays.set('/dist/tokens/v2/', 1800);
  // The boot snippet's v2 links are script-inserted, which Chromium does not treat as render-blocking
  // (unless they carry blocking="render"), so the page's own stylesheet is slowed too to hold first paint.
  server.delays.set('/test-support/gallery/components.css', 1800);
  const fcp = async () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) =>
          new PerformanceObserver((list, observer) => {
            const entry = list.getEntriesByName('first-contentful-paint')[0];
            if (entry) {
              observer.disconnect();
              resolve(entry.startTime);
            }
          }).observe({ type: 'paint', buffered: true }),
        ),
    );
  await page.goto(url(user));
  expect(await bootLinks(page)).toContain('v2/core');
  const first = await fcp();
  await ready(page);
  expect(first).toBeGreaterThan(1300);
  expect((await state(page)).arm).toBe('v2'); // one slow load is not enough

  await page.goto(url(user));
  await fcp();
  await expect.poll(async () => (await state(page)).arm).toBe('v1');
  expect((await state(page)).families.cards).toMatchObject({
    reason: 'local-fallback',
    detail: 'budget:fcp',
  });
  const events = await leaveAndCollect(page, user, 'fallback');
  expect(events.filter((e) => e.name === 'fcp').length).toBeGreaterThanOrEqual(2);
  expect(events.find((e) => e.name === 'fallback')).toMatchObject({ value: 'budget:fcp', arm: 'v2' });

  server.delays.clear();
  await page.goto(url(user));
  expect(await bootLinks(page)).toEqual(['v1']);
});

test('after opting out, only the opt-out itself reaches the collector', async ({ page }) => {
  const user = 'opting-out';
  await page.goto(url(user));
  await ready(page);
  await page.evaluate(async () => {
    const rollout = (
      window as unknown as {
        mon: {
          rollout: {
            setOptOut(o: boolean): Promise<void>;
            setTheme(t: string): Promise<number>;
            trackConversion(n: string): void;
          };
        };
      }
    ).mon.rollout;
    await rollout.setOptOut(true);
    await rollout.setTheme('dark');
    rollout.trackConversion('purchase');
    setTimeout(() => {
      throw new Error('while opted out');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  expect((await state(page)).arm).toBe('v1');
  const events = await leaveAndCollect(page, user, 'opt-out');
  // Everything queued before the opt-out was discarded with it: the user's only event is the opt-out.
  expect(events.map((e) => [e.name, e.value])).toEqual([['opt-out', 1]]);
  // The opt-out clears the queue, so it is sent at once rather than on pagehide.
});

test('v2 CSS over the size budget sends back the largest families only, and the next load boots that way', async ({
  page,
}) => {
  const user = 'css-user';
  // Wired as the quick start does: monitoring gets no `manifest`, it reads the rollout's (issue 17, item 5).
  // The v2 build is ~26.7 KB; with a 24 000-byte budget the two largest families (feedback, buttons) go.
  await page.goto(url(user, { budgets: JSON.stringify({ cssBytes: { limit: 24_000 } }) }));
  await ready(page);
  await expect.poll(async () => (await state(page)).arm).toBe('mixed');
  const { families } = await state(page);
  const back = Object.entries(families)
    .filter(([, f]) => f.version === 'v1')
    .map(([name, f]) => [name, f.reason, f.detail]);
  expect(back).toEqual([
    ['buttons', 'local-fallback', 'budget:css-bytes'],
    ['feedback', 'local-fallback', 'budget:css-bytes'],
  ]);
  expect((await monitoringStatus(page)).unchecked.cssBytes).toBeUndefined();
  const events = await leaveAndCollect(page, user, 'fallback');
  expect(events.find((e) => e.name === 'fallback')?.detail).toMatch(
    /^css-bytes: v2 token CSS is \d+ bytes, over the 24000-byte budget$/,
  );
  await page.goto(url(user, { budgets: JSON.stringify({ cssBytes: { limit: 24_000 } }) }));
  const links = await bootLinks(page);
  expect(links).toContain('v1');
  expect(links).toContain('v2/cards');
  expect(links).not.toContain('v2/buttons');
  expect((await ready(page)).arm).toBe('mixed');
});

test('a page going hidden sends its queue by sendBeacon while it stays open', async ({ page }) => {
  const user = 'hidden-tab';
  await page.goto(url(user));
  await ready(page);
  await page.evaluate(() => {
    // What a tab switch does: the document becomes hidden (Chromium then calls the listeners).
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect.poll(() => eventsOf(user).some((e) => e.name === 'page-view')).toBe(true);
  expect(
    await page.evaluate(() =>
      (window as unknown as { mon: { reporter: { stats(): Json } } }).mon.reporter.stats(),
    ),
  ).toMatchObject({ dropped: 0, sent: expect.any(Number) });
  // The page is still open: the events came from the hidden-page flush, not from unloading.
  expect(page.url()).toContain('/mon/page.html');
});

test('memory well over the v1 baseline recorded on earlier v1 pages trips the memory budget', async ({
  page,
}) => {
  const user = 'memory-user';
  // On v1 (0 % in the rollout) the page records the user's baseline.
  await page.goto(url(user, { pct: '0', memoryEvery: '200' }));
  expect((await ready(page)).arm).toBe('v1');
  await page.waitForFunction(
    (key) => (JSON.parse(localStorage.getItem(key) ?? '[]') as number[]).length >= 3,
    MEMORY_BASELINE_KEY,
  );
  // On v2 the same user's page holds ~80 MB more: sustained, far over +20 %.
  await page.goto(url(user, { memoryEvery: '200' }));
  await ready(page);
  await page.evaluate(() => {
    (window as unknown as { held: number[][] }).held = Array.from({ length: 40 }, (_, i) =>
      new Array(250_000).fill(i + 0.5),
    );
  });
  await expect.poll(async () => (await state(page)).arm, { timeout: 20_000 }).toBe('v1');
  const events = await leaveAndCollect(page, user, 'fallback');
  const fallback = events.find((e) => e.name === 'fallback');
  expect(fallback).toMatchObject({ value: 'budget:memory', arm: 'v2' });
  expect(fallback?.detail).toMatch(
    /^memory: the last 3 samples were all over \+20 % .*over the v1 baseline$/,
  );
});

test('monitoring is its own chunk, fetched after first paint and started after the load event; TTFB, FCP and LCP still arrive with the page’s figures', async ({
  page,
}) => {
  const user = 'lazy-vitals';
  await page.goto(url(user));
  await ready(page);
  const seen = await page.evaluate(async () => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const chunks = performance
      .getEntriesByType('resource')
      .filter((e) => /\/mon\/run-[^/]+\.js$/.test(e.name))
      .map((e) => e.startTime);
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1;
    const { mon } = window as unknown as { mon: { startedAt: Promise<number> } };
    return {
      loadEventStart: nav.loadEventStart,
      loadAt: performance.timeOrigin + nav.loadEventStart,
      chunks,
      fcp,
      startedAt: await mon.startedAt,
    };
  });
  // One request for the measuring part, once first contentful paint was reported or the page had loaded,
  // whichever came first; it started once the page had loaded (or, on a machine so busy that loading took
  // longer, once LOAD_WAIT_MS had passed).
  expect(seen.chunks).toHaveLength(1);
  expect(seen.chunks[0]).toBeGreaterThanOrEqual(Math.min(seen.fcp, seen.loadEventStart));
  expect(seen.startedAt).toBeGreaterThanOrEqual(Math.min(seen.loadEventStart, 5000));
  expect((await monitoringStatus(page)).started).toBe(true);
  // LCP is final when the page is hidden: leaving it reports LCP, and the beacon carries it.
  const events = await leaveAndCollect(page, user, 'lcp');
  const one = (name: MetricEvent['name']) => events.find((e) => e.name === name);
  for (const name of ['ttfb', 'fcp', 'lcp'] as const) expect(one(name), name).toBeDefined();
  // web-vitals read the buffered entries: the FCP sent is the browser's own first-contentful-paint.
  expect(Math.abs(Number(one('fcp')?.value) - seen.fcp)).toBeLessThan(1);
  expect(Number(one('lcp')?.value)).toBeGreaterThanOrEqual(Number(one('fcp')?.value));
  // The page view is stamped when the plugin started (before load), not when its chunk arrived.
  expect(one('page-view')?.ts).toBeLessThanOrEqual(seen.loadAt);
});

/** Adds an image that never answers to the page, which holds its load event back for as long as it is open. */
async function holdLoadEvent(page: Page): Promise<void> {
  await page.route('**/hanging.png', () => {});
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const img = document.createElement('img');
      img.src = '/hanging.png';
      document.body.append(img);
    });
  });
}

test('a page whose load event never comes (a hanging image) is still measured: monitoring starts after LOAD_WAIT_MS', async ({
  page,
}) => {
  const user = 'held-load';
  await holdLoadEvent(page);
  await page.goto(url(user), { waitUntil: 'domcontentloaded' });
  await ready(page); // before the change, this waited for a load event that never came
  const seen = await page.evaluate(async () => ({
    readyState: document.readyState,
    loadEventStart: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
      .loadEventStart,
    chunks: performance
      .getEntriesByType('resource')
      .filter((e) => /\/mon\/run-[^/]+\.js$/.test(e.name))
      .map((e) => e.startTime),
    startedAt: await (window as unknown as { mon: { startedAt: Promise<number> } }).mon.startedAt,
  }));
  expect(seen).toMatchObject({ readyState: 'interactive', loadEventStart: 0 });
  // Fetched after first paint, long before; started LOAD_WAIT_MS after the plugin started.
  expect(seen.chunks).toHaveLength(1);
  expect(seen.chunks[0]).toBeLessThan(seen.startedAt);
  expect(seen.startedAt).toBeGreaterThanOrEqual(5000);
  expect((await monitoringStatus(page)).started).toBe(true);
  const events = await leaveAndCollect(page, user, 'fcp');
  // TTFB is not among them: web-vitals reports it only once the page has loaded (its own rule).
  for (const name of ['page-view', 'exposure', 'fcp'] as const) {
    expect(
      events.some((e) => e.name === name),
      name,
    ).toBe(true);
  }
});

test('a page hidden before its load event is measured at once: monitoring starts when the tab is left', async ({
  page,
}) => {
  const user = 'hidden-before-load';
  await holdLoadEvent(page);
  // The page's clock stands still unless moved: LOAD_WAIT_MS cannot be what starts monitoring here.
  await page.clock.install();
  await page.goto(url(user), { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => 'mon' in window);
  expect((await monitoringStatus(page)).started).toBe(false);
  // The user switches tabs: Chromium fires visibilitychange at the document (it bubbles to the window).
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  const started = await page.evaluate(async () => {
    const { mon } = window as unknown as { mon: { plugin: { ready: Promise<{ started: boolean }> } } };
    return (await mon.plugin.ready).started;
  });
  expect(started).toBe(true);
  // The fixture's beacon flushes every 60 s when visible; a hidden page's events go out at once (the
  // flush is a 0 ms timer, run here by moving the clock).
  await page.clock.runFor(10);
  await expect.poll(() => eventsOf(user).some((e) => e.name === 'exposure')).toBe(true);
});

test('errors thrown before the load event still count: the error budget trips once monitoring has loaded', async ({
  page,
}) => {
  const user = 'early-errors';
  // Slow token files hold the load event back, so the three errors surely come before it.
  server.delays.set('/dist/tokens/', 800);
  await page.goto(url(user, { throwEarly: '3' }));
  const thrown = await page.evaluate(() => (window as unknown as { mon: { thrown: unknown[] } }).mon.thrown);
  expect(thrown).toEqual(Array(3).fill({ readyState: 'interactive', started: false }));
  await ready(page);
  await expect.poll(async () => (await state(page)).arm).toBe('v1');
  expect((await state(page)).families.cards).toMatchObject({
    reason: 'local-fallback',
    detail: 'budget:js-error',
  });
  const events = await leaveAndCollect(page, user, 'fallback');
  expect(events.filter((e) => e.name === 'js-error').map((e) => e.detail)).toEqual([
    'Error: early 1',
    'Error: early 2',
    'Error: early 3',
  ]);
  expect(events.find((e) => e.name === 'fallback')).toMatchObject({ value: 'budget:js-error', arm: 'v2' });
});

test('a budget that cannot be checked says so in status() and once in the console', async ({ page }) => {
  const user = 'no-manifest';
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('token-rollout monitoring:')) {
      warnings.push(message.text());
    }
  });
  await page.goto(url(user, { manifest: '/dist/tokens/missing-manifest.json' }));
  await ready(page);
  await page.evaluate(async () => {
    const { rollout } = (window as unknown as { mon: { rollout: { setTheme(t: string): Promise<number> } } })
      .mon;
    await rollout.setTheme('dark'); // more states: still one console line
    await rollout.setTheme('light');
  });
  const { unchecked } = await monitoringStatus(page);
  expect(unchecked).toEqual({
    cssBytes: expect.stringMatching(/^token manifest .*missing-manifest\.json could not be loaded: HTTP 404/),
  });
  expect(warnings).toEqual([
    `token-rollout monitoring: the cssBytes budget is not checked on this page: ${unchecked.cssBytes}`,
  ]);
});

test('a page left before its load event still reports its page view and its exposures', async ({ page }) => {
  const user = 'left-before-load';
  await holdLoadEvent(page);
  // The page's clock stands still unless moved (frames included): LOAD_WAIT_MS cannot start monitoring.
  await page.clock.install();
  let chunk = '';
  page.on('request', (request) => {
    if (/\/mon\/run-[^/]+\.js$/.test(request.url())) chunk = request.url();
  });
  await page.goto(url(user), { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => 'mon' in window);
  const families = await page.evaluate(async () => {
    const { mon } = window as unknown as { mon: { rollout: { ready: Promise<{ pageFamilies: string[] }> } } };
    return (await mon.rollout.ready).pageFamilies;
  });
  // Fetched once a frame was painted, long before the load event (which never comes here) …
  await expect
    .poll(async () => {
      await page.clock.runFor(50); // lets frames run: 50 ms of the page's 5,000 ms wait
      return chunk;
    })
    .not.toBe('');
  // Once the page's own import of it has settled too (the same module: this resolves after that one).
  await page.evaluate((href) => import(href).then(() => undefined), chunk);
  // … but not started: nothing measured or sent yet.
  expect((await monitoringStatus(page)).started).toBe(false);
  expect(eventsOf(user)).toEqual([]);
  // The user follows a link: monitoring starts in the pagehide task and the beacon carries it.
  await page.goto('about:blank');
  await expect.poll(() => eventsOf(user).map((e) => e.name)).toContain('page-view');
  const events = eventsOf(user);
  for (const event of events) expect(validateEvent(event)).toEqual([]);
  expect(events.filter((e) => e.name === 'page-view')).toHaveLength(1);
  // One exposure per family on the page, each with the arm it ran.
  expect(
    events
      .filter((e) => e.name === 'exposure')
      .map((e) => e.family)
      .sort(),
  ).toEqual([...families].sort());
});

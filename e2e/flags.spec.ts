// The LaunchDarkly flag source with each real SDK major (launchdarkly-js-client-sdk 3 and
// @launchdarkly/js-client-sdk 4) in Chromium, against the local LaunchDarkly-compatible flag server.
import { createServer } from 'node:net';
import { chromium, expect, type Page, test } from '@playwright/test';
import { startFlagServer } from '../packages/tools/src/flag-server/index.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { bucketOf } from '../src/assign/bucket.js';
import { resolveAssignment } from '../src/assign/resolve.js';
import { parseRolloutConfig } from '../src/config/parse.js';
import { withSwitches } from '../src/config/switches.js';
import { FLAG_KEY } from '../src/families.js';
import { switchesFrom } from '../src/flags/snapshot.js';
import {
  type FlagsHarness,
  latestRender,
  startFlagsHarness,
  waitForRender,
} from './fixtures/flags/harness.js';

let h: FlagsHarness;
test.beforeEach(async () => {
  h = await startFlagsHarness();
});
test.afterEach(async () => {
  await h.close();
});

/** Collects uncaught page errors; each test ends by expecting none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The first user key whose bucket is below (or at/above) `limit`: someone inside (outside) a percentage. */
function userWithBucket(below: boolean, limit: number, prefix = 'user'): string {
  for (let i = 0; ; i++) {
    const key = `${prefix}-${i}`;
    if (bucketOf(FLAG_KEY, FLAG_KEY, key) < limit === below) return key;
  }
}

/** The token sheets in the page, by their data-tr ids, in document order. */
function tokenLinksOf(page: Page): Promise<(string | null)[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr')),
  );
}

/** What resolveAssignment decides in Node for this user, from the flags the server evaluates for them. */
async function expectedAssignment(key: string, region?: string) {
  const context = Buffer.from(JSON.stringify({ kind: 'user', key, ...(region ? { region } : {}) }));
  const res = await fetch(`${h.flags.url}/sdk/evalx/env/contexts/${context.toString('base64url')}`);
  const flags = (await res.json()) as Record<string, { value: unknown }>;
  const parsed = parseRolloutConfig(flags[FLAG_KEY]?.value ?? null);
  const switches = switchesFrom((k) => flags[k]?.value);
  return resolveAssignment(
    parsed.ok ? withSwitches(parsed.config, switches) : parsed,
    { key, region },
    Date.now(),
  );
}

/** A port with nothing listening on it: the flag server is down. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

for (const sdk of ['v3', 'v4'] as const) {
  test.describe(`LaunchDarkly ${sdk} client`, () => {
    test('the decision per region and percentage matches resolveAssignment in Node', async ({ page }) => {
      const errors = watchErrors(page);
      await h.admin('PATCH', '/admin/stages/week1', { percentage: 50 });
      const inside = userWithBucket(true, 0.5);
      const outside = userWithBucket(false, 0.5);
      const users: [string, string | undefined][] = [
        [inside, 'AU'],
        [inside, 'nz'],
        [inside, 'US'],
        [inside, undefined],
        [outside, 'AU'],
        [userWithBucket(true, 0.5, 'shopper'), 'NZ'],
      ];
      const versions = new Set<string>();
      for (const [key, region] of users) {
        await page.goto(h.pageUrl({ sdk, key, region }));
        const render = await waitForRender(page, { origin: 'live' });
        const expected = await expectedAssignment(key, region);
        expect(render.assignment, `${key} in ${region ?? 'no region'}`).toEqual(expected);
        versions.add(render.assignment.families.buttons.version);
        // The DOM shows the same decision.
        await expect(page.locator('[data-family="buttons"]')).toHaveAttribute(
          'data-reason',
          expected.families.buttons.reason,
        );
      }
      expect([...versions].sort()).toEqual(['v1', 'v2']);
      expect(errors).toEqual([]);
    });

    test('turning the flag off sends the open page to v1 without a reload, and back on again', async ({
      page,
    }) => {
      const errors = watchErrors(page);
      const key = userWithBucket(true, 0.05);
      await page.goto(h.pageUrl({ sdk, key, region: 'AU' }));
      await waitForRender(page, { origin: 'live', versions: { buttons: 'v2', cards: 'v2' } });
      await page.evaluate(() => {
        (window as unknown as { sameDocument: boolean }).sameDocument = true;
      });
      await h.admin('POST', '/admin/flag', { on: false });
      await waitForRender(page, { reason: 'flag-off' });
      await expect(page.locator('[data-version="v2"]')).toHaveCount(0);
      await h.admin('POST', '/admin/flag', { on: true });
      await waitForRender(page, { versions: { buttons: 'v2', cards: 'v2' } });
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
        true,
      );
      expect(errors).toEqual([]);
    });

    test("with the runtime, turning the flag off swaps the page's token CSS to v1 without a reload", async ({
      page,
    }) => {
      const errors = watchErrors(page);
      const key = userWithBucket(true, 0.05);
      await page.goto(h.pageUrl({ sdk, key, region: 'AU', page: 'rollout' }));
      const tokenLinks = () => tokenLinksOf(page);
      await expect.poll(tokenLinks).toEqual(['v2/core', 'v2/buttons', 'v2/cards']);
      await h.admin('POST', '/admin/flag', { on: false });
      await expect.poll(tokenLinks).toEqual(['v1']);
      expect(await page.evaluate(() => window.rollout.getState().families.buttons)).toMatchObject({
        version: 'v1',
        reason: 'flag-off',
      });
      await h.admin('POST', '/admin/flag', { on: true });
      await expect.poll(tokenLinks).toEqual(['v2/core', 'v2/buttons', 'v2/cards']);
      expect(await page.evaluate(() => [window.cssV1At.length, window.cssV2At.length])).toEqual([1, 2]);
      expect(errors).toEqual([]);
    });

    test('a page restored from the back/forward cache after a flip shows v1 at once', async () => {
      // Playwright turns the back/forward cache off by default; a user's Chromium has it on.
      const browser = await chromium.launch({
        ...chromiumLaunchOptions(),
        ignoreDefaultArgs: ['--disable-back-forward-cache'],
      });
      try {
        const page = await browser.newPage();
        const errors = watchErrors(page);
        const key = userWithBucket(true, 0.05);
        await page.goto(h.pageUrl({ sdk, key, region: 'AU', page: 'rollout' }));
        const tokenLinks = () => tokenLinksOf(page);
        await expect.poll(tokenLinks).toEqual(['v2/core', 'v2/buttons', 'v2/cards']);
        await page.evaluate(() => {
          const w = window as unknown as { restored?: boolean; shownAt?: number; v1At?: number };
          addEventListener('pageshow', (event) => {
            w.restored = event.persisted;
            w.shownAt = performance.now();
          });
          new MutationObserver(() => {
            if (w.v1At === undefined && document.querySelector('link[data-tr="v1"]'))
              w.v1At = performance.now();
          }).observe(document.head, { childList: true });
        });
        // The user goes to another page of the site; the flag is turned off meanwhile; the user comes back.
        await page.goto(h.pageUrl({ sdk, key, region: 'AU' }));
        await h.admin('POST', '/admin/flag', { on: false });
        await page.evaluate(() => history.back()); // page.goBack() waits for a load event a restore never fires
        await page.waitForFunction(() => 'restored' in window);
        expect(await page.evaluate(() => (window as unknown as { restored: boolean }).restored)).toBe(true);
        await expect.poll(tokenLinks).toEqual(['v1']);
        const { shownAt, v1At } = await page.evaluate(() => {
          const w = window as unknown as { shownAt: number; v1At: number };
          return { shownAt: w.shownAt, v1At: w.v1At };
        });
        // The stream's change is applied as the page is shown again (about 10 ms here), not on a later poll.
        expect(v1At - shownAt).toBeLessThan(2000);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });

    test('with useReport the client polls by REPORT, follows the /ping stream and still flips live', async ({
      page,
    }) => {
      const errors = watchErrors(page);
      const methods: string[] = [];
      page.on('request', (r) => {
        if (r.url().startsWith(h.flags.url))
          methods.push(`${r.method()} ${new URL(r.url()).pathname.split('/')[1]}`);
      });
      const key = userWithBucket(true, 0.05);
      await page.goto(h.pageUrl({ sdk, key, region: 'AU', report: true }));
      await waitForRender(page, { origin: 'live', versions: { buttons: 'v2' } });
      await h.admin('POST', '/admin/flag', { on: false });
      await waitForRender(page, { reason: 'flag-off' });
      expect(methods).toContain('REPORT sdk');
      expect(methods).toContain('GET ping');
      expect(errors).toEqual([]);
    });

    test('identify sends optedOut and region as context attributes; track reaches the events endpoint', async ({
      page,
    }) => {
      const errors = watchErrors(page);
      const contexts: unknown[] = [];
      page.on('request', (r) => {
        const match = /\/sdk\/evalx\/[^/]+\/contexts\/([^/?]+)/.exec(r.url());
        if (match?.[1]) contexts.push(JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8')));
      });
      await page.goto(h.pageUrl({ sdk, key: 'ident-1', region: 'AU' }));
      await waitForRender(page, { origin: 'live' });
      await page.evaluate(() => window.flagSource.identify?.({ optedOut: true, region: 'NZ' }));
      await expect
        .poll(() => contexts.at(-1))
        .toEqual({ kind: 'user', key: 'ident-1', region: 'NZ', optedOut: true });
      await page.evaluate(() => window.flagSource.track?.('token-rollout.fcp', 812, { arm: 'v2' }));
      await expect
        .poll(() => h.flags.service.events().find((e) => (e as { kind?: string }).kind === 'custom'), {
          timeout: 15_000,
        })
        .toMatchObject({ kind: 'custom', key: 'token-rollout.fcp', metricValue: 812, data: { arm: 'v2' } });
      expect(errors).toEqual([]);
    });

    test('killing one family affects only that family', async ({ page }) => {
      const errors = watchErrors(page);
      const key = userWithBucket(true, 0.05);
      await page.goto(h.pageUrl({ sdk, key, region: 'NZ' }));
      const before = await waitForRender(page, { origin: 'live', versions: { buttons: 'v2', cards: 'v2' } });
      await h.admin('POST', '/admin/families/cards', { killed: true });
      const after = await waitForRender(page, { versions: { cards: 'v1' } });
      expect(after.assignment.families.cards).toEqual({ version: 'v1', reason: 'killed' });
      expect({ ...after.assignment.families, cards: null }).toEqual({
        ...before.assignment.families,
        cards: null,
      });
      await h.admin('POST', '/admin/families/cards', { killed: false });
      await waitForRender(page, { versions: { cards: 'v2' } });
      expect(errors).toEqual([]);
    });

    test('server down at start gives v1 after the timeout, with no uncaught error; later flags apply', async ({
      page,
    }) => {
      const errors = watchErrors(page);
      const port = await deadPort();
      const server = `http://127.0.0.1:${port}`;
      await page.goto(
        h.pageUrl({ sdk, key: userWithBucket(true, 0.05), region: 'AU', timeout: 800, server }),
      );
      const render = await waitForRender(page, { origin: 'default', reason: 'flag-off' });
      expect(render.assignment.stage).toBeNull();
      await expect(page.locator('[data-version="v1"]')).toHaveCount(8);
      // The server comes up: the client's retries reach it and the page moves to the live decision.
      const late = await startFlagServer({ flagsDir: h.flagsDir, dataDir: h.dataDir, port });
      try {
        await waitForRender(page, { origin: 'live', versions: { buttons: 'v2', cards: 'v2' } }, 30_000);
      } finally {
        await late.close();
      }
      expect(errors).toEqual([]);
    });

    test('server down on a return visit gives the cached decision', async ({ page }) => {
      const errors = watchErrors(page);
      const key = userWithBucket(true, 0.05);
      await page.goto(h.pageUrl({ sdk, key, region: 'AU' }));
      const live = await waitForRender(page, { origin: 'live', versions: { buttons: 'v2' } });
      const server = `http://127.0.0.1:${await deadPort()}`;
      await page.goto(h.pageUrl({ sdk, key, region: 'AU', timeout: 800, server }));
      const cached = await waitForRender(page, { origin: 'cache' });
      expect(cached.assignment).toEqual(live.assignment);
      expect(errors).toEqual([]);
    });

    test('after a server restart clients reconnect and converge on the new state', async ({ page }) => {
      const errors = watchErrors(page);
      const key = userWithBucket(true, 0.05);
      await page.goto(h.pageUrl({ sdk, key, region: 'AU' }));
      await waitForRender(page, { origin: 'live', versions: { buttons: 'v2' } });
      // While the server is down, the flag is turned off (through another instance on the same data).
      await h.restartFlags(async () => {
        const other = await startFlagServer({ flagsDir: h.flagsDir, dataDir: h.dataDir });
        await fetch(`${other.url}/admin/flag`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"on": false}',
        });
        await other.close();
      });
      await waitForRender(page, { reason: 'flag-off' }, 30_000);
      // The new connection is live: a change made now reaches the page too.
      await h.admin('POST', '/admin/flag', { on: true });
      await waitForRender(page, { versions: { buttons: 'v2' } });
      expect((await latestRender(page))?.origin).toBe('live');
      expect(errors).toEqual([]);
    });
  });
}

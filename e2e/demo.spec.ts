// The dashboard's controls change what the demo shows, live (no reload): stage, kill switch, flag off and
// percentage. Also saves screenshots of the demo and the dashboard, light and dark, for the README.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type DevServer, startDevServer } from '../apps/serve.js';
import { bucketOf } from '../src/assign/bucket.js';
import { FLAG_KEY } from '../src/families.js';

test.describe.configure({ mode: 'serial' });

let server: DevServer;
let dataDir: string;

/** The first AU user key whose bucket lies in [low, high): its fate is known for any percentage. */
function userInBucket(low: number, high: number): string {
  for (let i = 0; ; i++) {
    const key = `e2e-user-${i}`;
    const bucket = bucketOf(FLAG_KEY, FLAG_KEY, key);
    if (bucket >= low && bucket < high) return key;
  }
}

const EARLY = userInBucket(0, 0.04); // on v2 from week 1's 5 %
const LATER = userInBucket(0.3, 0.45); // on v2 only from 50 %

async function openDemo(browser: Browser, user: string, region = 'AU'): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.urls.demo}?user=${user}&region=${region}`);
  await expect(page.getByTestId('debug').getByText('yes', { exact: true })).toBeVisible();
  return page;
}

async function openDashboard(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(server.urls.dashboard);
  await expect(page.getByTestId('stage-select')).toBeVisible();
  return page;
}

/** The debug panel's row for `family`: its version cell and reason. */
function familyRow(page: Page, family: string) {
  return page.getByTestId('debug').locator(`tr[data-family="${family}"]`);
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'token-rollout-demo-e2e-'));
  server = await startDevServer({ port: 0, dataDir });
});

test.afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the stage control moves an early user between v1 and v2 without a reload', async ({ browser }) => {
  const dashboard = await openDashboard(browser);
  const demo = await openDemo(browser, EARLY);
  await expect(familyRow(demo, 'buttons')).toHaveAttribute('data-version', 'v2');
  await expect(familyRow(demo, 'cards')).toHaveAttribute('data-version', 'v2');
  await expect(familyRow(demo, 'forms')).toContainText('family-not-in-stage');
  await expect(demo.locator('link[data-tr="v2/cards"]')).toHaveCount(1);

  await dashboard.getByTestId('stage-select').selectOption('week2');
  await expect(demo.getByTestId('debug-stage')).toHaveText('week2');
  await expect(familyRow(demo, 'forms')).toHaveAttribute('data-version', 'v2');
  await expect(familyRow(demo, 'tables')).toHaveAttribute('data-version', 'v2');
  await expect(familyRow(demo, 'checkout')).toContainText('family-not-in-stage');

  await dashboard.getByTestId('stage-select').selectOption('week3');
  await expect(demo.getByTestId('debug-stage')).toHaveText('week3');
  await expect(familyRow(demo, 'overlays')).toHaveAttribute('data-version', 'v2');
  await expect(familyRow(demo, 'checkout')).toContainText('family-not-in-stage');
  await expect(demo.locator('link[data-tr="v2/overlays"]')).toHaveCount(1);

  await dashboard.getByTestId('stage-select').selectOption('week1');
  await expect(familyRow(demo, 'forms')).toHaveAttribute('data-version', 'v1');
  await expect(demo.locator('link[data-tr="v2/overlays"]')).toHaveCount(0);
  await expect(familyRow(demo, 'buttons')).toHaveAttribute('data-version', 'v2');
});

test('killing a family returns only that family to v1, restoring brings it back', async ({ browser }) => {
  const dashboard = await openDashboard(browser);
  const demo = await openDemo(browser, EARLY);
  await expect(familyRow(demo, 'cards')).toHaveAttribute('data-version', 'v2');

  await dashboard.getByTestId('kill-cards').click();
  await expect(familyRow(demo, 'cards')).toHaveAttribute('data-version', 'v1');
  await expect(familyRow(demo, 'cards')).toContainText('killed');
  await expect(familyRow(demo, 'buttons')).toHaveAttribute('data-version', 'v2');
  await expect(dashboard.locator('li[data-family="cards"]')).toContainText('killed');

  await dashboard.getByTestId('kill-cards').click();
  await expect(familyRow(demo, 'cards')).toHaveAttribute('data-version', 'v2');
});

test('turning the flag off sends everyone to v1 at once, and on again restores the rollout', async ({
  browser,
}) => {
  const dashboard = await openDashboard(browser);
  const demo = await openDemo(browser, EARLY);
  await expect(demo.getByTestId('debug-arm')).toHaveText('mixed');

  await dashboard.getByTestId('flag-toggle').click();
  await expect(dashboard.getByTestId('flag-state')).toHaveAttribute('data-on', 'false');
  for (const family of ['buttons', 'cards', 'checkout']) {
    await expect(familyRow(demo, family)).toHaveAttribute('data-version', 'v1');
    await expect(familyRow(demo, family)).toContainText('flag-off');
  }
  await expect(demo.getByTestId('debug-arm')).toHaveText('v1');
  await expect(demo.locator('link[data-tr^="v2/"]')).toHaveCount(0);

  await dashboard.getByTestId('flag-toggle').click();
  await expect(dashboard.getByTestId('flag-state')).toHaveAttribute('data-on', 'true');
  await expect(familyRow(demo, 'buttons')).toHaveAttribute('data-version', 'v2');
});

test('raising the percentage brings a later user onto v2; regions outside the stage stay on v1', async ({
  browser,
}) => {
  const dashboard = await openDashboard(browser);
  const demo = await openDemo(browser, LATER);
  const canada = await openDemo(browser, LATER, 'CA');
  await expect(familyRow(demo, 'buttons')).toContainText('outside-percentage');
  await expect(familyRow(canada, 'buttons')).toContainText('region-excluded');

  await dashboard.getByTestId('percentage').fill('50');
  await expect(dashboard.getByTestId('percentage-value')).toHaveText('50%');
  await dashboard.getByTestId('apply-stage').click();
  await expect(familyRow(demo, 'buttons')).toHaveAttribute('data-version', 'v2');
  await expect(familyRow(demo, 'buttons')).toContainText('in-rollout');
  await expect(familyRow(canada, 'buttons')).toContainText('region-excluded');
  await expect(dashboard.getByTestId('stage-select')).toContainText('week1 · 50%');

  await dashboard.getByTestId('percentage').fill('5');
  await dashboard.getByTestId('apply-stage').click();
  await expect(familyRow(demo, 'buttons')).toContainText('outside-percentage');
});

test('checkout reports a purchase that the dashboard counts, under a strict CSP with no errors', async ({
  browser,
}) => {
  const problems: string[] = [];
  const demo = await browser.newPage();
  demo.on('pageerror', (error) => problems.push(error.message));
  demo.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  const response = await demo.goto(`${server.urls.demo}?user=${EARLY}&region=AU`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'nonce-");
  await expect(demo.getByTestId('debug').getByText('yes', { exact: true })).toBeVisible();
  await demo.getByTestId('add-ridge-tent').click();
  await expect(demo.getByTestId('cart-total')).toHaveText('$349.00');
  await demo.getByTestId('pay').click();
  await expect(demo.getByTestId('paid')).toContainText('$349.00');
  expect(problems).toEqual([]);
  await demo.goto('about:blank'); // pagehide: the beacon flushes
  const dashboard = await openDashboard(browser);
  await expect(dashboard.locator('tr[data-arm="mixed"]')).toBeVisible();
  await expect(dashboard.locator('tr[data-arm="mixed"] td').nth(3)).not.toHaveText('0.00%');
});

test('screenshots of the demo and the dashboard, light and dark', async ({ browser }) => {
  const dir = join(process.cwd(), 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    // Tall enough for the whole store, so the fixed notice sits at the bottom as a visitor sees it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 1640 }, colorScheme: theme });
    const demo = await context.newPage();
    await demo.goto(`${server.urls.demo}?user=${EARLY}&region=AU`);
    await expect(demo.getByTestId('debug').getByText('yes', { exact: true })).toBeVisible();
    await expect(demo.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(demo.getByTestId('notice')).toBeVisible();
    await demo.getByTestId('add-trail-pack').click();
    await expect(demo.locator('.toast')).toHaveCount(0, { timeout: 6000 });
    await demo.screenshot({ path: join(dir, `demo-${theme}.png`) });
    const dashboard = await context.newPage();
    await dashboard.setViewportSize({ width: 1280, height: 900 });
    await dashboard.goto(`${server.urls.dashboard}?theme=${theme}`);
    await expect(dashboard.getByTestId('gate-decision')).toBeVisible();
    await dashboard.waitForTimeout(2500); // a second poll, so the live charts have two points
    await dashboard.screenshot({ path: join(dir, `dashboard-${theme}.png`), fullPage: true });
    await context.close();
  }
});

// The whole loop, as a release manager lives it: week 1 starts (AU/NZ), traffic arrives with a v2-only
// regression (uncaught errors), the gate reads the collector, decides to roll back and applies it to
// the flag server; the demo is back on v1 and the dashboard shows the rollback.
// Week 1's 5 % is raised to 50 % so that both arms reach the gate's 30 users in a CI-sized run.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type DevServer, startDevServer } from '../apps/serve.js';
import { runGateCli } from '../packages/tools/src/gate/cli.js';
import { SIMULATION_DEFAULTS, simulateTraffic } from '../scripts/simulate.js';
import { bucketOf } from '../src/assign/bucket.js';
import { FLAG_KEY } from '../src/families.js';

let server: DevServer;
let dataDir: string;
let origin: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'token-rollout-loop-e2e-'));
  server = await startDevServer({ port: 0, dataDir });
  origin = new URL(server.urls.demo).origin;
});

test.afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function admin(method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBe(200);
}

test('a v2 regression is caught by the gate, rolled back, and the demo returns to v1', async ({
  browser,
}) => {
  test.setTimeout(360_000);
  await admin('POST', '/admin/stage', { stage: 'week1' });
  await admin('PATCH', '/admin/stages/week1', { percentage: 50 });

  // 32 visitors inside week 1's 50 % and 32 outside it: the gate needs 30 users per arm.
  const inside: string[] = [];
  const outside: string[] = [];
  for (let i = 0; inside.length < 32 || outside.length < 32; i++) {
    const key = `loop-${i}`;
    const list = bucketOf(FLAG_KEY, FLAG_KEY, key) < 0.5 ? inside : outside;
    if (list.length < 32) list.push(key);
  }
  const userKeys = inside.flatMap((key, i) => [key, outside[i] ?? key]);
  const summary = await simulateTraffic({
    ...SIMULATION_DEFAULTS,
    url: server.urls.demo,
    sessions: userKeys.length,
    userKeys,
    durationSeconds: 300,
    regions: ['AU', 'NZ'],
    concurrency: 4,
    regress: 'errors',
    seed: 7,
  });
  console.log('simulation', JSON.stringify(summary));
  expect(summary.failed, JSON.stringify(summary)).toBe(0);
  expect(summary.byArm.mixed ?? 0).toBeGreaterThanOrEqual(30);
  expect(summary.byArm.v1 ?? 0).toBeGreaterThanOrEqual(30);

  // The beacons of the last sessions arrive as their pages hide.
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${origin}/aggregates`)).json()) as { arms: { users: number }[] }).arms.reduce(
          (n, a) => n + a.users,
          0,
        ),
      { timeout: 15_000 },
    )
    .toBeGreaterThanOrEqual(summary.sessions - summary.failed);

  // The confidence sequences are tuned for this stage's size (64 users), as a release manager would for
  // a small region; the default (100,000 users) would need far more traffic than a CI run makes.
  const out: string[] = [];
  const code = await runGateCli(
    ['--collector', origin, '--apply', '--admin', origin, '--target-users', '64'],
    {
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
      env: {},
      fetch,
      now: Date.now,
      sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
    },
  );
  expect(code, out.join('\n')).toBe(3);
  expect(out.join('\n')).toMatch(/JS error/);
  const state = (await (await fetch(`${origin}/admin/state`)).json()) as { on: boolean; killed: string[] };
  expect(!state.on || state.killed.length > 0).toBe(true);

  // A week-1 user who was on v2 is back on v1.
  const demo = await browser.newPage();
  await demo.goto(`${server.urls.demo}?user=${inside[0]}&region=AU`);
  await expect(demo.getByTestId('debug').getByText('yes', { exact: true })).toBeVisible();
  await expect(demo.getByTestId('debug-arm')).toHaveText('v1');
  await expect(demo.locator('tr[data-family="buttons"]')).toHaveAttribute('data-version', 'v1');
  await expect(demo.locator('link[data-tr^="v2/"]')).toHaveCount(0);

  const dashboard = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await dashboard.goto(`${server.urls.dashboard}?targetUsers=64`);
  await expect(dashboard.getByTestId('gate-decision')).toHaveText('Roll back');
  await expect(dashboard.getByTestId('gate-reason')).toContainText('JS error');
  if (!state.on) await expect(dashboard.getByTestId('flag-state')).toHaveAttribute('data-on', 'false');
  await expect(dashboard.getByTestId('chart-error-rate')).toBeVisible();
  const dir = join(process.cwd(), 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  await dashboard.waitForTimeout(2500); // a second poll, so the live charts have two points
  await dashboard.screenshot({ path: join(dir, 'dashboard-rollback.png'), fullPage: true });
});

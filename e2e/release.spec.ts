// The release manager's week (issue 19), in Chromium against `npm start`'s composition:
// - a rollback from each path (the dashboard, the admin API, the gate's admin call) is in the audit trail
//   once, with its reason, and the dashboard lists it;
// - inside a freeze window an advance is refused (the dashboard says which window and until when) and a
//   rollback goes through; an advance that needs an approval waits for it (the dashboard's Approve button);
// - after a rollback, recovery is verified from the pages' own events: recovered when live pages switch,
//   not recovered when some pages keep rendering v2 (their flag stream is frozen at the old flags);
// - the weekly status report renders every section in Chromium, with no request but its own file.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type DevServer, startDevServer } from '../apps/serve.js';
import { gateAuditFields } from '../packages/tools/src/audit/gate.js';
import type { AuditEntry } from '../packages/tools/src/audit/types.js';
import { runGateCli } from '../packages/tools/src/gate/cli.js';
import { approveCli, reportCli, reportPaths } from '../packages/tools/src/release/cli.js';
import { SECTIONS } from '../packages/tools/src/release/report/model.js';
import { visit } from '../scripts/drill-visitors.js';

const FLAGS = join(process.cwd(), 'packages/tools/flags');
const HOUR = 3_600_000;

interface Harness {
  server: DevServer;
  origin: string;
  dir: string;
  flagsDir: string;
}

async function harness(calendar?: unknown): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'token-rollout-release-e2e-'));
  const flagsDir = join(dir, 'flags');
  await cp(FLAGS, flagsDir, { recursive: true });
  if (calendar) await writeFile(join(flagsDir, 'release.json'), JSON.stringify(calendar));
  const server = await startDevServer({ port: 0, dataDir: join(dir, 'data'), flagsDir });
  return { server, origin: new URL(server.urls.demo).origin, dir, flagsDir };
}

async function stop(h: Harness | undefined): Promise<void> {
  await h?.server.close();
  if (h) await rm(h.dir, { recursive: true, force: true });
}

async function call(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${h.origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function audit(h: Harness, query = ''): Promise<AuditEntry[]> {
  return (await call(h, 'GET', `/admin/audit${query}`)).body.entries as AuditEntry[];
}

async function openDashboard(browser: Browser, h: Harness): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(h.server.urls.dashboard);
  await expect(page.getByTestId('stage-select')).toBeVisible();
  return page;
}

const io = (lines: string[]) => ({
  stdout: (s: string) => lines.push(s),
  stderr: (s: string) => lines.push(s),
  env: {},
  fetch,
  now: Date.now,
});

test.describe('audit trail, freeze windows and approvals', () => {
  let h: Harness;
  test.afterEach(async () => stop(h));

  test('a rollback from each path is in the audit trail once, with its reason', async ({ browser }) => {
    test.setTimeout(120_000);
    h = await harness();
    const dashboard = await openDashboard(browser, h);

    // 1. The dashboard: the reason typed above the controls goes with the flip.
    await dashboard.getByTestId('change-reason').fill('checkout errors after release 412');
    await dashboard.getByTestId('flag-toggle').click();
    await expect(dashboard.getByTestId('flag-state')).toHaveAttribute('data-on', 'false');
    expect((await call(h, 'POST', '/admin/flag', { on: true, reason: 'fixed in 413' })).status).toBe(200);

    // 2. The admin API, reason in the body.
    const api = await call(h, 'PATCH', '/admin/stages/week1', {
      percentage: 2,
      reason: 'fewer users while support triages',
    });
    expect(api.status).toBe(200);

    // 3. The gate: the call gate/admin.ts makes, with the audit fields; sent twice as its retry would.
    const report = {
      stage: 'week1',
      decision: {
        kind: 'rollback' as const,
        scope: 'families' as const,
        families: ['cards'],
        reasons: ['cards errors: +1.2 pt'],
      },
    };
    for (let i = 0; i < 2; i++) {
      expect(
        (await call(h, 'POST', '/admin/families/cards', { killed: true, ...gateAuditFields(report) })).status,
      ).toBe(200);
    }

    const rollbacks = await audit(h, '?kind=rollback');
    expect(rollbacks.map((e) => [e.source, e.action, e.reason])).toEqual([
      ['dashboard', 'flag-off', 'checkout errors after release 412'],
      ['api', 'edit-stage', 'fewer users while support triages'],
      ['gate', 'kill-family', 'token-rollout gate: kill cards at week1: cards errors: +1.2 pt'],
    ]);
    const list = dashboard.getByTestId('audit-list');
    await expect(list.locator('tr[data-kind="rollback"]')).toHaveCount(3);
    await expect(list.locator('tr[data-source="gate"]')).toContainText('cards errors: +1.2 pt');
    await expect(list.locator('tr[data-source="dashboard"]')).toContainText(
      'checkout errors after release 412',
    );
  });

  test('inside a freeze window an advance is refused and a rollback goes through', async ({ browser }) => {
    h = await harness({
      freezes: [
        {
          name: 'Spring campaign',
          from: new Date(Date.now() - HOUR).toISOString(),
          until: new Date(Date.now() + 2 * HOUR).toISOString(),
          reason: 'marketing campaign on checkout',
        },
      ],
    });
    const dashboard = await openDashboard(browser, h);
    await expect(dashboard.getByTestId('freeze-notice')).toContainText('Spring campaign');
    await expect(dashboard.getByTestId('freeze-notice')).toContainText('Rollbacks');

    await dashboard.getByTestId('stage-select').selectOption('week2');
    await expect(dashboard.locator('.controls [role="alert"]')).toContainText(
      'no advance during "Spring campaign"',
    );
    const refused = await call(h, 'POST', '/admin/stage', { stage: 'week2' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ rule: 'freeze', freeze: { name: 'Spring campaign' } });

    await dashboard.getByTestId('change-reason').fill('forms look broken in Safari');
    await dashboard.getByTestId('kill-buttons').click();
    await expect(dashboard.locator('li[data-family="buttons"]')).toContainText('killed');
    const entries = await audit(h);
    expect(entries.map((e) => [e.kind, e.action, e.target])).toEqual([
      ['rollback', 'kill-family', 'buttons'],
    ]);
    await expect(dashboard.getByTestId('audit-list').locator('tr[data-kind="rollback"]')).toContainText(
      'forms look broken in Safari',
    );
  });

  test('an advance that needs an approval waits for it; the Approve button records it', async ({
    browser,
  }) => {
    h = await harness({ approvals: { stages: ['week2'] } });
    const dashboard = await openDashboard(browser, h);
    const refused = await call(h, 'POST', '/admin/stage', { stage: 'week2' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ rule: 'approval', approvalRequired: { stages: ['week2'] } });
    await dashboard.getByTestId('stage-select').selectOption('week2');
    await expect(dashboard.locator('.controls [role="alert"]')).toContainText('needs an approval');

    await expect(dashboard.getByTestId('approval-state')).toContainText('needs an approval');
    await dashboard.getByTestId('approver').fill('dana');
    await dashboard.getByTestId('approve-button').click();
    await expect(dashboard.getByTestId('approval-state')).toContainText('approved by dana');
    await dashboard.getByTestId('change-reason').fill('week 1 gate met, stakeholders signed off');
    await dashboard.getByTestId('stage-select').selectOption('week2');
    await expect(dashboard.getByTestId('stage-select')).toHaveValue('week2');

    // A rollback voids the approval; the CLI gives a new one.
    expect(
      (await call(h, 'POST', '/admin/stage', { stage: 'week1', reason: 'forms regressed' })).status,
    ).toBe(200);
    expect((await call(h, 'POST', '/admin/stage', { stage: 'week2' })).status).toBe(409);
    const lines: string[] = [];
    expect(
      await approveCli(
        ['--server', h.origin, '--stage', 'week2', '--by', 'lee', '--reason', 'fix verified'],
        io(lines),
      ),
    ).toBe(0);
    expect((await call(h, 'POST', '/admin/stage', { stage: 'week2' })).status).toBe(200);
    expect((await audit(h)).map((e) => `${e.kind}:${e.by ?? e.source}`)).toEqual([
      'approval:dana',
      'advance:dashboard',
      'rollback:api',
      'approval:lee',
      'advance:api',
    ]);
  });
});

test.describe('recovery verified from the pages', () => {
  let h: Harness;
  test.afterEach(async () => stop(h));

  /** Opens the demo for `user` in AU; a stale page gets the flags as they are now, forever (its stream frozen). */
  async function openPage(browser: Browser, user: string, stale: boolean): Promise<Page> {
    const page = await browser.newPage();
    if (stale) {
      let frozen: string | null = null;
      await page.route('**/eval/**', async (route) => {
        const [, env, context] = new URL(route.request().url()).pathname.split('/').filter(Boolean);
        if (frozen === null) {
          const response = await fetch(`${h.origin}/sdk/evalx/${env}/contexts/${context}`);
          frozen = await response.text();
        }
        await route.fulfill({
          status: 200,
          contentType: 'text/event-stream',
          body: `event: put\ndata: ${frozen}\n\n`,
        });
      });
    }
    await page.goto(`${h.server.urls.demo}?user=${user}&region=AU`);
    await expect(page.getByTestId('debug-arm')).toHaveText('mixed');
    return page;
  }

  /** Waits until the collector has each user's exposures (their pages' v2 before the flip is on record). */
  async function exposed(count: number): Promise<void> {
    await expect
      .poll(
        async () => {
          const text = await (await fetch(`${h.origin}/events/export?metric=exposure&arm=v2`)).text();
          return new Set(
            text
              .split('\n')
              .filter(Boolean)
              .map((l) => (JSON.parse(l) as { user: string }).user),
          ).size;
        },
        // Pages send their events in batches, the last on pagehide: on a loaded 2-core machine with
        // twenty pages open that takes far longer than on a quiet one.
        { timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(count);
  }

  test('recovered when pages switch; not recovered when some keep rendering v2', async ({ browser }) => {
    test.setTimeout(360_000);
    h = await harness();
    await call(h, 'PATCH', '/admin/stages/week1', {
      percentage: 100,
      reason: 'recovery test: everyone in AU/NZ treated',
    });

    // Live pages: the flip reaches them through the stream.
    const live = await Promise.all(
      Array.from({ length: 10 }, (_, i) => openPage(browser, `recover-live-${i}`, false)),
    );
    await exposed(10);
    expect((await call(h, 'POST', '/admin/flag', { on: false, reason: 'recovery test 1' })).status).toBe(200);
    for (const page of live) await expect(page.getByTestId('debug-arm')).toHaveText('v1');
    // Leaving the page sends its last events (pagehide): the exposures of v1.
    await Promise.all(live.map((p) => p.goto('about:blank')));
    const dashboard = await openDashboard(browser, h);
    await expect(dashboard.getByTestId('recovery-status'))
      // Well inside the product's 5-minute window; the server checks every 10 s.
      .toHaveAttribute('data-status', 'recovered', { timeout: 90_000 })
      .catch(async (error: Error) => {
        // Say why: the server's own check, with its reasons.
        const live = await call(h, 'GET', '/admin/recovery');
        throw new Error(`${error.message}\nthe server's check now: ${JSON.stringify(live.body)}`);
      });
    await expect.poll(async () => (await audit(h, '?kind=verification')).length, { timeout: 60_000 }).toBe(1);
    const [verdict] = await audit(h, '?kind=verification');
    expect(verdict?.reason).toMatch(/^recovered: 10 of 10 returning treated users/);

    // A second rollout, where 4 of 10 pages never get the flip.
    expect((await call(h, 'POST', '/admin/flag', { on: true, reason: 'recovery test 2' })).status).toBe(200);
    const pages = await Promise.all(
      Array.from({ length: 10 }, (_, i) => openPage(browser, `recover-b-${i}`, i < 4)),
    );
    await exposed(20);
    const flip = await call(h, 'POST', '/admin/flag', { on: false, reason: 'recovery test 2' });
    const flippedAt = Date.parse((flip.body.audit as AuditEntry).at);
    for (const [i, page] of pages.entries()) {
      await expect(page.getByTestId('debug-arm')).toHaveText(i < 4 ? 'mixed' : 'v1');
      // A stale page keeps reporting v2: a theme switch, then its events on leaving.
      if (i < 4) {
        await page.getByTestId('theme-toggle').click();
        await page.getByTestId('theme-toggle').click();
      }
    }
    await Promise.all(pages.map((p) => p.goto('about:blank')));
    await dashboard.waitForTimeout(1000);
    // A window that has just ended (the pages' last events arrived a second ago): its verdict is final.
    const window = `${Date.now() - flippedAt - 200}ms`;
    const check = await call(h, 'GET', `/admin/recovery?window=${window}&minUsers=5`);
    const live2 = check.body.live as {
      status: string;
      results: { switched: number; seenAfter: number; stillV2: number }[];
    };
    expect(live2.status).toBe('not-recovered');
    expect(live2.results[0]).toMatchObject({ switched: 6, seenAfter: 10, stillV2: 4 });
  });
});

test('the weekly status report renders every section in Chromium, with nothing fetched', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const h = await harness({ approvals: { stages: ['week2'] } });
  try {
    await call(h, 'POST', '/admin/stage', { stage: 'week1' });
    await call(h, 'PATCH', '/admin/stages/week1', {
      percentage: 50,
      reason: 'report: both groups filled in a short run',
    });
    const keys = Array.from({ length: 160 }, (_, i) => `report-user-${i}`);
    await visit({ server: h.origin, keys, regions: ['AU', 'NZ'], regress: true, seed: 4 });
    await call(h, 'POST', '/bugs', {
      id: 'WEB-412',
      severity: 'P1',
      title: 'Checkout button unreadable in dark mode',
    });
    const lines: string[] = [];
    const gate = await runGateCli(
      ['--collector', h.origin, '--admin', h.origin, '--apply', '--target-users', '160'],
      {
        ...io(lines),
        sleep: async () => {},
      },
    );
    expect(gate, lines.join('')).toBe(3);
    await visit({ server: h.origin, keys, regions: ['AU', 'NZ'], regress: true, seed: 5 });
    await expect.poll(async () => (await audit(h, '?kind=verification')).length, { timeout: 30_000 }).toBe(1);

    const out = join(h.dir, 'reports');
    expect(
      await reportCli(
        ['--server', h.origin, '--stage', 'week1', '--out', out, '--target-users', '160'],
        io(lines),
      ),
      lines.join('\n'),
    ).toBe(0);
    const paths = reportPaths(out, 'week1', Date.now());
    const page = await browser.newPage({ viewport: { width: 1100, height: 1500 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${paths.html}`);
    for (const [id, heading] of SECTIONS) {
      await expect(page.locator(`section#${id} > h2`)).toHaveText(heading);
      await expect(page.locator(`section#${id}`)).toBeVisible();
    }
    await expect(page.locator('section#metrics svg').first()).toBeVisible();
    expect(await page.locator('section#metrics svg').count()).toBeGreaterThanOrEqual(5);
    await expect(page.locator('section#rollbacks')).toContainText('recovered');
    await expect(page.locator('section#bugs')).toContainText('WEB-412');
    await expect(page.locator('section#tokens svg')).toBeVisible();
    await expect(page.locator('section#next')).toContainText('approve --stage week2');
    expect(requests).toEqual([`file://${paths.html}`]);
    const markdown = await readFile(paths.markdown, 'utf8');
    for (const [, heading] of SECTIONS) expect(markdown).toContain(`## ${heading}`);
    const shots = join(process.cwd(), 'docs/screenshots');
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'report.png') });
  } finally {
    await stop(h);
  }
});

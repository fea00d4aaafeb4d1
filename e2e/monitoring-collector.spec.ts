// The beacon reporter against the project's real collector (server/collector), mounted on the fixture
// server: every event the browser sends is accepted, stored, and aggregated per arm.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type Collector, createCollector } from '../packages/tools/src/collector/collector.js';
import type { MetricEvent } from '../src/metrics/event.js';
import { hashUserKey } from '../src/metrics/identity.js';
import { type MonitoringServer, startMonitoringServer } from './fixtures/monitoring/server.js';

let dataDir: string;
let collector: Collector;
let server: MonitoringServer;
test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mon-collector-'));
  collector = await createCollector({ dataDir, basePath: '/real' });
  server = await startMonitoringServer(collector);
});
test.afterAll(async () => {
  await server.close();
  await collector.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function stored(user: string): Promise<MetricEvent[]> {
  const hash = hashUserKey(user, 'fixture-salt');
  const out: MetricEvent[] = [];
  for await (const event of collector.events()) if (event.user === hash) out.push(event);
  return out;
}

test('the collector accepts and aggregates every event the page sends on pagehide', async ({ page }) => {
  const user = 'collector-user';
  const query = new URLSearchParams({ user, collect: '/real/collect' });
  await page.goto(`${server.url}/mon/page.html?${query}`);
  await page.waitForFunction(() => 'mon' in window);
  await page.evaluate(async () => {
    const { rollout, plugin } = (
      window as unknown as {
        mon: {
          rollout: {
            ready: Promise<unknown>;
            setTheme(t: string): Promise<number>;
            trackConversion(n: string): void;
          };
          plugin: { ready: Promise<unknown> };
        };
      }
    ).mon;
    await rollout.ready;
    await plugin.ready; // monitoring runs after the load event
    await rollout.setTheme('dark');
    rollout.trackConversion('signup');
  });
  const seen = await page.evaluate(() => [...(window as unknown as { mon: { seen: string[] } }).mon.seen]);
  await page.goto('about:blank');
  // Leaving the page also reports the vitals that finalise on hide (LCP, CLS, INP), so more may arrive.
  await expect.poll(async () => (await stored(user)).length).toBeGreaterThanOrEqual(seen.length);
  const events = await stored(user);
  const count = (names: readonly string[]) =>
    names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
  const storedCounts = count(events.map((e) => e.name));
  for (const [name, n] of count(seen)) expect(storedCounts.get(name) ?? 0, name).toBeGreaterThanOrEqual(n);
  const names = new Set(events.map((e) => e.name));
  for (const name of ['page-view', 'exposure', 'ttfb', 'fcp', 'theme-switch', 'conversion'] as const) {
    expect(names).toContain(name);
  }
  // Nothing the page sent was refused, and the aggregates see this session on the v2 arm.
  expect(server.events).toEqual([]); // the fixture's own /collect got nothing: all went to the collector
  const summary = await collector.aggregates({ arm: 'v2', stage: 'go' });
  expect(summary.rates.find((r) => r.arm === 'v2')).toMatchObject({ pageViews: 1, conversions: 1 });
  expect(summary.metrics.find((m) => m.metric === 'theme-switch')).toMatchObject({ count: 1 });
});

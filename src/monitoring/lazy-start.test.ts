// When monitoring's chunk starts on a page whose `load` event is late or never comes: a hanging image or
// iframe holds `load` back for as long as it hangs, and a user who switches tabs or follows a link before
// `load` would otherwise be measured by nobody. Each test gets a fresh module (the chunk is loaded once
// per page).
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { fakeVitals } from '../../test-support/fake-web-vitals.js';
import type { MetricEvent } from '../metrics/event.js';
import type { Reporter } from '../report/reporter.js';
import { createMemoryStorage } from '../storage/safe.js';
import { fakeRollout, fakeTimers, loadingPage } from './test-rollout.js';
import type { MonitoringWindow } from './types.js';

beforeEach(() => {
  vi.resetModules();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function setup(more: (win: ReturnType<typeof loadingPage>['win']) => Reporter[] = () => []) {
  const { monitoring, LOAD_WAIT_MS, whenMonitoringChunkArrives } = await import('./lazy.js');
  const page = loadingPage();
  const reporters = more(page.win);
  const clock = fakeTimers();
  const events: MetricEvent[] = [];
  const plugin = monitoring({
    reporters: [{ report: (e) => events.push(e), close() {} }, ...reporters],
    userKey: 'alice@example.com',
    window: page.win,
    vitals: fakeVitals().api,
    storage: createMemoryStorage(),
    timers: clock.timers,
    memory: false,
  });
  const rollout = fakeRollout(['buttons']);
  const cleanup = plugin(rollout.target);
  /** Resolves once the measuring part has arrived (fetched, not started). */
  const arrived = () => new Promise<void>((resolve) => whenMonitoringChunkArrives(() => resolve()));
  return { ...page, clock, events, plugin, rollout, cleanup, arrived, LOAD_WAIT_MS };
}

/** Monitoring ran: the page view, then the exposures of the page's families. */
function expectMeasured(events: readonly MetricEvent[]) {
  expect(events[0]?.name).toBe('page-view');
  expect(events.slice(1).map((e) => e.name)).toContain('exposure');
}

/** Lets the chunk's dynamic import and the start settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('monitoring whose load event is late', () => {
  it('starts after LOAD_WAIT_MS when the load event has not come by then', async () => {
    const t = await setup();
    expect(t.LOAD_WAIT_MS).toBe(5000);
    await settle();
    expect(t.plugin.status().started).toBe(false);
    expect(t.events).toEqual([]);
    t.clock.tick(); // the wait's timer: the load event is still held back
    const status = await t.plugin.ready;
    expect(status.started).toBe(true);
    expectMeasured(t.events);
    // The load event arriving later starts nothing twice.
    t.load();
    await settle();
    expect(t.events.filter((e) => e.name === 'page-view')).toHaveLength(1);
  });

  it('starts at once when the page is hidden before load, so a user who leaves the tab is measured', async () => {
    const t = await setup();
    await settle();
    expect(t.plugin.status().started).toBe(false);
    t.hide();
    const status = await t.plugin.ready;
    expect(status.started).toBe(true);
    expectMeasured(t.events);
  });

  it('still waits for load when it comes first, and leaves no timer or listener behind', async () => {
    const t = await setup();
    expect(t.clock.live.size).toBe(1); // the wait
    t.load();
    await t.plugin.ready;
    expect(t.plugin.status().started).toBe(true);
    // The wait's timer is cleared once load came (monitoring's own timers may run by now).
    t.hide(); // no second start
    await settle();
    expect(t.events.filter((e) => e.name === 'page-view')).toHaveLength(1);
  });
});

describe('a page left before its load event', () => {
  it('fetches the measuring part once a frame was painted, but starts it only at load', async () => {
    const t = await setup();
    t.paint();
    await t.arrived();
    await settle();
    expect(t.plugin.status().started).toBe(false);
    expect(t.events).toEqual([]);
    t.load();
    expect((await t.plugin.ready).started).toBe(true);
    expectMeasured(t.events);
  });

  it('starts monitoring in the pagehide task when the part has arrived, and the beacon sends it then', async () => {
    const { beaconReporter } = await import('./lazy-reporters.js');
    const sent: MetricEvent[] = [];
    const sendBeacon = (_url: string, body: string) => {
      sent.push(...(JSON.parse(body) as MetricEvent[]));
      return true;
    };
    // The reporters from token-rollout load their code only in a page (a global window).
    const global = globalThis as { window?: MonitoringWindow };
    const t = await setup((win) => {
      global.window = win;
      return [beaconReporter({ url: '/collect', window: win, sendBeacon, flushIntervalMs: 60_000 })];
    });
    onTestFinished(() => {
      delete global.window;
    });
    t.paint();
    await t.arrived(); // the load event has not come
    expect(t.plugin.status().started).toBe(false);
    t.leave(); // nothing asynchronous runs after this: the page is being unloaded
    expect(t.plugin.status().started).toBe(true);
    expectMeasured(t.events);
    // What monitoring emitted on the way out went by sendBeacon in that same task.
    expect(sent.map((e) => e.id)).toEqual(t.events.map((e) => e.id));
    // The load or the timer coming later starts nothing twice.
    t.load();
    t.clock.tick();
    await settle();
    expect(t.events.filter((e) => e.name === 'page-view')).toHaveLength(1);
  });

  it('left before the part has arrived: nothing starts in that task, and nothing throws', async () => {
    const t = await setup();
    expect(() => t.leave()).not.toThrow();
    expect(t.plugin.status().started).toBe(false);
    expect(t.events).toEqual([]);
  });

  it('destroyed, then left: nothing starts', async () => {
    const t = await setup();
    t.paint();
    await t.arrived();
    t.cleanup();
    t.leave();
    expect(t.plugin.status().started).toBe(false);
    expect(t.events).toEqual([]);
  });
});

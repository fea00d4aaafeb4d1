// When monitoring's chunk starts on a page whose `load` event is late or never comes: a hanging image or
// iframe holds `load` back for as long as it hangs, and a user who switches tabs before `load` would
// otherwise be measured by nobody. Each test gets a fresh module (the chunk is loaded once per page).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeVitals } from '../../test-support/fake-web-vitals.js';
import type { MetricEvent } from '../metrics/event.js';
import { createMemoryStorage } from '../storage/safe.js';
import { fakeRollout, fakeTimers, loadingPage } from './test-rollout.js';

beforeEach(() => {
  vi.resetModules();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function setup() {
  const { monitoring, LOAD_WAIT_MS } = await import('./lazy.js');
  const page = loadingPage();
  const clock = fakeTimers();
  const events: MetricEvent[] = [];
  const plugin = monitoring({
    reporters: [{ report: (e) => events.push(e), close() {} }],
    userKey: 'alice@example.com',
    window: page.win,
    vitals: fakeVitals().api,
    storage: createMemoryStorage(),
    timers: clock.timers,
    memory: false,
  });
  const rollout = fakeRollout(['buttons']);
  plugin(rollout.target);
  return { ...page, clock, events, plugin, rollout, LOAD_WAIT_MS };
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

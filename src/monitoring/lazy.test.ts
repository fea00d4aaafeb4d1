// monitoring() as `token-rollout` exports it: nothing measured before the page's `load` event, then what
// happened before is replayed in order with its own times; and the reporters that load with it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeVitals } from '../../test-support/fake-web-vitals.js';
import type { MetricEvent } from '../metrics/event.js';
import { testEvent } from '../report/test-events.js';
import { createMemoryStorage } from '../storage/safe.js';
import { MAX_EARLY } from './early.js';
import { monitoring } from './lazy.js';
import { beaconReporter } from './lazy-reporters.js';
import { fakeRollout, fakeTimers, familiesWith, loadingPage } from './test-rollout.js';

// Pages here have no token manifest: the console line that says so is checked in unchecked.test.ts.
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

const throwError = (win: EventTarget, message: string) =>
  win.dispatchEvent(Object.assign(new Event('error'), { error: new Error(message) }));

function setup(initial: Parameters<typeof fakeRollout>[1] = {}) {
  const page = loadingPage();
  const rollout = fakeRollout(['buttons', 'cards'], initial);
  const vitals = fakeVitals();
  const events: MetricEvent[] = [];
  let closed = 0;
  let time = 1_770_000_000_000;
  const plugin = monitoring({
    reporters: [{ report: (e) => events.push(e), close: () => void closed++ }],
    userKey: 'alice@example.com',
    window: page.win,
    vitals: vitals.api,
    storage: createMemoryStorage(),
    timers: fakeTimers().timers,
    memory: false,
    now: () => time,
  });
  const cleanup = plugin(rollout.target);
  return {
    ...page,
    rollout,
    vitals,
    events,
    plugin,
    cleanup,
    closed: () => closed,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('monitoring from token-rollout (loaded after the load event)', () => {
  it('measures nothing before load, then replays in order what happened, each with its own time', async () => {
    const t = setup({ ready: false, configVersion: '', stage: null });
    t.advance(100);
    t.rollout.set({ ready: true, configVersion: 'c1', stage: 'week1' }); // the decision settles
    t.advance(100);
    t.rollout.themeSwitch(40);
    t.advance(100);
    throwError(t.win, 'early');
    t.advance(100);
    t.rollout.convert('signup');
    expect(t.events).toEqual([]);
    expect(t.plugin.status()).toMatchObject({ started: false, session: '' });
    t.advance(1000);
    t.load();
    const status = await t.plugin.ready;
    expect(status.started).toBe(true);
    const start = 1_770_000_000_000;
    expect(t.events.map((e) => [e.name, e.ts - start])).toEqual([
      ['page-view', 0],
      ['exposure', 100],
      ['exposure', 100],
      ['exposure', 100],
      ['theme-switch', 200],
      ['js-error', 300],
      ['conversion', 400],
    ]);
    // Events held before the decision settled carry the stage the page ran with.
    expect(t.events.every((e) => e.stage === 'week1' && e.configVersion === 'c1')).toBe(true);
    t.vitals.fire('FCP', 700); // web-vitals reports buffered entries once subscribed
    expect(t.events.at(-1)).toMatchObject({ name: 'fcp', value: 700, ts: start + 1400 });
  });

  it('counts replayed samples against the guard: slow theme switches before load still fall back', async () => {
    const t = setup();
    t.rollout.themeSwitch(300);
    t.rollout.themeSwitch(300);
    t.rollout.themeSwitch(300);
    expect(t.rollout.fallbacks).toEqual([]);
    t.load();
    await t.plugin.ready;
    expect(t.rollout.fallbacks).toEqual([['all', 'budget:theme-switch']]);
    expect(t.events.find((e) => e.name === 'fallback')).toMatchObject({
      value: 'budget:theme-switch',
      arm: 'mixed',
    });
  });

  it('replays an opt-out made before load as the opt-out event only', async () => {
    const t = setup();
    t.rollout.set({ optedOut: true, families: familiesWith([]) });
    t.load();
    await t.plugin.ready;
    expect(t.events.map((e) => [e.name, e.value])).toEqual([
      ['page-view', 1],
      ['exposure', 1],
      ['exposure', 1],
      ['exposure', 1],
      ['opt-out', 1],
    ]);
  });

  it('holds at most MAX_EARLY entries and still catches up with the current state', async () => {
    const t = setup();
    for (let i = 0; i < MAX_EARLY + 50; i++) throwError(t.win, `loop ${i}`);
    t.rollout.set({ stage: 'week2' });
    t.load();
    await t.plugin.ready;
    expect(t.plugin.status().errors).toBe(MAX_EARLY);
    t.rollout.themeSwitch(20);
    expect(t.events.at(-1)).toMatchObject({ name: 'theme-switch', stage: 'week2' });
  });

  it('starts at once when the page has already loaded', async () => {
    const t = setup();
    t.load();
    await t.plugin.ready;
    const late = fakeRollout();
    const events: MetricEvent[] = [];
    const plugin = monitoring({
      reporters: [{ report: (e) => events.push(e), close() {} }],
      window: t.win,
      vitals: false,
      memory: false,
      storage: createMemoryStorage(),
    });
    plugin(late.target);
    await plugin.ready;
    expect(events[0]?.name).toBe('page-view');
  });

  it('destroyed before load: nothing is measured, the reporters are closed, ready settles', async () => {
    const t = setup();
    t.rollout.themeSwitch(30);
    t.cleanup();
    expect(t.closed()).toBe(1);
    expect(t.rollout.listenerCount()).toBe(0);
    await t.plugin.ready;
    t.load();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(t.events).toEqual([]);
    expect(t.plugin.status().started).toBe(false);
  });

  it('takes the window and storage from the rollout it is plugged into', async () => {
    const page = loadingPage();
    const storage = createMemoryStorage();
    const rollout = fakeRollout();
    const plugin = monitoring({ vitals: false, memory: false });
    plugin(rollout.target, { window: page.win, storage });
    rollout.themeSwitch(500);
    page.load();
    await plugin.ready;
    expect(plugin.status().started).toBe(true);
    expect(storage.getItem('token-rollout:guard')).toContain('"themeSwitch":[{');
  });
});

describe('beaconReporter and launchDarklyReporter from token-rollout', () => {
  const global = globalThis as { window?: unknown };
  /** A loaded page's window, as the beacon reporter listens to it. */
  const loadedWindow = () =>
    Object.assign(new EventTarget(), {
      document: Object.assign(new EventTarget(), { readyState: 'complete', visibilityState: 'visible' }),
    });

  /** The reporters of a page whose chunk has not arrived yet (fresh modules: the chunk loads once per page). */
  const fresh = async () => {
    vi.resetModules();
    return import('./lazy-reporters.js');
  };

  it('hold events until monitoring’s chunk is there, then forward them to the real reporter', async () => {
    const { beaconReporter, launchDarklyReporter } = await fresh();
    global.window = loadedWindow();
    try {
      const tracked: string[] = [];
      const ld = launchDarklyReporter((key) => tracked.push(key));
      const bodies: string[] = [];
      const beacon = beaconReporter({
        url: '/collect',
        fetch: async (_url, init) => {
          bodies.push(String(init.body));
          return { ok: true, status: 204 };
        },
        flushIntervalMs: 60_000,
      });
      ld.report(testEvent('fcp', 900));
      beacon.report(testEvent('fcp', 900));
      expect(beacon.stats()).toMatchObject({ queued: 1, sent: 0 });
      expect(tracked).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(tracked).toEqual(['token-rollout.fcp']);
      beacon.flush();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(JSON.parse(bodies[0] ?? '[]')).toMatchObject([{ name: 'fcp', value: 900 }]);
      expect(beacon.stats()).toMatchObject({ queued: 0, sent: 1 });
      beacon.close();
      ld.close();
    } finally {
      delete global.window;
    }
  });

  it('closed before the chunk is there: nothing is held or sent', async () => {
    const { launchDarklyReporter } = await fresh();
    global.window = loadedWindow();
    try {
      const tracked: string[] = [];
      const ld = launchDarklyReporter((key) => tracked.push(key));
      ld.report(testEvent('fcp', 900));
      ld.close();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(tracked).toEqual([]);
    } finally {
      delete global.window;
    }
  });

  it('are the real reporters at once when the chunk has already arrived', async () => {
    const { launchDarklyReporter } = await fresh();
    const { whenMonitoringChunkArrives, loadMonitoringChunk } = await import('./lazy.js');
    global.window = loadedWindow();
    try {
      await loadMonitoringChunk(loadedWindow());
      let arrived = false;
      whenMonitoringChunkArrives(() => {
        arrived = true;
      });
      expect(arrived).toBe(true);
      const tracked: string[] = [];
      const ld = launchDarklyReporter((key) => tracked.push(key));
      ld.report(testEvent('fcp', 900));
      expect(tracked).toEqual(['token-rollout.fcp']); // in the same task: nothing held
      ld.close();
    } finally {
      delete global.window;
    }
  });

  it('on a server (no window) load nothing and hold what they get, bounded', () => {
    const beacon = beaconReporter({ url: '/collect' });
    for (let i = 0; i < 600; i++) beacon.report(testEvent('fcp', i));
    expect(beacon.stats().queued).toBe(500);
    beacon.close();
    expect(beacon.stats().queued).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeVitals } from '../../test-support/fake-web-vitals.js';
import type { Family } from '../families.js';
import type { MetricEvent } from '../metrics/event.js';
import { hashUserKey } from '../metrics/identity.js';
import { validateEvent } from '../metrics/validate.js';
import type { Reporter } from '../report/reporter.js';
import type { RolloutPlugin } from '../rollout.js';
import { createMemoryStorage } from '../storage/safe.js';
import { type MonitoringWindow, monitoring } from './index.js';
import type { MonitorState } from './target.js';
import { fakeRollout, fakeTimers, familiesWith } from './test-rollout.js';

// Pages here have no token manifest: the console line that says so is checked in unchecked.test.ts.
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

function setup(
  opts: { v2?: readonly Family[]; window?: MonitoringWindow; initial?: Partial<MonitorState> } = {},
) {
  const rollout = fakeRollout(opts.v2, opts.initial);
  const vitals = fakeVitals();
  const clock = fakeTimers();
  const events: MetricEvent[] = [];
  let closed = 0;
  const reporter: Reporter = {
    report: (e) => events.push(e),
    close: () => {
      closed++;
    },
  };
  const win: MonitoringWindow =
    opts.window ?? Object.assign(new EventTarget(), { crypto: { randomUUID: () => 'session-uuid' } });
  const plugin = monitoring({
    reporters: [reporter],
    userKey: 'alice@example.com',
    window: win,
    vitals: vitals.api,
    storage: createMemoryStorage(),
    timers: clock.timers,
    now: () => 1_770_000_000_000,
  });
  const cleanup = plugin(rollout.target);
  return { rollout, vitals, clock, events, plugin, cleanup, win, closed: () => closed };
}

const throwError = (win: EventTarget, message: string) =>
  win.dispatchEvent(Object.assign(new Event('error'), { error: new Error(message) }));

describe('monitoring', () => {
  it('plugs into createTokenRollout', () => {
    const plugin: RolloutPlugin = monitoring({ window: undefined, vitals: false });
    expect(typeof plugin).toBe('function');
  });

  it('holds events recorded before the first settled decision and stamps them with its stage and arm', () => {
    const { events, rollout, vitals } = setup({
      initial: { ready: false, stage: null, configVersion: '', families: familiesWith([]) },
    });
    vitals.fire('TTFB', 80);
    vitals.fire('FCP', 900);
    expect(events).toEqual([]); // nothing leaves with a stage the page never ran with
    rollout.set({ ready: true, stage: 'week1', configVersion: 'c1', families: familiesWith(['buttons']) });
    const early = events.filter((e) => ['page-view', 'ttfb', 'fcp'].includes(e.name));
    expect(early.map((e) => e.name)).toEqual(['page-view', 'ttfb', 'fcp']);
    for (const e of early) expect(e).toMatchObject({ stage: 'week1', configVersion: 'c1', arm: 'mixed' });
  });

  it('sends held events on pagehide when the decision never settled', () => {
    const { events, vitals, win } = setup({
      initial: { ready: false, stage: null, configVersion: '', families: familiesWith([]) },
    });
    vitals.fire('FCP', 900);
    win.dispatchEvent(new Event('pagehide'));
    expect(events.map((e) => [e.name, e.stage])).toEqual([
      ['page-view', null],
      ['fcp', null],
    ]);
  });

  it('emits page-view and one exposure per page family, every event valid and without the user key', () => {
    const { events, rollout } = setup();
    rollout.set({ stage: 'week1' }); // a later state change exposes nothing again
    expect(events.map((e) => [e.name, e.family, e.arm])).toEqual([
      ['page-view', undefined, 'mixed'],
      ['exposure', 'buttons', 'v2'],
      ['exposure', 'cards', 'v2'],
      ['exposure', 'forms', 'v1'],
    ]);
    for (const e of events) {
      expect(validateEvent(e)).toEqual([]);
      expect(e).toMatchObject({ stage: 'week1', configVersion: 'c1', region: 'AU', session: 'session-uuid' });
    }
    expect(JSON.stringify(events)).not.toContain('alice');
  });

  it("stamps every event with the rollout's assignment group and bucket, and a fresh random id", () => {
    const { events, rollout, vitals, win } = setup();
    vitals.fire('FCP', 900);
    rollout.themeSwitch(40);
    rollout.convert('purchase', 30);
    throwError(win, 'boom');
    // A local fallback changes what is rendered (the arm), never the group.
    rollout.set({ families: familiesWith([]) });
    vitals.fire('LCP', 1200);
    expect(events.length).toBeGreaterThan(6);
    for (const e of events) {
      expect(e).toMatchObject({ assignment: 'treatment', bucket: 0.01 });
      expect(e.id).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(events.at(-1)).toMatchObject({ name: 'lcp', arm: 'v1', assignment: 'treatment' });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it("hashes the rollout's user key when none is given, and never sends the key", () => {
    const rollout = fakeRollout(['buttons'], { userKey: 'bob@example.com' });
    const events: MetricEvent[] = [];
    monitoring({
      reporters: [{ report: (e) => events.push(e), close() {} }],
      window: new EventTarget(),
      vitals: false,
      storage: createMemoryStorage(),
      salt: 's1',
    })(rollout.target);
    expect(events[0]?.user).toBe(hashUserKey('bob@example.com', 's1'));
    expect(JSON.stringify(events)).not.toContain('bob');
  });

  it('reports web vitals, theme switches and conversions', () => {
    const { events, vitals, rollout } = setup();
    vitals.fire('FCP', 640);
    vitals.fire('CLS', 0.02);
    rollout.themeSwitch(38);
    rollout.convert('checkout-completed', 59.9);
    rollout.convert('signup');
    expect(events.slice(4).map((e) => [e.name, e.value, e.detail])).toEqual([
      ['fcp', 640, undefined],
      ['cls', 0.02, undefined],
      ['theme-switch', 38, undefined],
      ['conversion', 59.9, 'checkout-completed'],
      ['conversion', 1, 'signup'],
    ]);
  });

  it('falls the page back to v1 when theme switches stay slow, reporting the reason once', () => {
    const { events, rollout, plugin } = setup();
    rollout.themeSwitch(250); // one slow sample: nothing happens
    expect(rollout.fallbacks).toEqual([]);
    rollout.themeSwitch(180);
    rollout.themeSwitch(190);
    expect(rollout.fallbacks).toEqual([['all', 'budget:theme-switch']]);
    const fallback = events.filter((e) => e.name === 'fallback');
    expect(fallback).toMatchObject([{ value: 'budget:theme-switch', arm: 'mixed' }]);
    expect(fallback[0]?.detail).toContain('last 3 samples');
    expect(plugin.status().trip?.metric).toBe('theme-switch');
    rollout.themeSwitch(300); // now on v1: no more trips
    expect(rollout.fallbacks).toHaveLength(1);
  });

  it('holds guard samples taken before the decision settled, then counts them against it', () => {
    const { rollout, vitals, events } = setup({ initial: { ready: false, configVersion: '' } });
    vitals.fire('FCP', 2500); // reported at once, counted for the guard once the decision settles
    rollout.themeSwitch(300);
    rollout.themeSwitch(300);
    rollout.themeSwitch(300);
    expect(rollout.fallbacks).toEqual([]);
    expect(events.filter((e) => e.name === 'exposure')).toEqual([]); // exposures wait for the decision too
    rollout.set({ ready: true, configVersion: 'c1' });
    expect(rollout.fallbacks).toEqual([['all', 'budget:theme-switch']]);
    expect(events.filter((e) => e.name === 'exposure')).toHaveLength(3);
  });

  it('counts uncaught errors per page view and trips the error budget at three', () => {
    const { events, rollout, win, plugin } = setup();
    throwError(win, 'one');
    throwError(win, 'two');
    expect(rollout.fallbacks).toEqual([]);
    throwError(win, 'three');
    expect(events.filter((e) => e.name === 'js-error').map((e) => [e.value, e.detail])).toEqual([
      [1, 'Error: one'],
      [2, 'Error: two'],
      [3, 'Error: three'],
    ]);
    expect(rollout.fallbacks).toEqual([['all', 'budget:js-error']]);
    expect(plugin.status().errors).toBe(3);
  });

  it('keeps the user key out of error messages', () => {
    const { events, win } = setup();
    throwError(win, 'no profile for alice@example.com');
    expect(events.at(-1)).toMatchObject({ name: 'js-error', detail: 'Error: no profile for [user]' });
  });

  it('samples memory when the browser can, and says when it cannot', async () => {
    const measured = setup({
      window: Object.assign(new EventTarget(), { performance: { memory: { usedJSHeapSize: 12_345_678 } } }),
    });
    expect(measured.plugin.status().memorySource).toBe('performance.memory');
    measured.clock.tick(); // the delayed first sample
    await Promise.resolve();
    await Promise.resolve();
    expect(measured.events.filter((e) => e.name === 'memory')).toMatchObject([
      { value: 12_345_678, detail: 'performance.memory' },
    ]);
    const blind = setup({ window: new EventTarget() });
    expect(blind.plugin.status().memorySource).toBe('unavailable');
    expect(blind.clock.live.size).toBe(0);
  });

  it('sends only the opt-out for an opted-out user', () => {
    const { events, rollout, vitals, win } = setup();
    const before = events.length;
    rollout.set({ optedOut: true, families: familiesWith([]) });
    vitals.fire('LCP', 2000);
    rollout.themeSwitch(20);
    throwError(win, 'ignored');
    rollout.convert('purchase');
    expect(events.slice(before).map((e) => [e.name, e.value])).toEqual([['opt-out', 1]]);
  });

  it('removes every listener, observer and timer on cleanup and closes the reporters', () => {
    const { rollout, vitals, clock, events, cleanup, win, closed } = setup({
      window: Object.assign(new EventTarget(), { performance: { memory: { usedJSHeapSize: 1 } } }),
    });
    expect(rollout.listenerCount()).toBe(3);
    cleanup();
    cleanup();
    expect(rollout.listenerCount()).toBe(0);
    expect(clock.live.size).toBe(0);
    expect(closed()).toBe(1);
    const count = events.length;
    vitals.fire('FCP', 5000);
    throwError(win, 'after cleanup');
    expect(events.length).toBe(count);
  });

  it('loads the manifest from a URL for the CSS budget, dropping the largest family that does not fit', async () => {
    const rollout = fakeRollout(['buttons', 'forms']);
    const file = (family: string, bytes: number) => ({
      family,
      version: 'v2',
      file: `v2/${family}.css`,
      bytes,
      gzipBytes: 1,
      integrity: `sha384-${'A'.repeat(64)}`,
    });
    const manifest = {
      schema: 1,
      themes: [],
      tokens: { count: 1 },
      files: [file('core', 9000), file('buttons', 4000), file('forms', 30_000)],
    };
    const requested: string[] = [];
    const win = Object.assign(new EventTarget(), {
      fetch: async (url: string) => {
        requested.push(url);
        return { ok: true, status: 200, json: async () => manifest };
      },
    });
    const plugin = monitoring({
      window: win,
      vitals: false,
      storage: createMemoryStorage(),
      manifest: '/tokens/manifest.json',
    });
    plugin(rollout.target);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requested).toEqual(['/tokens/manifest.json']);
    expect(rollout.fallbacks).toEqual([[['forms'], 'budget:css-bytes']]);
  });

  it('says so when the manifest cannot be loaded, and keeps measuring', async () => {
    const rollout = fakeRollout();
    const win = Object.assign(new EventTarget(), {
      fetch: async () => ({ ok: false, status: 404, json: async () => null }),
    });
    const plugin = monitoring({
      window: win,
      vitals: false,
      storage: createMemoryStorage(),
      manifest: '/m.json',
    });
    plugin(rollout.target);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(plugin.status().problems).toEqual([
      'token manifest /m.json could not be loaded: HTTP 404 (the CSS size budget is not checked)',
    ]);
    expect(rollout.fallbacks).toEqual([]);
  });

  it('rejects a bad budget with the path that is wrong', () => {
    expect(() => monitoring({ budgets: { themeSwitch: { limit: 0 } } })).toThrow(
      'invalid budgets: budgets.themeSwitch.limit must be a positive number, got 0',
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { MetricEvent } from '../metrics/event.js';
import { validateEvent } from '../metrics/validate.js';
import { type BeaconFetch, type BeaconTimers, type BeaconWindow, beaconReporter } from './beacon.js';
import { testEvent } from './test-events.js';

/** A hand-run clock: timers fire only when `run` is called. */
function manualTimers() {
  let next = 1;
  const pending = new Map<number, { callback: () => void; ms: number }>();
  const timers: BeaconTimers = {
    setTimeout: (callback, ms) => {
      pending.set(next, { callback, ms });
      return next++;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    delays: () => [...pending.values()].map((p) => p.ms),
    run: async () => {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, p] of due) p.callback();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

function fakeWindow() {
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const win: BeaconWindow = Object.assign(new EventTarget(), { document: doc });
  return {
    win,
    hide: () => {
      doc.visibilityState = 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    pagehide: () => win.dispatchEvent(new Event('pagehide')),
  };
}

function parse(body: unknown): MetricEvent[] {
  return JSON.parse(String(body)) as MetricEvent[];
}

describe('beaconReporter', () => {
  it('sends the queue with sendBeacon when the page is hidden, as contract-valid JSON arrays', () => {
    const beacons: Array<[string, string]> = [];
    const { win, hide } = fakeWindow();
    const clock = manualTimers();
    const reporter = beaconReporter({
      url: '/collect',
      window: win,
      sendBeacon: (url, data) => beacons.push([url, data]) > 0,
      fetch: () => Promise.reject(new Error('not used')),
      timers: clock.timers,
      maxBatch: 2,
    });
    for (let i = 0; i < 3; i++) reporter.report(testEvent('fcp', 100 + i, i));
    hide();
    expect(beacons.map(([url, body]) => [url, parse(body).map((e) => e.value)])).toEqual([
      ['/collect', [100, 101]],
      ['/collect', [102]],
    ]);
    for (const [, body] of beacons) {
      parse(body).forEach((event, i) => {
        expect(validateEvent(event, `$[${i}]`)).toEqual([]);
      });
    }
    expect(reporter.stats()).toMatchObject({ sent: 3, queued: 0 });
    expect(clock.delays()).toEqual([]); // the timed flush was cancelled: nothing is sent twice
  });

  it('falls back to fetch with keepalive when sendBeacon refuses the payload or is missing', async () => {
    const requests: RequestInit[] = [];
    const fetch: BeaconFetch = async (_url, init) => {
      requests.push(init);
      return { ok: true, status: 204 };
    };
    const { win, pagehide } = fakeWindow();
    const reporter = beaconReporter({
      url: '/c',
      window: win,
      sendBeacon: () => false,
      fetch,
      timers: manualTimers().timers,
    });
    reporter.report(testEvent('lcp', 1200));
    pagehide();
    await Promise.resolve();
    expect(requests).toMatchObject([{ method: 'POST', keepalive: true }]);
    expect(parse(requests[0]?.body).map((e) => e.name)).toEqual(['lcp']);
  });

  it('batches on a timer and retries with growing, capped delays while the collector is down', async () => {
    const clock = manualTimers();
    let up = false;
    const bodies: MetricEvent[][] = [];
    const fetch: BeaconFetch = async (_url, init) => {
      if (!up) throw new TypeError('Failed to fetch');
      bodies.push(parse(init.body));
      return { ok: true, status: 200 };
    };
    const reporter = beaconReporter({
      url: '/c',
      fetch,
      timers: clock.timers,
      flushIntervalMs: 5000,
      random: () => 0,
      backoff: { baseMs: 1000, maxMs: 4000 },
    });
    reporter.report(testEvent('fcp', 1));
    reporter.report(testEvent('ttfb', 2));
    expect(clock.delays()).toEqual([5000]);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await clock.run();
      delays.push(...clock.delays());
    }
    expect(delays).toEqual([500, 1000, 2000, 2000]); // jittered to half; capped at 4000 → 2000
    expect(reporter.stats()).toMatchObject({ queued: 2, failures: 4, sent: 0 });
    up = true;
    await clock.run();
    expect(bodies).toEqual([[testEvent('fcp', 1), testEvent('ttfb', 2)]]);
    expect(reporter.stats()).toMatchObject({ queued: 0, failures: 0, sent: 2 });
  });

  it('sends what is reported while the page is hidden at once, by sendBeacon, not after the interval', async () => {
    // web-vitals reports LCP and CLS on the hide itself, after this reporter's own flush may have run; a
    // hidden page can be frozen or discarded with no pagehide (mobile), so nothing may wait 5 s then.
    const beacons: string[] = [];
    const { win, hide } = fakeWindow();
    const clock = manualTimers();
    const reporter = beaconReporter({
      url: '/collect',
      window: win,
      sendBeacon: (_url, data) => beacons.push(data) > 0,
      fetch: () => Promise.reject(new Error('not used')),
      timers: clock.timers,
    });
    reporter.report(testEvent('fcp', 100, 0));
    expect(clock.delays()).toEqual([5000]); // visible: the interval
    hide();
    reporter.report(testEvent('lcp', 900, 1));
    reporter.report(testEvent('cls', 0.1, 2));
    expect(clock.delays()).toEqual([0]); // one flush for what this task reports
    await clock.run();
    expect(beacons.map((body) => parse(body).map((e) => e.name))).toEqual([['fcp'], ['lcp', 'cls']]);
    expect(reporter.stats()).toMatchObject({ sent: 3, queued: 0 });
  });

  it('keeps retrying with backoff after a hidden-page flush interrupted the outage', async () => {
    const clock = manualTimers();
    const { win, hide } = fakeWindow();
    const reporter = beaconReporter({
      url: '/c',
      window: win,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      sendBeacon: () => true,
      timers: clock.timers,
      random: () => 0,
    });
    reporter.report(testEvent('fcp', 1));
    await clock.run(); // timed flush fails: a retry is set
    expect(clock.delays()).toEqual([500]);
    hide(); // the beacon takes the queue and the retry timer goes
    expect(clock.delays()).toEqual([]);
    reporter.report(testEvent('lcp', 2)); // back on the page, still in the outage
    expect(clock.delays()).toEqual([500]);
  });

  it('sends a full batch at once instead of waiting for the interval', () => {
    const clock = manualTimers();
    const reporter = beaconReporter({
      url: '/c',
      fetch: () => new Promise(() => {}),
      timers: clock.timers,
      maxBatch: 3,
    });
    reporter.report(testEvent('fcp', 1));
    reporter.report(testEvent('fcp', 2));
    expect(clock.delays()).toEqual([5000]);
    reporter.report(testEvent('fcp', 3));
    expect(clock.delays()).toEqual([0]);
  });

  it('does not retry a batch the collector refused as invalid (4xx), and counts it', async () => {
    const clock = manualTimers();
    const reporter = beaconReporter({
      url: '/c',
      fetch: async () => ({ ok: false, status: 400 }),
      timers: clock.timers,
    });
    reporter.report(testEvent('fcp', 1));
    await clock.run();
    expect(reporter.stats()).toMatchObject({ rejected: 1, queued: 0, failures: 0 });
    expect(clock.delays()).toEqual([]);
  });

  it('bounds the queue: drops the oldest events and counts them', () => {
    const beacons: string[] = [];
    const reporter = beaconReporter({
      url: '/c',
      maxQueue: 3,
      sendBeacon: (_u, d) => beacons.push(d) > 0,
      fetch: () => new Promise(() => {}),
      timers: manualTimers().timers,
    });
    for (let i = 0; i < 5; i++) reporter.report(testEvent('theme-switch', i, i));
    expect(reporter.stats()).toMatchObject({ queued: 3, dropped: 2 });
    reporter.flush();
    expect(beacons.flatMap((b) => parse(b).map((e) => e.value))).toEqual([2, 3, 4]);
  });

  it('for an opted-out user sends nothing but the opt-out: the queue is cleared at opt-out', async () => {
    const sent: MetricEvent[] = [];
    const clock = manualTimers();
    const reporter = beaconReporter({
      url: '/c',
      fetch: async (_u, init) => {
        sent.push(...parse(init.body));
        return { ok: true, status: 204 };
      },
      sendBeacon: (_u, d) => sent.push(...parse(d)) > 0,
      timers: clock.timers,
    });
    reporter.report(testEvent('fcp', 1));
    reporter.report(testEvent('lcp', 2));
    reporter.report(testEvent('opt-out', 1));
    reporter.report(testEvent('theme-switch', 3));
    await clock.run();
    reporter.flush();
    expect(sent.map((e) => e.name)).toEqual(['opt-out']);
    expect(reporter.stats()).toMatchObject({ discarded: 2 });
    // Opting back in resumes reporting.
    reporter.report(testEvent('opt-out', 0));
    reporter.report(testEvent('inp', 4));
    reporter.flush();
    expect(sent.map((e) => e.name)).toEqual(['opt-out', 'opt-out', 'inp']);
  });

  it('close() sends what is left and removes its listeners', () => {
    const beacons: string[] = [];
    const { win, pagehide } = fakeWindow();
    const reporter = beaconReporter({
      url: '/c',
      window: win,
      sendBeacon: (_u, d) => beacons.push(d) > 0,
      timers: manualTimers().timers,
    });
    reporter.report(testEvent('fcp', 1));
    reporter.close();
    reporter.report(testEvent('fcp', 2));
    pagehide();
    expect(beacons.map((b) => parse(b).length)).toEqual([1]);
  });
});

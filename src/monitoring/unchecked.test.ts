// Issue 17 item 5: every budget works as the quick start wires it (the manifest comes from the rollout),
// and a budget that cannot be checked says so in status().unchecked and once in the console.
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { fakeVitals } from '../../test-support/fake-web-vitals.js';
import type { TokenManifest } from '../../tokens/manifest.js';
import { MEMORY_BASELINE_KEY } from '../guard/memory-baseline.js';
import { createMemoryStorage } from '../storage/safe.js';
import { monitoring } from './index.js';
import type { ManifestOutcome, MonitorContext } from './target.js';
import { fakeRollout, fakeTimers } from './test-rollout.js';
import type { MonitoringOptions, MonitoringWindow } from './types.js';

const file = (family: string, bytes: number) => ({
  family,
  version: 'v2' as const,
  file: `v2/${family}.css`,
  bytes,
  gzipBytes: 1,
  integrity: `sha384-${'A'.repeat(64)}`,
});
/** v2 core 9 000 B, buttons 4 000 B, forms 30 000 B: buttons + forms together are over the 40 000 B budget. */
const MANIFEST: TokenManifest = {
  schema: 1,
  themes: [],
  tokens: { count: 1 },
  files: [file('core', 9000), file('buttons', 4000), file('forms', 30_000)],
};

const chromiumLike = (): MonitoringWindow =>
  Object.assign(new EventTarget(), {
    performance: { memory: { usedJSHeapSize: 50_000_000 } },
    PerformanceObserver: { supportedEntryTypes: ['paint', 'largest-contentful-paint'] },
  });

let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
});

/** A device that has seen v1 pages: its memory baseline is recorded. */
function withBaseline() {
  const storage = createMemoryStorage();
  storage.setItem(MEMORY_BASELINE_KEY, JSON.stringify([40_000_000]));
  return storage;
}

/** Monitoring on a page with buttons and forms on v2, as `createTokenRollout({plugins})` would start it. */
function start(options: MonitoringOptions = {}, context?: MonitorContext, win = chromiumLike()) {
  const rollout = fakeRollout(['buttons', 'forms']);
  const plugin = monitoring({
    window: win,
    vitals: fakeVitals().api,
    storage: withBaseline(),
    timers: fakeTimers().timers,
    ...options,
  });
  plugin(rollout.target, context);
  return { rollout, plugin };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const warnings = () => warn.mock.calls.map((call) => String(call[0]));

describe('the CSS size budget as the quick start wires it', () => {
  it('takes the manifest from the rollout it is plugged into, and drops the largest family that does not fit', async () => {
    const manifest = Promise.resolve<ManifestOutcome>({ manifest: MANIFEST });
    const { rollout, plugin } = start({}, { manifest });
    await tick();
    expect(rollout.fallbacks).toEqual([[['forms'], 'budget:css-bytes']]);
    expect(plugin.status().unchecked.cssBytes).toBeUndefined();
  });

  it('prefers a `manifest` given to monitoring over the rollout’s', async () => {
    const small = { ...MANIFEST, files: [file('core', 100), file('buttons', 100), file('forms', 100)] };
    const { rollout } = start({ manifest: small }, { manifest: Promise.resolve({ manifest: MANIFEST }) });
    await tick();
    expect(rollout.fallbacks).toEqual([]);
  });

  it("says so when the rollout's manifest could not be loaded: in status() and once in the console", async () => {
    const error = 'token manifest https://cdn.test/manifest.json could not be loaded: HTTP 404';
    const { rollout, plugin } = start({}, { manifest: Promise.resolve({ manifest: null, error }) });
    await tick();
    rollout.set({ stage: 'week2' });
    rollout.set({ stage: 'week3' });
    expect(plugin.status().unchecked).toEqual({ cssBytes: error });
    expect(warnings()).toEqual([
      `token-rollout monitoring: the cssBytes budget is not checked on this page: ${error}`,
    ]);
  });

  it('says so when there is no manifest at all (a plugin used outside createTokenRollout)', async () => {
    const { plugin } = start();
    await tick();
    expect(plugin.status().unchecked.cssBytes).toMatch(
      /^no token manifest \(plug monitoring into createTokenRollout/,
    );
    expect(warnings()).toHaveLength(1);
  });
});

describe('budgets that cannot be checked', () => {
  const manifest = Promise.resolve<ManifestOutcome>({ manifest: { ...MANIFEST, files: [file('core', 1)] } });

  it('memory and FCP on a browser without memory figures or paint timing', async () => {
    const bare = Object.assign(new EventTarget(), {
      PerformanceObserver: { supportedEntryTypes: ['resource'] },
    });
    const { plugin } = start({}, { manifest }, bare);
    await tick();
    expect(plugin.status().unchecked).toEqual({
      fcp: 'this browser does not report paint timing (First Contentful Paint)',
      memory: 'this browser reports no memory figures (`status().memorySource` is unavailable)',
    });
    expect(warnings()).toHaveLength(2);
  });

  it('memory on a v2 page before any v1 baseline was recorded on the device; checked once there is one', async () => {
    const storage = createMemoryStorage(); // a device that has only seen v2 pages
    const first = start({ storage }, { manifest });
    await tick();
    expect(first.plugin.status().unchecked).toEqual({
      memory: 'no v1 memory baseline on this device yet (it is recorded on pages without v2)',
    });
    storage.setItem(MEMORY_BASELINE_KEY, JSON.stringify([40_000_000]));
    const next = start({ storage }, { manifest });
    expect(next.plugin.status().unchecked).toEqual({});
  });

  it('what the app turned off itself is listed, without a console line', async () => {
    const off = start({ vitals: false, memory: false }, { manifest });
    await tick();
    expect(off.plugin.status().unchecked).toEqual({
      fcp: 'web-vitals is off (`vitals: false`)',
      memory: 'memory sampling is off (`memory: false`)',
    });
    const guardOff = start({ budgets: false });
    await tick();
    expect(Object.keys(guardOff.plugin.status().unchecked)).toEqual([
      'cssBytes',
      'fcp',
      'themeSwitch',
      'errors',
      'memory',
    ]);
    expect(warnings()).toEqual([]);
  });
});

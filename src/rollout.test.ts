// createTokenRollout in Node with a minimal fake DOM: the races between the flag source and a
// manifest that is still being fetched.
import { describe, expect, it } from 'vitest';
import type { TokenManifest } from '../tokens/manifest.js';
import { FAMILIES } from './families.js';
import type { FlagSnapshot, FlagSource } from './flags/source.js';
import { createTokenRollout } from './rollout.js';
import { createMemoryStorage } from './storage/safe.js';
import { STORAGE_KEYS } from './storage/storage.js';

const MANIFEST: TokenManifest = {
  schema: 1,
  themes: ['light', 'dark'],
  files: [
    {
      family: 'all',
      version: 'v1',
      file: 'v1/all.css',
      bytes: 1,
      gzipBytes: 1,
      integrity: `sha384-${'a'.repeat(64)}`,
    },
    {
      family: 'core',
      version: 'v2',
      file: 'v2/core.css',
      bytes: 1,
      gzipBytes: 1,
      integrity: `sha384-${'b'.repeat(64)}`,
    },
    ...FAMILIES.map((family) => ({
      family,
      version: 'v2' as const,
      file: `v2/${family}.css`,
      bytes: 1,
      gzipBytes: 1,
      integrity: `sha384-${'c'.repeat(64)}`,
    })),
  ],
  tokens: { count: 1 },
} as TokenManifest;

const ALL_V2 = { stage: 'week1', week1: { percentage: 100, regions: ['all'] } };

/** Just enough of a document for the runtime: <html>, <head>, and links that load on the next task. */
interface FakeLink extends EventTarget {
  sheet: null;
  isConnected: boolean;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  remove(): void;
}

function fakeDom() {
  const links: FakeLink[] = [];
  const attrs = new Map<string, string>();
  const classes = new Set<string>();
  const win = Object.assign(new EventTarget(), {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
    performance: { now: () => performance.now() },
  });
  const linkEl = () => {
    const a = new Map<string, string>();
    const el: FakeLink = Object.assign(new EventTarget(), {
      sheet: null,
      isConnected: false,
      getAttribute: (n: string) => a.get(n) ?? null,
      setAttribute: (n: string, v: string) => {
        a.set(n, v);
      },
      remove: () => {
        const i = links.indexOf(el);
        if (i >= 0) links.splice(i, 1);
        el.isConnected = false;
      },
    });
    return el;
  };
  const head = {
    insertBefore(el: FakeLink) {
      links.push(el);
      el.isConnected = true;
      setTimeout(() => el.dispatchEvent(new Event('load')), 0);
    },
  };
  const doc = {
    baseURI: 'https://app.test/page',
    defaultView: win,
    head,
    documentElement: {
      getAttribute: (n: string) => attrs.get(n) ?? null,
      setAttribute: (n: string, v: string) => attrs.set(n, v),
      classList: {
        contains: (c: string) => classes.has(c),
        add: (c: string) => classes.add(c),
        remove: (c: string) => classes.delete(c),
      },
    },
    querySelector: () => null,
    querySelectorAll: () => [...links],
    createElement: () => linkEl(),
  };
  /** Adds a link as the boot snippet would, before the runtime starts. */
  const bootLink = (id: string, state: 'loaded' | 'error') => {
    const el = linkEl();
    el.setAttribute('data-tr', id);
    el.setAttribute('data-tr-state', state);
    links.push(el);
    el.isConnected = true;
  };
  return { document: doc as unknown as Document, window: win as unknown as Window, links, bootLink };
}

/** A flag source whose start-up answer and later changes the test drives. */
function drivenFlags() {
  const listeners = new Set<(s: FlagSnapshot) => void>();
  const initial: FlagSnapshot = { config: null, switches: {}, origin: 'default' };
  let current = initial;
  let answer: (s: FlagSnapshot) => void = () => {};
  const started = new Promise<FlagSnapshot>((resolve) => {
    answer = resolve;
  });
  const source: FlagSource = {
    ready: () => started,
    current: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => listeners.clear(),
  };
  const change = (config: unknown) => {
    current = { config, switches: {}, origin: 'live' };
    for (const l of listeners) l(current);
  };
  return { source, change, answer: (config: unknown) => answer({ config, switches: {}, origin: 'live' }) };
}

function deferredManifest() {
  let respond: (r: { ok: boolean; status: number; json(): Promise<unknown> }) => void = () => {};
  const response = new Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>((resolve) => {
    respond = resolve;
  });
  return { fetch: () => response, respond };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createTokenRollout with a manifest URL', () => {
  it('a flag change that arrives while the manifest is being fetched is applied once it arrives', async () => {
    const dom = fakeDom();
    const flags = drivenFlags();
    const manifest = deferredManifest();
    const rollout = createTokenRollout({
      flags: flags.source,
      user: { key: 'user-1', region: 'AU' },
      manifest: 'https://cdn.test/tokens/manifest.json',
      storage: createMemoryStorage(),
      ...dom,
      fetch: manifest.fetch,
    });
    flags.change(ALL_V2);
    await tick();
    flags.answer(ALL_V2);
    await tick();
    manifest.respond({ ok: true, status: 200, json: async () => MANIFEST });
    const state = await rollout.ready;
    for (const family of FAMILIES) {
      expect(state.families[family]).toMatchObject({ version: 'v2', reason: 'in-rollout', loaded: true });
    }
    expect(state.errors).toEqual([]);
    expect(dom.links.map((l) => l.getAttribute('data-tr')).sort()).toEqual(
      ['v2/core', ...FAMILIES.map((f) => `v2/${f}`)].sort(),
    );
    rollout.destroy();
  });

  it('a manifest that fails to load still leaves every family on v1 with reason load-failed', async () => {
    const dom = fakeDom();
    const flags = drivenFlags();
    const manifest = deferredManifest();
    const rollout = createTokenRollout({
      flags: flags.source,
      user: { key: 'user-1', region: 'AU' },
      manifest: 'https://cdn.test/tokens/manifest.json',
      storage: createMemoryStorage(),
      ...dom,
      fetch: manifest.fetch,
    });
    flags.change(ALL_V2);
    await tick();
    flags.answer(ALL_V2);
    manifest.respond({ ok: false, status: 404, json: async () => null });
    const state = await rollout.ready;
    for (const family of FAMILIES) {
      expect(state.families[family]).toMatchObject({ version: 'v1', reason: 'load-failed' });
      expect(state.families[family].error).toMatch(/token manifest .* could not be loaded: HTTP 404/);
    }
    rollout.destroy();
  });

  it("with no usable manifest, the boot snippet's loaded v1 sheet is reported loaded", async () => {
    const dom = fakeDom();
    dom.bootLink('v1', 'loaded');
    const flags = drivenFlags();
    const manifest = deferredManifest();
    const rollout = createTokenRollout({
      flags: flags.source,
      user: { key: 'user-1', region: 'AU' },
      manifest: 'https://cdn.test/tokens/manifest.json',
      storage: createMemoryStorage(),
      ...dom,
      fetch: manifest.fetch,
    });
    flags.answer(ALL_V2);
    manifest.respond({ ok: true, status: 200, json: async () => ({ schema: 1 }) });
    const state = await rollout.ready;
    for (const family of FAMILIES) {
      expect(state.families[family]).toMatchObject({ version: 'v1', reason: 'load-failed', loaded: true });
    }
    rollout.destroy();
  });
});

describe('createTokenRollout: storage events from other tabs', () => {
  it('re-reads storage rather than trust a late event.newValue', async () => {
    const dom = fakeDom();
    const flags = drivenFlags();
    const storage = createMemoryStorage();
    const rollout = createTokenRollout({
      flags: flags.source,
      user: { key: 'user-1', region: 'AU' },
      manifest: MANIFEST,
      storage,
      ...dom,
    });
    flags.answer(ALL_V2);
    await rollout.ready;
    const storageEvent = (key: string, newValue: string | null) =>
      dom.window.dispatchEvent(Object.assign(new Event('storage'), { key, newValue }));
    // The other tab opted out, then this tab opted in again (newer) before the event arrived.
    await rollout.setOptOut(false);
    storageEvent(STORAGE_KEYS.optOut, '1');
    expect(rollout.getState().optedOut).toBe(false);
    storage.setItem(STORAGE_KEYS.optOut, '1');
    storageEvent(STORAGE_KEYS.optOut, null);
    expect(rollout.getState().optedOut).toBe(true);
    storage.setItem(STORAGE_KEYS.theme, 'dark');
    storageEvent(STORAGE_KEYS.theme, 'light');
    expect(rollout.getState().themePreference).toBe('dark');
    rollout.destroy();
  });
});

describe('createTokenRollout: the assignment group', () => {
  it('is in every snapshot and stays the same through opt-out, a local fallback and opting back in', async () => {
    const dom = fakeDom();
    const flags = drivenFlags();
    const rollout = createTokenRollout({
      flags: flags.source,
      user: { key: 'user-1', region: 'AU' },
      manifest: MANIFEST,
      storage: createMemoryStorage(),
      ...dom,
    });
    // Before the flags answer the flag is off (no value yet): the user is in no comparison.
    expect(rollout.getState()).toMatchObject({ assignment: 'ineligible', stage: null });
    flags.answer(ALL_V2);
    const ready = await rollout.ready;
    expect(ready).toMatchObject({ arm: 'v2', assignment: 'treatment', stage: 'week1' });
    const seen: string[] = [];
    rollout.subscribe((s) => seen.push(`${s.arm}:${s.assignment}`));
    await rollout.setOptOut(true);
    expect(rollout.getState()).toMatchObject({ arm: 'v1', assignment: 'treatment' });
    await rollout.setOptOut(false);
    await rollout.fallback('all', 'budget:fcp');
    expect(rollout.getState()).toMatchObject({ arm: 'v1', assignment: 'treatment' });
    expect(rollout.getState().families.buttons).toMatchObject({
      reason: 'local-fallback',
      detail: 'budget:fcp',
    });
    expect(seen.length).toBeGreaterThan(2);
    expect(new Set(seen.map((s) => s.split(':')[1]))).toEqual(new Set(['treatment']));
    rollout.destroy();
  });

  it('is control outside the percentage and ineligible outside the stage regions', async () => {
    for (const [config, region, group] of [
      [{ stage: 'week1', week1: { percentage: 0, regions: ['all'] } }, 'AU', 'control'],
      [{ stage: 'week1', week1: { percentage: 100, regions: ['NZ'] } }, 'AU', 'ineligible'],
    ] as const) {
      const flags = drivenFlags();
      const rollout = createTokenRollout({
        flags: flags.source,
        user: { key: 'user-1', region },
        manifest: MANIFEST,
        storage: createMemoryStorage(),
        ...fakeDom(),
      });
      flags.answer(config);
      expect((await rollout.ready).assignment).toBe(group);
      rollout.destroy();
    }
  });
});

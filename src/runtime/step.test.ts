// The rollout's pure step: inputs in, state and effects out, no page.
import { describe, expect, it } from 'vitest';
import type { TokenManifest } from '../../tokens/manifest.js';
import { bucketOf } from '../assign/bucket.js';
import { FAMILIES, FLAG_KEY } from '../families.js';
import type { FlagSnapshot } from '../flags/source.js';
import { STORAGE_KEYS } from '../storage/storage.js';
import { initialState } from './init.js';
import { sameSnapshot, snapshotOf, versionsOf } from './snapshot.js';
import { step } from './step.js';
import type { Effect, Input, RuntimeState } from './types.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');
/** Week 1 at 50 % in AU and NZ, covering buttons and cards. */
const CONFIG = {
  stage: 'week1',
  version: 'cfg-1',
  week1: { percentage: 50, regions: ['AU', 'NZ'], components: ['buttons', 'cards'] },
};
const live = (config: unknown, switches: FlagSnapshot['switches'] = {}): FlagSnapshot => ({
  config,
  switches,
  origin: 'live',
});
const MANIFEST: TokenManifest = {
  schema: 1,
  themes: ['light', 'dark'],
  files: [
    { family: 'all', version: 'v1', file: 'v1/all.css', bytes: 1, gzipBytes: 1, integrity: 'sha384-a' },
    { family: 'core', version: 'v2', file: 'v2/core.css', bytes: 1, gzipBytes: 1, integrity: 'sha384-b' },
    ...FAMILIES.map((family) => ({
      family,
      version: 'v2' as const,
      file: `v2/${family}.css`,
      bytes: 1,
      gzipBytes: 1,
      integrity: 'sha384-c',
    })),
  ],
  tokens: { count: 1 },
};

/** A key whose design-tokens-v2 bucket passes `test`, found deterministically. */
function keyWithBucket(test: (bucket: number) => boolean): string {
  for (let i = 0; ; i++) if (test(bucketOf(FLAG_KEY, FLAG_KEY, `user-${i}`))) return `user-${i}`;
}
const INSIDE = keyWithBucket((b) => b < 0.4);
const OUTSIDE = keyWithBucket((b) => b > 0.6);

function start(key = INSIDE, region = 'AU', overrides: Partial<Parameters<typeof initialState>[0]> = {}) {
  return initialState({
    user: { key, region },
    families: FAMILIES,
    stored: { optedOut: false, noticeDismissed: false, theme: null, fallbacks: null },
    systemDark: false,
    snapshot: { config: null, switches: {}, origin: 'default' },
    bootstrap: undefined,
    legacyLoaded: false,
    now: NOW,
    ...overrides,
  });
}

/** Runs inputs in order; returns the last state and every effect. */
function run(state: RuntimeState, ...inputs: Input[]): { state: RuntimeState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const input of inputs) {
    const result = step(state, input, NOW);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

const types = (effects: readonly Effect[]) => effects.map((e) => e.type);

describe('step: decisions', () => {
  it('decides from the flags once they arrive, and asks to publish and reconcile', () => {
    const { state, effects } = run(start(), { type: 'flags', snapshot: live(CONFIG) });
    expect(types(effects)).toEqual(['publish', 'reconcile']);
    expect(state.decision.assignment).toMatchObject({
      stage: 'week1',
      configVersion: 'cfg-1',
      group: 'treatment',
    });
    expect(state.decision.assignment.families.buttons).toEqual({ version: 'v2', reason: 'in-rollout' });
    const outside = run(start(OUTSIDE), { type: 'flags', snapshot: live(CONFIG) }).state;
    expect(outside.decision.assignment.group).toBe('control');
    expect(outside.decision.assignment.families.buttons.reason).toBe('outside-percentage');
  });

  it('parses the flag value once: the same value keeps the same parsed config through every re-decision', () => {
    const snapshot = live(CONFIG);
    const first = run(start(), { type: 'flags', snapshot }).state;
    const again = run(
      first,
      { type: 'flags', snapshot: { ...snapshot, origin: 'cache' } },
      { type: 'opt-out', optedOut: true },
      { type: 'fallback', families: ['cards'], reason: 'budget:fcp', stored: null },
    ).state;
    expect(again.parsed).toBe(first.parsed);
    expect(run(first, { type: 'flags', snapshot: live({ ...CONFIG }) }).state.parsed).not.toBe(first.parsed);
    const killed = run(first, { type: 'flags', snapshot: live(CONFIG, { buttons: false }) }).state;
    expect(killed.parsed).not.toBe(first.parsed);
    expect(killed.decision.assignment.families.buttons.reason).toBe('killed');
  });

  it('keeps the assignment group through opt-out, kill switches, local fallbacks and load failures', () => {
    for (const key of [INSIDE, OUTSIDE]) {
      const decided = run(start(key), { type: 'flags', snapshot: live(CONFIG) }).state;
      const group = snapshotOf(decided).assignment;
      const states = [
        run(decided, { type: 'opt-out', optedOut: true }).state,
        run(decided, { type: 'flags', snapshot: live(CONFIG, { buttons: false, cards: false }) }).state,
        run(decided, { type: 'fallback', families: FAMILIES, reason: 'budget:fcp', stored: null }).state,
        run(decided, { type: 'load-failed', failures: [['buttons', 'HTTP 404']], report: true }).state,
      ];
      for (const s of states) expect(snapshotOf(s).assignment).toBe(group);
    }
    const optedOut = run(
      start(),
      { type: 'flags', snapshot: live(CONFIG) },
      { type: 'opt-out', optedOut: true },
    );
    expect(snapshotOf(optedOut.state).arm).toBe('v1');
  });

  it('reads stored records only from the state: an opt-out stored at start applies, another tab can change it', () => {
    const stored = { optedOut: true, noticeDismissed: false, theme: 'dark' as const, fallbacks: null };
    const s = run(start(INSIDE, 'AU', { stored }), { type: 'flags', snapshot: live(CONFIG) }).state;
    expect(s.decision.assignment.families.buttons.reason).toBe('opted-out');
    expect(snapshotOf(s).theme).toBe('dark');
    const back = run(s, { type: 'stored', change: { key: 'optOut', value: false } });
    expect(back.state.decision.assignment.families.buttons.reason).toBe('in-rollout');
    expect(types(back.effects)).toEqual(['publish', 'reconcile']);
    // The same value again (an echo of our own write) changes nothing.
    expect(run(back.state, { type: 'stored', change: { key: 'optOut', value: false } }).effects).toEqual([]);
  });
});

describe('step: effects', () => {
  const decided = () => run(start(), { type: 'flags', snapshot: live(CONFIG) }).state;

  it('opting out stores it, tells the flag service, publishes and reconciles; the same value skips the store', () => {
    const { effects } = run(decided(), { type: 'opt-out', optedOut: true });
    expect(effects).toEqual([
      { type: 'store', key: STORAGE_KEYS.optOut, value: '1' },
      { type: 'identify', optedOut: true },
      { type: 'publish' },
      { type: 'reconcile' },
    ]);
    expect(types(run(decided(), { type: 'opt-out', optedOut: false }).effects)).toEqual([
      'identify',
      'publish',
      'reconcile',
    ]);
  });

  it('a fallback keeps the freshest stored record of this config version and adds its families', () => {
    const stored = { configVersion: 'cfg-1', families: { forms: 'budget:memory' } };
    const { state, effects } = run(decided(), {
      type: 'fallback',
      families: ['cards'],
      reason: 'budget:fcp',
      stored,
    });
    expect(effects[0]).toEqual({
      type: 'store',
      key: STORAGE_KEYS.fallback,
      value: JSON.stringify({
        configVersion: 'cfg-1',
        families: { forms: 'budget:memory', cards: 'budget:fcp' },
      }),
    });
    expect(snapshotOf(state).families.cards).toMatchObject({
      reason: 'local-fallback',
      detail: 'budget:fcp',
    });
  });

  it('a theme change applies at once, publishes and is stored', () => {
    expect(run(decided(), { type: 'theme', preference: 'dark' }).effects).toEqual([
      { type: 'theme', theme: 'dark', legacy: false },
      { type: 'publish' },
      { type: 'store', key: STORAGE_KEYS.theme, value: 'dark' },
    ]);
  });

  it('a finished swap records the loaded sheets, sets the theme and caches the boot links for every family', () => {
    const s = run(decided(), {
      type: 'manifest',
      manifest: MANIFEST,
      base: 'https://cdn.test/',
      linksPresent: true,
    });
    const versions = versionsOf(snapshotOf(s.state).families);
    const { state, effects } = run(s.state, {
      type: 'css-applied',
      loaded: ['v1', 'v2/core', 'v2/buttons', 'v2/cards'],
      legacy: true,
      versions,
    });
    expect(types(effects)).toEqual(['theme', 'store', 'publish']);
    const cache = JSON.parse((effects[1] as { value: string }).value) as {
      links: { id: string }[];
      legacy: boolean;
    };
    expect(cache.links.map((l) => l.id)).toEqual(['v1', 'v2/core', 'v2/buttons', 'v2/cards']);
    expect(snapshotOf(state).families.buttons.loaded).toBe(true);
  });

  it('use() publishes and reconciles only when the page gains a family, and only with a manifest', () => {
    const page = run(start(INSIDE, 'AU', { families: ['buttons'] }), {
      type: 'flags',
      snapshot: live(CONFIG),
    });
    const noManifest = run(page.state, { type: 'use', family: 'cards', linksPresent: false });
    expect(types(noManifest.effects)).toEqual(['publish']);
    const ready = run(page.state, {
      type: 'manifest',
      manifest: MANIFEST,
      base: 'https://cdn.test/',
      linksPresent: true,
    });
    expect(types(run(ready.state, { type: 'use', family: 'cards', linksPresent: false }).effects)).toEqual([
      'publish',
      'reconcile',
    ]);
    expect(run(ready.state, { type: 'use', family: 'buttons', linksPresent: false }).effects).toEqual([]);
  });

  it('without declared families, the page has what components register (every family until one does)', () => {
    const auto = run(start(INSIDE, 'AU', { families: undefined }), {
      type: 'manifest',
      manifest: MANIFEST,
      base: 'https://cdn.test/',
      linksPresent: true,
    });
    expect(snapshotOf(auto.state).pageFamilies).toEqual(FAMILIES);
    const used = run(
      auto.state,
      { type: 'flags-ready', snapshot: live(CONFIG) },
      {
        type: 'use',
        family: 'cards',
        linksPresent: true,
      },
    );
    expect(snapshotOf(used.state).pageFamilies).toEqual(['cards']);
    expect(types(used.effects).slice(-2)).toEqual(['publish', 'reconcile']);
    const more = run(used.state, { type: 'use', family: 'buttons', linksPresent: true });
    expect(snapshotOf(more.state).pageFamilies).toEqual(['buttons', 'cards']);
    // Releasing every registered family leaves none (the sheets stay), not every family again.
    const released = run(
      more.state,
      { type: 'release', family: 'cards' },
      { type: 'release', family: 'buttons' },
    );
    expect(snapshotOf(released.state).pageFamilies).toEqual([]);
  });

  it("the boot cache records each family's version beside the links for every family", () => {
    const versions = { ...versionsOf(snapshotOf(decided()).families) };
    const ready = run(decided(), {
      type: 'manifest',
      manifest: MANIFEST,
      base: 'https://cdn.test/',
      linksPresent: true,
    });
    const { effects } = run(ready.state, { type: 'css-applied', loaded: ['v1'], legacy: true, versions });
    const stored = effects.find((e) => e.type === 'store') as { value: string };
    const cache = JSON.parse(stored.value) as { families: Record<string, string> };
    expect(cache.families).toEqual(versions);
  });

  it('ignores every input after destroy', () => {
    const destroyed = run(decided(), { type: 'destroy' }).state;
    expect(run(destroyed, { type: 'opt-out', optedOut: true })).toEqual({ state: destroyed, effects: [] });
  });
});

describe('snapshots', () => {
  it('compare structurally: equal content is the same snapshot, any field change is not', () => {
    const s = run(start(), { type: 'flags', snapshot: live(CONFIG) }).state;
    expect(sameSnapshot(snapshotOf(s), snapshotOf(s))).toBe(true);
    const changed = [
      run(s, { type: 'theme', preference: 'dark' }).state,
      run(s, { type: 'error', message: 'x' }).state,
      run(s, { type: 'load-failed', failures: [['cards', 'HTTP 500']], report: false }).state,
      run(s, { type: 'settled' }).state,
    ];
    for (const c of changed) expect(sameSnapshot(snapshotOf(s), snapshotOf(c))).toBe(false);
  });
});

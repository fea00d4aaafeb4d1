import type { LDClient as V4Client } from '@launchdarkly/js-client-sdk';
import type { LDClient as V3Client } from 'launchdarkly-js-client-sdk';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { fakeV3, fakeV4, manualTimer, memoryStorage } from '../../test-support/fake-launchdarkly-clients.js';
import type { FlagSnapshot } from '../flags/source.js';
import { STORAGE_KEYS } from '../storage/storage.js';
import type { LDClientLike } from './client.js';
import { createLaunchDarklyFlagSource, withAttributes } from './source.js';

const CONFIG = { stage: 'week1', week1: { percentage: 5, regions: ['AU', 'NZ'] } };
const LIVE = {
  'design-tokens-v2': CONFIG,
  'design-tokens-v2.buttons': true,
  'design-tokens-v2.cards': false,
};
const tick = () => new Promise((r) => setTimeout(r, 0));

it('accepts the real clients of both SDK majors (checked by tsc)', () => {
  expectTypeOf<V3Client>().toExtend<LDClientLike>();
  expectTypeOf<V4Client>().toExtend<LDClientLike>();
});

describe.each([
  ['v3', fakeV3],
  ['v4', fakeV4],
] as const)('createLaunchDarklyFlagSource with a %s client', (major, make) => {
  it('detects the SDK major by shape', () => {
    const source = createLaunchDarklyFlagSource({ client: make().client, setTimer: manualTimer().setTimer });
    expect(source.sdkMajor).toBe(major === 'v3' ? 3 : 4);
  });

  it('is ready with the live config and switches once LaunchDarkly answers, and caches them', async () => {
    const fake = make();
    const storage = memoryStorage();
    const source = createLaunchDarklyFlagSource({
      client: fake.client,
      storage,
      setTimer: manualTimer().setTimer,
    });
    fake.init(LIVE);
    const snapshot = await source.ready();
    expect(snapshot).toEqual({ config: CONFIG, switches: { buttons: true, cards: false }, origin: 'live' });
    expect(JSON.parse(storage.items.get(STORAGE_KEYS.flags) ?? '{}')).toMatchObject({ config: CONFIG });
  });

  it('after the timeout serves the default (everyone v1) and later flags still reach subscribers', async () => {
    const fake = make();
    const timer = manualTimer();
    const source = createLaunchDarklyFlagSource({
      client: fake.client,
      timeoutMs: 700,
      setTimer: timer.setTimer,
    });
    expect(timer.delays()).toEqual([700]);
    const seen: FlagSnapshot[] = [];
    source.subscribe((s) => seen.push(s));
    timer.fire();
    expect(await source.ready()).toEqual({ config: null, switches: {}, origin: 'default' });
    fake.init(LIVE);
    await tick();
    expect(source.current()).toMatchObject({ config: CONFIG, origin: 'live' });
    expect(seen.at(-1)?.config).toEqual(CONFIG);
  });

  it('after the timeout serves the cached snapshot from the last visit', async () => {
    const storage = memoryStorage({
      [STORAGE_KEYS.flags]: JSON.stringify({
        flagKey: 'design-tokens-v2',
        config: CONFIG,
        switches: { forms: false },
        savedAt: 1,
      }),
    });
    const timer = manualTimer();
    const source = createLaunchDarklyFlagSource({ client: make().client, storage, setTimer: timer.setTimer });
    timer.fire();
    expect(await source.ready()).toEqual({ config: CONFIG, switches: { forms: false }, origin: 'cache' });
  });

  it('ignores a corrupt cache and falls back to the default', async () => {
    const storage = memoryStorage({ [STORAGE_KEYS.flags]: '{not json' });
    const timer = manualTimer();
    const source = createLaunchDarklyFlagSource({ client: make().client, storage, setTimer: timer.setTimer });
    timer.fire();
    expect((await source.ready()).origin).toBe('default');
  });

  it('calls subscribers when the flag flips off, and again when it comes back', async () => {
    const fake = make();
    const source = createLaunchDarklyFlagSource({ client: fake.client, setTimer: manualTimer().setTimer });
    fake.init(LIVE);
    await source.ready();
    const seen: unknown[] = [];
    source.subscribe((s) => seen.push(s.config));
    fake.change({ 'design-tokens-v2': null });
    fake.change({ 'design-tokens-v2': CONFIG });
    expect(seen).toEqual([null, CONFIG]);
  });

  it('passes a killed family through as a false switch', async () => {
    const fake = make();
    const source = createLaunchDarklyFlagSource({ client: fake.client, setTimer: manualTimer().setTimer });
    fake.init(LIVE);
    await source.ready();
    fake.change({ 'design-tokens-v2.buttons': false });
    expect(source.current().switches).toEqual({ buttons: false, cards: false });
  });

  it('treats a live answer without the flag as the flag being off', async () => {
    const fake = make();
    const source = createLaunchDarklyFlagSource({ client: fake.client, setTimer: manualTimer().setTimer });
    fake.init({ 'another-flag': true });
    expect(await source.ready()).toEqual({ config: null, switches: {}, origin: 'live' });
  });

  it('identify adds optedOut and region to the context; track passes through; close removes listeners', async () => {
    const fake = make({ kind: 'user', key: 'u1', name: 'Ada' });
    const before = fake.listenerCount();
    const source = createLaunchDarklyFlagSource({ client: fake.client, setTimer: manualTimer().setTimer });
    expect(fake.listenerCount()).toBe(before + 1);
    fake.init(LIVE);
    await source.ready();
    await source.identify?.({ optedOut: true, region: 'NZ' });
    expect(fake.client.getContext()).toEqual({
      kind: 'user',
      key: 'u1',
      name: 'Ada',
      optedOut: true,
      region: 'NZ',
    });
    source.track?.('fcp', 812, { arm: 'v2' });
    expect(fake.tracked).toEqual([['fcp', { arm: 'v2' }, 812]]);
    const seen: unknown[] = [];
    source.subscribe((s) => seen.push(s));
    source.close();
    expect(fake.listenerCount()).toBe(before);
    fake.change({ 'design-tokens-v2': null });
    expect(seen).toEqual([]);
  });

  it('keeps notifying other subscribers when one throws', async () => {
    const fake = make();
    const errors: unknown[] = [];
    const source = createLaunchDarklyFlagSource({ client: fake.client, setTimer: manualTimer().setTimer });
    fake.init(LIVE);
    await source.ready();
    const seen: unknown[] = [];
    const original = globalThis.setTimeout;
    source.subscribe(() => {
      errors.push('thrown');
      throw new Error('subscriber bug');
    });
    source.subscribe((s) => seen.push(s.config));
    // The thrown error is re-raised asynchronously; swallow it here so the test run stays clean.
    const handler = () => {};
    process.on('uncaughtException', handler);
    fake.change({ 'design-tokens-v2': null });
    expect(seen).toEqual([null]);
    await new Promise((r) => original(r, 5));
    process.off('uncaughtException', handler);
    expect(errors).toEqual(['thrown']);
  });
});

describe('v3 specifics', () => {
  it('opens the stream after a failed start so flags arriving later still update the page', async () => {
    const fake = fakeV3();
    const source = createLaunchDarklyFlagSource({ client: fake.client, setTimer: manualTimer().setTimer });
    fake.fail();
    expect(await source.ready()).toMatchObject({ origin: 'default' });
    expect(fake.streaming()).toBe(true);
    fake.change(LIVE);
    expect(source.current()).toMatchObject({ config: CONFIG, origin: 'live' });
  });
});

describe('v4 specifics', () => {
  it("starts the client (idempotently) and treats the SDK's own cache as cache until the network answers", async () => {
    const fake = fakeV4();
    const timer = manualTimer();
    const source = createLaunchDarklyFlagSource({ client: fake.client, setTimer: timer.setTimer });
    expect(fake.starts()).toBe(1);
    fake.loadCache({ 'design-tokens-v2': CONFIG });
    expect(source.current()).toMatchObject({ config: CONFIG, origin: 'cache' });
    timer.fire();
    expect(await source.ready()).toMatchObject({ config: CONFIG, origin: 'cache' });
    fake.init({ 'design-tokens-v2': null });
    await tick();
    expect(source.current()).toMatchObject({ config: null, origin: 'live' });
  });
});

describe('bad input', () => {
  it('says what is wrong with a client that is not a LaunchDarkly client', () => {
    expect(() => createLaunchDarklyFlagSource({ client: {} as LDClientLike })).toThrow(
      /the client has no variation, allFlags, on, off, identify, track, getContext, start \(v4\) or waitUntilReady \(v3\)/,
    );
    expect(() => createLaunchDarklyFlagSource({ client: null as unknown as LDClientLike })).toThrow(
      /got null/,
    );
  });

  it('rejects a negative or non-numeric timeout', () => {
    expect(() => createLaunchDarklyFlagSource({ client: fakeV4().client, timeoutMs: -1 })).toThrow(
      /timeoutMs/,
    );
  });
});

describe('withAttributes', () => {
  it('sets the attributes on the user kind of a multi-kind context', () => {
    const ctx = { kind: 'multi', user: { key: 'u1' }, org: { key: 'o1' } };
    expect(withAttributes(ctx, { optedOut: false, region: 'AU' })).toEqual({
      kind: 'multi',
      user: { key: 'u1', optedOut: false, region: 'AU' },
      org: { key: 'o1' },
    });
  });
  it('returns null when there is no context yet', () => {
    expect(withAttributes(undefined, { optedOut: true })).toBeNull();
  });
});

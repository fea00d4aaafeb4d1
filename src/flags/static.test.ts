import { describe, expect, it } from 'vitest';
import type { FlagSnapshot } from './source.js';
import { createStaticFlagSource } from './static.js';

const WEEK1 = { 'design-tokens-v2': { week1: { percentage: 5, regions: ['AU', 'NZ'] } } };

describe('createStaticFlagSource', () => {
  it('is ready at once with the given config and switches', async () => {
    const source = createStaticFlagSource(WEEK1, { checkout: false });
    expect(await source.ready()).toEqual({
      config: WEEK1,
      switches: { checkout: false },
      origin: 'bootstrap',
    });
    expect(source.current().config).toBe(WEEK1);
  });

  it('set() changes the config live and tells every subscriber', () => {
    const source = createStaticFlagSource(WEEK1);
    const a: FlagSnapshot[] = [];
    const b: FlagSnapshot[] = [];
    source.subscribe((s) => a.push(s));
    const unsubscribe = source.subscribe((s) => b.push(s));
    source.set(null);
    unsubscribe();
    source.set(WEEK1, { buttons: false });
    expect(a.map((s) => s.config)).toEqual([null, WEEK1]);
    expect(a[1]?.switches).toEqual({ buttons: false });
    expect(b.map((s) => s.config)).toEqual([null]);
  });

  it('refuses unknown families or non-boolean switches, naming them, and keeps the previous snapshot', () => {
    const source = createStaticFlagSource(WEEK1, { cards: false });
    expect(() => source.set(null, { widgets: false } as never)).toThrow(/switches\.widgets: unknown family/);
    expect(() => source.set(null, { cards: 'no' } as never)).toThrow(
      /switches\.cards: must be true or false/,
    );
    expect(source.current()).toEqual({ config: WEEK1, switches: { cards: false }, origin: 'bootstrap' });
    expect(() => createStaticFlagSource(WEEK1, [] as never)).toThrow(/switches must be an object/);
  });

  it('stops notifying after close()', () => {
    const source = createStaticFlagSource(WEEK1);
    const seen: unknown[] = [];
    source.subscribe((s) => seen.push(s));
    source.close();
    source.set(null);
    expect(seen).toEqual([]);
  });
});

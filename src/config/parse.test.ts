import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEED_CONFIG_EXTENDED, SEED_FLAG, SEED_STAGE_DATES } from '../../test-support/seed-config.js';
import { FAMILIES } from '../families.js';
import { parseRolloutConfig } from './parse.js';
import type { ConfigIssue, ParseResult, RolloutConfig } from './types.js';

function ok(result: ParseResult): RolloutConfig {
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.errors)}`);
  return result.config;
}
function errors(result: ParseResult): readonly ConfigIssue[] {
  if (result.ok) throw new Error('expected errors, got a valid config');
  return result.errors;
}

describe('parseRolloutConfig: accepted forms', () => {
  it("reads the seed's flag configuration verbatim", () => {
    const result = parseRolloutConfig(SEED_FLAG);
    const config = ok(result);
    expect(result.warnings).toEqual([]);
    expect(config.flagKey).toBe('design-tokens-v2');
    expect(config.salt).toBe('design-tokens-v2');
    expect(config.enabled).toBe(true);
    expect(config.stages.map((s) => [s.name, s.percentage, s.regions])).toEqual([
      ['week1', 5, { kind: 'only', codes: ['AU', 'NZ'] }],
      ['week2', 25, { kind: 'only', codes: ['AU', 'NZ', 'CA'] }],
      ['week3', 50, { kind: 'all-except', codes: ['US'] }],
      ['week4', 100, { kind: 'all' }],
    ]);
    // A stage without components covers every family.
    for (const stage of config.stages) expect(stage.families).toEqual(FAMILIES);
  });

  it('reads the bare inner object the same way, with the same version', () => {
    const wrapped = ok(parseRolloutConfig(SEED_FLAG));
    const bare = ok(parseRolloutConfig(SEED_FLAG['design-tokens-v2']));
    expect(bare).toEqual(wrapped);
  });

  it("reads the extended form: the plan's components, dates and monitoring per week", () => {
    const config = ok(parseRolloutConfig(SEED_CONFIG_EXTENDED));
    const [w1, w2, w3, w4] = config.stages;
    expect(w1?.families).toEqual(['buttons', 'cards']);
    expect(w2?.families).toEqual(['buttons', 'cards', 'forms', 'tables']);
    expect(w3?.families).toEqual(FAMILIES.filter((f) => f !== 'checkout'));
    expect(w4?.families).toEqual(FAMILIES);
    expect(config.stages.map((s) => s.startsAt)).toEqual(
      Object.values(SEED_STAGE_DATES).map((d) => Date.parse(d)),
    );
    expect(config.stages.map((s) => s.monitorEveryMinutes)).toEqual([15, 30, 60, 1440]);
  });

  it('accepts stages under "stages" with top-level settings', () => {
    const config = ok(
      parseRolloutConfig({
        stage: 'b',
        salt: 's1',
        version: 7,
        killed: ['Forms'],
        families: { checkout: { critical: false }, tables: { critical: true } },
        stages: { a: { percentage: 10 }, b: { percentage: 20, components: ['all-except-critical'] } },
      }),
    );
    expect(config.activeStage).toBe('b');
    expect(config.salt).toBe('s1');
    expect(config.version).toBe('7');
    expect(config.killed).toEqual(['forms']);
    expect(config.critical).toEqual(['tables']);
    expect(config.stages[1]?.families).toEqual(FAMILIES.filter((f) => f !== 'tables'));
    expect(config.stages[0]?.regions).toEqual({ kind: 'all' });
  });

  it('reads a custom flag key from the wrapper and uses it as the default salt', () => {
    const config = ok(parseRolloutConfig({ 'tokens-v2-canary': { week1: { percentage: 1 } } }));
    expect(config.flagKey).toBe('tokens-v2-canary');
    expect(config.salt).toBe('tokens-v2-canary');
  });

  it('treats null and {enabled: false} as the off variation', () => {
    for (const off of [
      null,
      undefined,
      { enabled: false },
      { 'design-tokens-v2': null },
      { 'design-tokens-v2': { enabled: false } },
    ]) {
      const config = ok(parseRolloutConfig(off));
      expect(config.enabled).toBe(false);
    }
    // Stages kept when the flag is switched off with its config in place.
    const kept = ok(parseRolloutConfig({ enabled: false, week1: { percentage: 5 } }));
    expect(kept.enabled).toBe(false);
    expect(kept.stages).toHaveLength(1);
  });
});

describe('parseRolloutConfig: version', () => {
  it('derives a stable version that ignores key order and changes with the config', () => {
    const a = ok(parseRolloutConfig({ week1: { percentage: 5, regions: ['au', 'NZ'] } })).version;
    const b = ok(parseRolloutConfig({ week1: { regions: ['AU', 'NZ'], percentage: 5 } })).version;
    const c = ok(parseRolloutConfig({ week1: { percentage: 6, regions: ['AU', 'NZ'] } })).version;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a).toMatch(/^c[0-9a-f]{12}$/);
  });

  it('keeps an explicit version', () => {
    expect(ok(parseRolloutConfig({ version: 'r42', week1: { percentage: 5 } })).version).toBe('r42');
  });
});

describe('parseRolloutConfig: errors', () => {
  it('lists every problem with its JSON path, not just the first', () => {
    const result = parseRolloutConfig({
      'design-tokens-v2': {
        week1: { percentage: 120, regions: ['XX', 'uk'], components: ['buttonz'] },
        week2: { percentage: '25%', startsAt: '2026-02-30', monitorEvery: 'often' },
        week3: {},
        stage: 'week9',
        killed: ['nope'],
        salt: '',
      },
    });
    expect(errors(result).map((e) => e.path)).toEqual([
      '$["design-tokens-v2"].week1.percentage',
      '$["design-tokens-v2"].week1.regions[0]',
      '$["design-tokens-v2"].week1.regions[1]',
      '$["design-tokens-v2"].week1.components[0]',
      '$["design-tokens-v2"].week2.percentage',
      '$["design-tokens-v2"].week2.startsAt',
      '$["design-tokens-v2"].week2.monitorEvery',
      '$["design-tokens-v2"].week3',
      '$["design-tokens-v2"].stage',
      '$["design-tokens-v2"].salt',
      '$["design-tokens-v2"].killed[0]',
    ]);
    const byPath = new Map(errors(result).map((e) => [e.path, e.message]));
    expect(byPath.get('$["design-tokens-v2"].week1.percentage')).toMatch(/number from 0 to 100, got 120$/);
    expect(byPath.get('$["design-tokens-v2"].week1.regions[1]')).toMatch(/use "GB"/);
    expect(byPath.get('$["design-tokens-v2"].week1.components[0]')).toMatch(
      /one of buttons, cards.*got "buttonz"/,
    );
    expect(byPath.get('$["design-tokens-v2"].week2.percentage')).toMatch(/got "25%"$/);
    expect(byPath.get('$["design-tokens-v2"].week3')).toMatch(/a stage such as .*got an object/);
    expect(byPath.get('$["design-tokens-v2"].stage')).toMatch(/"week1", "week2", "week3".*"week9"/);
  });

  it.each([
    ['a missing percentage', { week1: { regions: ['AU'] } }, '$.week1.percentage', /0 to 100, got nothing/],
    ['a negative percentage', { week1: { percentage: -1 } }, '$.week1.percentage', /0 to 100/],
    ['NaN-like percentage', { week1: { percentage: null } }, '$.week1.percentage', /got null/],
    [
      'an empty region list',
      { week1: { percentage: 5, regions: [] } },
      '$.week1.regions',
      /list of regions.*got an array/,
    ],
    [
      'a non-list of regions',
      { week1: { percentage: 5, regions: 4 } },
      '$.week1.regions',
      /list of regions.*got 4/,
    ],
    [
      'an unknown keyword',
      { week1: { percentage: 5, regions: ['everywhere'] } },
      '$.week1.regions[0]',
      /ISO 3166-1 alpha-2 .*got "everywhere"/,
    ],
    [
      'a bad exclusion',
      { week1: { percentage: 5, regions: ['all-except-ZZ'] } },
      '$.week1.regions[0]',
      /after "all-except-", got "all-except-ZZ"/,
    ],
    [
      'an empty components list',
      { week1: { percentage: 5, components: [] } },
      '$.week1.components',
      /at least one component family/,
    ],
    [
      'a non-string component',
      { week1: { percentage: 5, components: [3] } },
      '$.week1.components[0]',
      /one of buttons.*got 3/,
    ],
    ['a stage that is not an object', { week1: 5 }, '$.week1', /a stage such as .*got 5/],
    [
      'a non-date startsAt',
      { week1: { percentage: 5, startsAt: 'next tuesday' } },
      '$.week1.startsAt',
      /ISO 8601/,
    ],
    [
      'a number startsAt',
      { week1: { percentage: 5, startsAt: 1770681600000 } },
      '$.week1.startsAt',
      /ISO 8601/,
    ],
    [
      'a zero monitorEvery',
      { week1: { percentage: 5, monitorEvery: 0 } },
      '$.week1.monitorEvery',
      /above 0, got 0/,
    ],
    ['a non-boolean enabled', { enabled: 'yes', week1: { percentage: 5 } }, '$.enabled', /true or false/],
    [
      'an unknown family in families',
      { families: { footer: { critical: true } }, week1: { percentage: 5 } },
      '$.families.footer',
      /family name key.*got "footer"/,
    ],
    [
      'a non-boolean critical',
      { families: { checkout: { critical: 1 } }, week1: { percentage: 5 } },
      '$.families.checkout.critical',
      /true or false/,
    ],
    ['stages that are not an object', { stages: [] }, '$.stages', /object of stages/],
    ['no stage at all', { 'design-tokens-v2': {} }, '$["design-tokens-v2"]', /at least one stage/],
    ['a non-object config', 'week1', '$', /rollout config/],
    ['an array', [{ percentage: 5 }], '$', /rollout config.*got an array/],
    ['a bad version', { version: {}, week1: { percentage: 5 } }, '$.version', /string or a number/],
  ])('rejects %s with its path', (_label, input, path, message) => {
    const list = errors(parseRolloutConfig(input));
    const found = list.find((e) => e.path === path);
    expect(found, JSON.stringify(list)).toBeDefined();
    expect(found?.message).toMatch(message);
  });

  it('does not change the input it rejects or accepts', () => {
    const input = structuredClone(SEED_CONFIG_EXTENDED) as unknown;
    const copy = structuredClone(input);
    parseRolloutConfig(input);
    expect(input).toEqual(copy);
  });
});

describe('parseRolloutConfig: warnings', () => {
  it('warns about unknown keys but still accepts the config', () => {
    const result = parseRolloutConfig({ week1: { percentage: 5, colour: 'red' }, stages: undefined });
    expect(ok(result).stages).toHaveLength(1);
    expect(result.warnings).toEqual([expect.objectContaining({ path: '$.week1.colour' })]);
    const nested = parseRolloutConfig({ stages: { week1: { percentage: 5 } }, week2: { percentage: 9 } });
    expect(ok(nested).stages.map((s) => s.name)).toEqual(['week1']);
    expect(nested.warnings.map((w) => w.path)).toEqual(['$.week2']);
  });

  it('warns when a later stage shrinks percentage, regions or families, or starts earlier', () => {
    const result = parseRolloutConfig({
      week1: { percentage: 50, regions: ['all-except-US'], components: ['all'], startsAt: '2026-02-17' },
      week2: { percentage: 25, regions: ['AU', 'NZ'], components: ['buttons'], startsAt: '2026-02-10' },
    });
    expect(ok(result).stages).toHaveLength(2);
    expect(result.warnings.map((w) => w.path)).toEqual([
      '$.week2.percentage',
      '$.week2.regions',
      '$.week2.components',
      '$.week2.startsAt',
    ]);
    expect(result.warnings[2]?.message).toMatch(/fewer families \(no cards, forms/);
  });

  it("gives no warning for the seed's own progression (it only grows)", () => {
    expect(parseRolloutConfig(SEED_CONFIG_EXTENDED).warnings).toEqual([]);
  });

  it('warns when a percentage is finer than LaunchDarkly weights (0.001 %)', () => {
    const result = parseRolloutConfig({ week1: { percentage: 12.3456 } });
    expect(result.warnings[0]?.message).toMatch(/12\.346/);
  });
});

describe('parseRolloutConfig never throws', () => {
  it('for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseRolloutConfig(value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('for any JS value, including prototype-less objects and __proto__ keys', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBigInt: true,
          withMap: true,
          withSet: true,
          withDate: true,
        }),
        (value) => {
          parseRolloutConfig(value);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('for config-shaped values with random stage contents', () => {
    const stage = fc.record(
      {
        percentage: fc.jsonValue(),
        regions: fc.jsonValue(),
        components: fc.jsonValue(),
        startsAt: fc.jsonValue(),
        monitorEvery: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), stage),
        fc.jsonValue(),
        fc.jsonValue(),
        (stages, killed, families) => {
          const result = parseRolloutConfig({ 'design-tokens-v2': { ...stages, killed, families } });
          if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('for an object whose getter throws: it reports the problem instead', () => {
    const hostile = {
      get week1(): never {
        throw new Error('boom');
      },
    };
    const result = parseRolloutConfig(hostile);
    expect(result.ok).toBe(false);
    expect(errors(result)[0]?.message).toMatch(/boom/);
  });
});

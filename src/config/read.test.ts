// The browser's compact reader against the full parser: the same configs accepted with the same result
// (version included), the rest rejected at a path the full parser also names, and never a throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEED_CONFIG_EXTENDED, SEED_FLAG } from '../../test-support/seed-config.js';
import { resolveAssignment } from '../assign/resolve.js';
import { FAMILIES, FLAG_KEY } from '../families.js';
import { parseRolloutConfig, parseRolloutConfigForRuntime } from './parse.js';
import { readRolloutConfig } from './read.js';

/** Holds the two in agreement on one value; returns whether the config was valid. */
function agree(value: unknown): boolean {
  const full = parseRolloutConfig(value);
  const read = readRolloutConfig(value);
  expect(read.ok).toBe(full.ok);
  expect(read.warnings).toEqual([]);
  if (full.ok && read.ok) expect(read.config).toStrictEqual(full.config);
  if (!full.ok && !read.ok) {
    expect(read.errors).toHaveLength(1);
    expect(full.errors.map((e) => e.path)).toContain(read.errors[0]?.path);
  }
  return full.ok;
}

// Generators: every field is mostly valid and sometimes an edge (a value only one rule decides), so most
// configs have zero or one problem; that is what finds a rule that drifted between the two readers.
const mostly = <T, U>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 14, arbitrary: valid }, { weight: 1, arbitrary: edge });
const anyJson = fc.jsonValue({ maxDepth: 2 });
/** The text as written, padded, upper or lower case (every rule trims and ignores case). */
const variants = (text: string) => fc.constantFrom(text, ` ${text} `, text.toUpperCase(), text.toLowerCase());
const regionEntry = mostly(
  fc.oneof(
    fc.constantFrom('AU', 'NZ', 'CA', 'US', 'GB', 'all', 'all-except-US').chain(variants),
    fc.constantFrom('all-except-us,ca', 'all-except-US, NZ', 'all-except-nz,au,gb', 'all-except-DE'),
  ),
  fc.oneof(
    fc.constantFrom(
      'UK',
      'EL',
      'XX',
      'all-except-UK',
      'all-except-',
      'ALL-EXCEPT-AU,',
      '',
      'AUS',
      'all except US',
    ),
    anyJson,
  ),
);
const componentEntry = mostly(
  fc.oneof(
    fc.constantFrom(...FAMILIES).chain(variants),
    fc
      .constantFrom('all', 'all-except-critical', 'all-except-forms', 'all-except-forms, tables')
      .chain(variants),
  ),
  fc.oneof(
    fc.constantFrom('all-except-', 'all-except-nope', 'all-except-buttons,cards,forms,tables,navigation'),
    fc.constantFrom(
      'footer',
      'button',
      '',
      'all-except-checkout,overlays,feedback,navigation,tables,forms,cards,buttons',
    ),
    anyJson,
  ),
);
const killedEntry = mostly(
  fc.constantFrom(...FAMILIES).chain(variants),
  fc.oneof(fc.constantFrom('all', ''), anyJson),
);
const listOf = <T>(entry: fc.Arbitrary<T>, minLength: number) =>
  mostly(
    fc.oneof(
      { weight: 5, arbitrary: fc.array(entry, { minLength, maxLength: 4 }) },
      { weight: 1, arbitrary: entry },
    ),
    fc.oneof(fc.constant([]), anyJson),
  );
const startsAt = mostly(
  fc.oneof(
    fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.constantFrom(
      '2026-02-10',
      ' 2026-02-10 ',
      '2026-02-10T09:30',
      '2026-02-10T10:00:00+01:00',
      '2024-02-29',
    ),
  ),
  fc.oneof(
    fc.constantFrom(
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-02-10T25:00Z',
      'Feb 10',
      '2026-02-10t10:00z',
    ),
    anyJson,
  ),
);
const monitorEvery = mostly(
  fc.oneof(
    fc
      .constantFrom('15m', '30 min', '1h', '2 hours', 'hourly', 'standard', 'daily', '1.5h', '2d')
      .chain(variants),
    fc.double({ min: 0.5, max: 2000, noNaN: true }),
  ),
  fc.oneof(fc.constantFrom('often', 'constructor', 'toString', '-1m', '0m', '', 0, -5), anyJson),
);
const percentage = mostly(
  fc.oneof(
    fc.double({ min: 0, max: 100, noNaN: true }),
    fc.integer({ min: 0, max: 100 }),
    fc.constantFrom(0, 100),
  ),
  fc.oneof(fc.constantFrom('5', '5%', null, -0.001, 100.001, Number.NaN), anyJson),
);
const stage = mostly(
  fc.record(
    {
      percentage,
      regions: listOf(regionEntry, 1),
      components: listOf(componentEntry, 1),
      startsAt,
      monitorEvery,
    },
    { requiredKeys: ['percentage'] },
  ),
  fc.oneof(fc.constant({}), fc.record({ regions: listOf(regionEntry, 1) }), anyJson),
);
const stageName = mostly(
  fc.constantFrom('week1', 'week2', 'week3', 'week 4', 'w-5'),
  fc.oneof(fc.constantFrom('regions', 'percentage', FLAG_KEY, ''), fc.string({ maxLength: 4 })),
);
const stages = fc.dictionary(stageName, stage, { minKeys: 1, maxKeys: 3 });
const settings = fc.record(
  {
    stage: mostly(fc.constantFrom('week1', 'week2'), fc.oneof(fc.constantFrom('week9', ''), anyJson)),
    salt: mostly(fc.constantFrom('s1', 'my salt'), fc.oneof(fc.constant(''), anyJson)),
    version: mostly(fc.constantFrom('v1', '2026-02-17.1', 7, 0), fc.oneof(fc.constant(''), anyJson)),
    killed: listOf(killedEntry, 0),
    families: mostly(
      fc.dictionary(fc.constantFrom(...FAMILIES), fc.record({ critical: fc.boolean() }), { maxKeys: 3 }),
      fc.oneof(fc.constant({ footer: { critical: true } }), fc.constant({ forms: { critical: 1 } }), anyJson),
    ),
    enabled: mostly(fc.boolean(), anyJson),
  },
  { requiredKeys: [] },
);
/** A body with stages at top level or under `stages`, and some settings. */
const body = fc
  .tuple(stages, settings, fc.boolean())
  .map(([s, rest, nested]) => (nested ? { ...rest, stages: s } : { ...s, ...rest }));
/** The body as a flag value: bare, under the flag key, under another key, or something else entirely. */
const flagValue = fc.oneof(
  { weight: 4, arbitrary: body },
  { weight: 4, arbitrary: body.map((b) => ({ [FLAG_KEY]: b })) },
  { weight: 1, arbitrary: fc.tuple(stageName, body).map(([key, b]) => ({ [key]: b })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      undefined,
      { enabled: false },
      { [FLAG_KEY]: null },
      { stages: {} },
      {
        week1: {},
      },
    ),
  },
);

describe('readRolloutConfig (the browser reader) agrees with parseRolloutConfig', () => {
  it.each([
    ['the seed', SEED_FLAG],
    ['the extended seed', SEED_CONFIG_EXTENDED],
    ['the off variation', null],
    ['a custom flag key', { 'my-flag': { week1: { percentage: 5, regions: 'AU' } } }],
    [
      'stages under "stages"',
      { stage: 'b', salt: 'x', stages: { a: { percentage: 1 }, b: { percentage: 2 } } },
    ],
    ['an explicit numeric version', { version: 3, week1: { percentage: 5 } }],
    [
      'exclusions that add up, sorted',
      { w: { percentage: 5, regions: ['all-except-US', 'all-except-ca,au'] } },
    ],
    [
      'an exclusion put back by a code',
      { w: { percentage: 5, regions: ['all-except-US', 'all-except-ca', 'US'] } },
    ],
    [
      'critical families changed',
      {
        families: { checkout: { critical: false }, forms: { critical: true } },
        w: { percentage: 5, components: 'all-except-critical' },
      },
    ],
  ])('accepts %s with the same config and version', (_what, json) => {
    expect(agree(json)).toBe(true);
  });

  it.each([
    ['a percentage over 100', { week1: { percentage: 120 } }],
    ['UK for GB', { week1: { percentage: 5, regions: ['uk'] } }],
    ['an unknown component', { week1: { percentage: 5, components: ['buttonz'] } }],
    ['an empty components list', { week1: { percentage: 5, components: [] } }],
    ['"all" in killed', { killed: 'all', week1: { percentage: 5 } }],
    ['an impossible date', { week1: { percentage: 5, startsAt: '2026-02-30' } }],
    ['an unknown interval', { week1: { percentage: 5, monitorEvery: 'often' } }],
    ['an empty stage', { 'design-tokens-v2': { week1: {}, week2: { percentage: 5 } } }],
    ['an unknown active stage', { stage: 'week9', week1: { percentage: 5 } }],
    ['no stage at all', { 'design-tokens-v2': {} }],
    ['an array', [{ percentage: 5 }]],
  ])('rejects %s at a path the full parser names', (_what, json) => {
    expect(agree(json)).toBe(false);
  });

  it('puts everyone on v1 with invalid-config for a config it rejects, and says where', () => {
    const read = readRolloutConfig({ week1: { percentage: 5, regions: ['AU', 'XX'] } });
    expect(read).toEqual({
      ok: false,
      errors: [{ path: '$.week1.regions[1]', message: expect.stringMatching(/token-rollout validate/) }],
      warnings: [],
    });
    const assignment = resolveAssignment(read, { key: 'u', region: 'AU' }, Date.now());
    expect(Object.values(assignment.families).map((f) => f.reason)).toEqual(
      FAMILIES.map(() => 'invalid-config'),
    );
  });

  it('is what the runtime reads flags with', () => {
    expect(parseRolloutConfigForRuntime).toBe(readRolloutConfig);
  });

  it('for config-shaped values at the edges of every rule (and the generator makes both outcomes)', () => {
    let valid = 0;
    let runs = 0;
    fc.assert(
      fc.property(flagValue, (value) => {
        runs++;
        if (agree(value)) valid++;
      }),
      { numRuns: 2500 },
    );
    // Both outcomes are exercised: a generator that only made invalid configs would prove little.
    expect(valid / runs).toBeGreaterThan(0.1);
    expect(valid / runs).toBeLessThan(0.9);
  });

  it('for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => void agree(value)),
      { numRuns: 2000 },
    );
  });

  it('for any JS value, including prototype-less objects, __proto__ keys, BigInt and Maps, without throwing', () => {
    const anything = fc.anything({
      withNullPrototype: true,
      withBigInt: true,
      withMap: true,
      withSet: true,
      withDate: true,
    });
    fc.assert(
      fc.property(anything, (value) => void agree(value)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(stages, anything, (s, extra) => void agree({ ...s, version: extra })),
      { numRuns: 500 },
    );
  });

  it('says unreadable for an object whose getter throws, like the full parser', () => {
    const hostile = {
      get week1(): never {
        throw new Error('boom');
      },
    };
    expect(readRolloutConfig(hostile)).toMatchObject({ ok: false, errors: [{ path: '$' }] });
    expect(agree(hostile)).toBe(false);
  });
});

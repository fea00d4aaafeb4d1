import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_FIELDS, MAX_DETAIL_LENGTH, MAX_ID_LENGTH, type MetricEvent } from './event.js';
import { validateEvent } from './validate.js';

const good: MetricEvent = {
  name: 'fcp',
  value: 812.4,
  arm: 'v2',
  stage: 'week1',
  configVersion: 'c1',
  region: 'AU',
  user: '0123456789abcdef',
  session: '2f1c5c8e-8f0e-4c47-9d43-5f2f3b4a1c11',
  ts: 1_770_000_000_000,
  assignment: 'treatment',
  bucket: 0.031,
};

const lenient = (value: unknown) => validateEvent(value, '$', { mode: 'lenient' });

describe('validateEvent (strict, the default)', () => {
  it('accepts a contract event, with and without the optional fields', () => {
    expect(validateEvent(good)).toEqual([]);
    expect(validateEvent({ ...good, name: 'exposure', value: 1, family: 'buttons', detail: 'x' })).toEqual(
      [],
    );
    expect(
      validateEvent({ ...good, name: 'fallback', value: 'budget:fcp', stage: null, region: '' }),
    ).toEqual([]);
    expect(validateEvent({ ...good, id: '0123456789abcdef', receivedAt: 1_770_000_000_500 })).toEqual([]);
  });

  it('names each wrong field with its path', () => {
    const problems = validateEvent(
      { ...good, name: 'fcpx', value: 'slow', arm: 'v3', region: 'Australia', ts: -1 },
      '$[3]',
    );
    expect(problems.map((p) => p.path)).toEqual([
      '$[3].name',
      '$[3].value',
      '$[3].arm',
      '$[3].region',
      '$[3].ts',
    ]);
    expect(problems[0]?.message).toContain('"fcpx"');
  });

  it('refuses a plain user key: the user field must be a hex hash', () => {
    const problems = validateEvent({ ...good, user: 'alice@example.com' });
    expect(problems).toEqual([{ path: '$.user', message: expect.stringContaining('hex hash') }]);
  });

  it('refuses fields outside the contract, so nothing extra (like a user key) slips through', () => {
    expect(validateEvent({ ...good, userKey: 'alice' })).toEqual([
      { path: '$.userKey', message: expect.stringContaining('unknown field') },
    ]);
  });

  it('checks per-name rules: fallback reasons are strings, timings are not negative, exposures name a family', () => {
    expect(validateEvent({ ...good, name: 'fallback', value: 3 })[0]?.path).toBe('$.value');
    expect(validateEvent({ ...good, value: -5 })[0]?.message).toBe('expected a number >= 0 for fcp, got -5');
    expect(validateEvent({ ...good, name: 'conversion', value: -5 })).toEqual([]);
    expect(validateEvent({ ...good, name: 'exposure', value: 1 })[0]?.path).toBe('$.family');
    expect(validateEvent({ ...good, family: 'widgets' })[0]?.message).toContain('"widgets"');
    expect(validateEvent({ ...good, value: Number.NaN })[0]?.path).toBe('$.value');
  });

  it('says what it got when the event is not an object at all', () => {
    expect(validateEvent(null)).toEqual([{ path: '$', message: 'expected an event object, got null' }]);
    expect(validateEvent([good])[0]?.message).toBe('expected an event object, got array');
  });

  it('requires the assignment group and the bucket that decided it', () => {
    const { assignment: _a, bucket: _b, ...legacy } = good;
    expect(validateEvent(legacy).map((p) => p.path)).toEqual(['$.assignment', '$.bucket']);
    expect(validateEvent({ ...good, assignment: 'v2' })[0]?.message).toBe(
      'expected one of treatment, control, ineligible, got "v2"',
    );
    for (const bucket of [-0.1, 1.5, Number.NaN, '0.3']) {
      expect(validateEvent({ ...good, bucket })[0]?.path).toBe('$.bucket');
    }
    for (const assignment of ['treatment', 'control', 'ineligible']) {
      expect(validateEvent({ ...good, assignment, bucket: 0 })).toEqual([]);
    }
    expect(validateEvent({ ...good, bucket: 1 })).toEqual([]);
  });

  it('wants the normalized form: no null optional fields, an upper-case region, a valid id and receive time', () => {
    expect(validateEvent({ ...good, family: null, detail: null }).map((p) => p.path)).toEqual([
      '$.family',
      '$.detail',
    ]);
    expect(validateEvent({ ...good, region: 'au' })[0]?.message).toContain('upper-case');
    expect(validateEvent({ ...good, id: '' })[0]?.path).toBe('$.id');
    expect(validateEvent({ ...good, id: 'x'.repeat(MAX_ID_LENGTH + 1) })[0]?.path).toBe('$.id');
    expect(validateEvent({ ...good, receivedAt: 'now' })[0]?.path).toBe('$.receivedAt');
  });
});

describe('validateEvent (lenient, the collector)', () => {
  it('returns the contract event as it is', () => {
    expect(lenient(good)).toEqual({ ok: true, event: good });
  });

  it('drops unknown fields, null optional fields and a client-sent receive time; upper-cases the region', () => {
    const check = lenient({ ...good, region: 'nz', extra: 1, family: null, detail: null, receivedAt: 5 });
    expect(check).toEqual({ ok: true, event: { ...good, region: 'NZ' } });
  });

  it('keeps the id and the family, built only from checked fields', () => {
    const check = lenient({ ...good, name: 'exposure', value: 1, family: 'cards', id: 'abc' });
    expect(check.ok && check.event).toEqual({
      ...good,
      name: 'exposure',
      value: 1,
      family: 'cards',
      id: 'abc',
    });
  });

  it('refuses the same events as strict mode, with the same problems', () => {
    expect(lenient({ ...good, arm: 'v9', user: 1 })).toEqual({
      ok: false,
      problems: [
        { path: '$.arm', message: 'expected "v1", "v2" or "mixed", got string' },
        {
          path: '$.user',
          message: 'expected a hex hash of the user key (8-64 lowercase hex digits), got number',
        },
      ],
    });
  });
});

// One contract, two modes: they must agree on every limit, or an event the SDK's tests pass would be
// dropped by the collector (or the collector would keep one the gate then refuses).
describe('the two modes agree', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['a negative opt-out', { name: 'opt-out', value: -1 }, false],
    ['a negative conversion (a refund)', { name: 'conversion', value: -5 }, true],
    ['a negative fcp', { value: -1 }, false],
    ['a session at the id limit', { session: 's'.repeat(MAX_ID_LENGTH) }, true],
    ['a session over the id limit', { session: 's'.repeat(MAX_ID_LENGTH + 1) }, false],
    ['a stage with a control character', { stage: 'week\n1' }, false],
    ['a detail at the limit', { detail: 'd'.repeat(MAX_DETAIL_LENGTH) }, true],
    ['a detail over the limit', { detail: 'd'.repeat(MAX_DETAIL_LENGTH + 1) }, false],
    ['a plain user key', { user: 'ada@example.com' }, false],
    ['an unknown arm', { arm: 'v3' }, false],
    ['no assignment', { assignment: undefined }, false],
    ['a bucket over 1', { bucket: 2 }, false],
    ['an empty id', { id: '' }, false],
  ])('%s', (_, patch, valid) => {
    const event = { ...good, ...patch };
    expect(validateEvent(event).length === 0).toBe(valid);
    expect(lenient(event).ok).toBe(valid);
  });

  it('whatever lenient mode keeps passes strict mode (property)', () => {
    const field = fc.constantFrom(...EVENT_FIELDS, 'extra');
    const patch = fc.dictionary(
      field,
      fc.oneof(fc.anything(), fc.constantFrom('au', 'nz', 'exposure', 'cards')),
    );
    fc.assert(
      fc.property(patch, (changes) => {
        const check = lenient({ ...good, ...changes });
        if (check.ok) expect(validateEvent(check.event)).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });
});

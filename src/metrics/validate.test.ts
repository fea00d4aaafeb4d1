import { describe, expect, it } from 'vitest';
import type { MetricEvent } from './event.js';
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
};

describe('validateEvent', () => {
  it('accepts a contract event, with and without the optional fields', () => {
    expect(validateEvent(good)).toEqual([]);
    expect(validateEvent({ ...good, name: 'exposure', value: 1, family: 'buttons', detail: 'x' })).toEqual(
      [],
    );
    expect(
      validateEvent({ ...good, name: 'fallback', value: 'budget:fcp', stage: null, region: '' }),
    ).toEqual([]);
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
    expect(validateEvent({ ...good, value: -5 })[0]?.message).toContain('cannot be negative');
    expect(validateEvent({ ...good, name: 'conversion', value: -5 })).toEqual([]);
    expect(validateEvent({ ...good, name: 'exposure', value: 1 })[0]?.path).toBe('$.family');
    expect(validateEvent({ ...good, family: 'widgets' })[0]?.message).toContain('"widgets"');
    expect(validateEvent({ ...good, value: Number.NaN })[0]?.path).toBe('$.value');
  });

  it('says what it got when the event is not an object at all', () => {
    expect(validateEvent(null)).toEqual([{ path: '$', message: 'expected an event object, got null' }]);
    expect(validateEvent([good])[0]?.message).toContain('an array');
  });
});

import type { MetricEvent } from 'token-rollout/core';
import { validateEvent as validateInBrowser } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { MAX_DETAIL_LENGTH, MAX_ID_LENGTH, validateBatch, validateEvent } from './validate.js';

const good: MetricEvent = {
  name: 'fcp',
  value: 812,
  arm: 'v2',
  family: 'buttons',
  stage: 'week1',
  configVersion: 'cfg-1',
  region: 'AU',
  user: '9f86d081884c7d65',
  session: 's-1',
  ts: 1_700_000_000_000,
  assignment: 'treatment',
  bucket: 0.02,
};

function errorsFor(patch: Record<string, unknown>, index = 3): string[] {
  const check = validateEvent({ ...good, ...patch }, index);
  return check.ok ? [] : check.errors;
}

describe('validateEvent', () => {
  it('accepts a contract-shaped event unchanged', () => {
    expect(validateEvent(good, 0)).toEqual({ ok: true, event: good });
  });

  it.each([
    [{ name: 'fcpx' }, '[3].name: unknown metric "fcpx"'],
    [{ name: 7 }, '[3].name: expected a metric name, got number'],
    [{ value: '812' }, '[3].value: expected a number for fcp, got string'],
    [{ value: Number.NaN }, '[3].value: expected a number for fcp, got NaN'],
    [{ value: -5 }, '[3].value: expected a number >= 0 for fcp, got -5'],
    [
      { name: 'fallback', value: 3 },
      '[3].value: expected the fallback reason (a non-empty string), got number',
    ],
    [
      { name: 'fallback', value: '' },
      '[3].value: expected the fallback reason (a non-empty string), got string',
    ],
    [{ arm: 'v3' }, '[3].arm: expected "v1", "v2" or "mixed", got string'],
    [{ family: 'widgets' }, '[3].family: unknown family "widgets"'],
    [{ family: 4 }, '[3].family: unknown family number'],
    [{ stage: 5 }, '[3].stage: expected a string, got number'],
    [{ stage: '' }, '[3].stage: must not be empty'],
    [{ configVersion: null }, '[3].configVersion: expected a string, got null'],
    [{ region: 'AUS' }, '[3].region: expected an ISO 3166-1 alpha-2 code (or "" when unknown), got "AUS"'],
    [
      { region: undefined },
      '[3].region: expected an ISO 3166-1 alpha-2 code (or "" when unknown), got undefined',
    ],
    [{ user: '' }, '[3].user: expected a hex hash of the user key (8-64 lowercase hex digits), got a string'],
    [{ user: 'jane@example.com' }, '[3].user: expected a hex hash of the user key'],
    [{ user: 'a'.repeat(65) }, '[3].user: expected a hex hash of the user key'],
    [{ session: '' }, '[3].session: must not be empty'],
    [{ session: 'x'.repeat(MAX_ID_LENGTH + 1) }, `[3].session: longer than ${MAX_ID_LENGTH} characters`],
    [{ session: 'a\u0001b' }, '[3].session: must not contain control characters'],
    [{ stage: 'week\n1' }, '[3].stage: must not contain control characters'],
    [{ name: 'exposure', family: undefined }, '[3].family: an exposure names its family'],
    [{ session: ['s'] }, '[3].session: expected a string, got array'],
    [{ ts: '2024-01-01' }, '[3].ts: expected a time in ms since epoch (a positive number), got string'],
    [{ ts: 0 }, '[3].ts: expected a time in ms since epoch (a positive number), got number'],
    [{ detail: 12 }, '[3].detail: expected a string, got number'],
    [
      { detail: 'x'.repeat(MAX_DETAIL_LENGTH + 1) },
      `[3].detail: longer than ${MAX_DETAIL_LENGTH} characters`,
    ],
  ])('rejects %j with a message naming index and field', (patch, message) => {
    const errors = errorsFor(patch);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it('reports every problem of one event, not just the first', () => {
    expect(errorsFor({ arm: 'x', user: 1, ts: null })).toEqual([
      '[3].arm: expected "v1", "v2" or "mixed", got string',
      '[3].user: expected a hex hash of the user key (8-64 lowercase hex digits), got number',
      '[3].ts: expected a time in ms since epoch (a positive number), got null',
    ]);
  });

  it('rejects non-objects', () => {
    expect(validateEvent([good], 1)).toEqual({
      ok: false,
      errors: ['[1]: expected an event object, got array'],
    });
    expect(validateEvent(null, 2)).toEqual({
      ok: false,
      errors: ['[2]: expected an event object, got null'],
    });
  });

  it('allows a null stage, an empty config version and region, a signed conversion, and null family/detail', () => {
    const check = validateEvent(
      {
        ...good,
        name: 'conversion',
        value: -20,
        stage: null,
        configVersion: '',
        region: '',
        family: null,
        detail: null,
      },
      0,
    );
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.event.stage).toBeNull();
      expect(check.event).not.toHaveProperty('family');
      expect(check.event).not.toHaveProperty('detail');
    }
  });

  it('drops unknown fields and upper-cases the region', () => {
    const check = validateEvent({ ...good, region: 'nz', extra: { nested: true }, __proto__x: 1 }, 0);
    expect(check).toEqual({ ok: true, event: { ...good, region: 'NZ' } });
  });

  it('accepts a fallback reason as the value', () => {
    const check = validateEvent({ ...good, name: 'fallback', value: 'theme-budget' }, 0);
    expect(check.ok && check.event.value).toBe('theme-budget');
  });
});

describe('validateBatch', () => {
  it('keeps the valid events of a mixed batch and counts the rejected ones', () => {
    const batch = [good, { ...good, arm: 'v9' }, { ...good, name: 'lcp' }, 'junk'];
    const check = validateBatch(batch);
    expect(check.events.map((e) => e.name)).toEqual(['fcp', 'lcp']);
    expect(check.rejected).toBe(2);
    expect(check.errors).toEqual([
      '[1].arm: expected "v1", "v2" or "mixed", got string',
      '[3]: expected an event object, got string',
    ]);
  });

  it('refuses a body that is not an array, and an empty batch', () => {
    expect(validateBatch(good).errors).toEqual(['$: expected a JSON array of events, got object']);
    expect(validateBatch([]).errors).toEqual(['$: the batch is empty']);
    expect(validateBatch([]).events).toEqual([]);
  });
});

// The SDK's strict validator (what reporters and app teams test against) and the collector must agree on
// the contract's limits, or an event the SDK's tests pass would be dropped by the server.
describe('the SDK validator and the collector agree on the limits of src/metrics/event.ts', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['a negative opt-out', { name: 'opt-out', value: -1 }, false],
    ['a negative conversion (a refund)', { name: 'conversion', value: -5 }, true],
    ['a negative fcp', { value: -1 }, false],
    ['a session at the id limit', { session: 's'.repeat(MAX_ID_LENGTH) }, true],
    ['a session over the id limit', { session: 's'.repeat(MAX_ID_LENGTH + 1) }, false],
    ['a detail at the limit', { detail: 'd'.repeat(MAX_DETAIL_LENGTH) }, true],
    ['a detail over the limit', { detail: 'd'.repeat(MAX_DETAIL_LENGTH + 1) }, false],
    ['a plain user key', { user: 'ada@example.com' }, false],
    ['an unknown arm', { arm: 'v3' }, false],
  ])('%s', (_, patch, valid) => {
    const event = { ...good, ...patch };
    expect(validateEvent(event, 0).ok).toBe(valid);
    expect(validateInBrowser(event)).toHaveLength(valid ? 0 : 1);
  });
});

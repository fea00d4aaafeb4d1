// Bad input, property-based: arbitrary bodies never crash the collector, never store a partial or invalid
// event, and always get a 2xx/4xx answer with a clear error.
import fc from 'fast-check';
import {
  validateEvent as contractProblems,
  EVENT_FIELDS,
  FAMILIES,
  METRIC_NAMES,
  type MetricEvent,
} from 'token-rollout/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { type CollectorServer, startCollectorServer } from './server.js';
import { validateEvent } from './validate.js';

const dirs = tempDirs('collector-prop-');

const validEvent: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    name: fc.constantFrom(...METRIC_NAMES.filter((n) => n !== 'fallback' && n !== 'exposure')),
    value: fc.double({ min: 0, max: 1e6, noNaN: true }),
    arm: fc.constantFrom('v1', 'v2', 'mixed'),
    family: fc.constantFrom(...FAMILIES),
    stage: fc.option(fc.constantFrom('week1', 'week2'), { nil: null }),
    configVersion: fc.string({ maxLength: 10 }),
    region: fc.constantFrom('AU', 'NZ', 'us', ''),
    user: fc.stringMatching(/^[0-9a-f]{8,20}$/),
    session: fc.string({ minLength: 1, maxLength: 20 }),
    ts: fc.integer({ min: 1, max: 2 ** 45 }),
    detail: fc.string({ maxLength: 30 }),
  },
  { requiredKeys: ['name', 'value', 'arm', 'stage', 'configVersion', 'region', 'user', 'session', 'ts'] },
);

/** A valid event with one field replaced by anything, or removed. */
const nearlyValid = fc
  .tuple(validEvent, fc.constantFrom(...EVENT_FIELDS), fc.option(fc.anything(), { nil: undefined }))
  .map(([event, field, value]) => {
    const copy: Record<string, unknown> = { ...event };
    if (value === undefined) delete copy[field];
    else copy[field] = value;
    return copy;
  });

const eventish = fc.oneof(validEvent, nearlyValid, fc.anything());

const bodies: fc.Arbitrary<string | Uint8Array<ArrayBuffer>> = fc.oneof(
  fc.array(eventish, { maxLength: 8 }).map((a) => JSON.stringify(a)),
  fc.array(eventish, { maxLength: 4 }).map((a) => JSON.stringify(a).slice(0, -1)), // torn in transit
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => new Uint8Array(bytes)),
);

let server: CollectorServer;
beforeAll(async () => {
  server = await startCollectorServer({ dataDir: dirs.make() });
});
afterAll(async () => {
  await server.close();
  dirs.removeAll();
});

describe('arbitrary bodies (property)', () => {
  it('always answer 200/400 with a clear reason, and store exactly the valid events', async () => {
    let expectedStored = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await fetch(`${server.url}/collect`, { method: 'POST', body });
        expect([200, 400]).toContain(res.status);
        const answer = (await res.json()) as {
          accepted?: number;
          rejected?: number;
          known?: number;
          errors?: string[];
          error?: string;
        };
        let parsed: unknown;
        try {
          parsed = JSON.parse(
            typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body),
          );
        } catch {
          // Not JSON (or not UTF-8): one error message, nothing stored.
          expect(res.status).toBe(400);
          expect(answer.error).toMatch(
            /^(invalid JSON at position \d+ \(line \d+, column \d+\): expected .+|request body is not valid UTF-8)$/,
          );
          return;
        }
        const model = Array.isArray(parsed) ? parsed.filter((e, i) => validateEvent(e, i).ok).length : 0;
        expect(answer.accepted).toBe(model);
        expect(res.status).toBe(model > 0 ? 200 : 400);
        if (Array.isArray(parsed)) {
          expect((answer.accepted ?? 0) + (answer.rejected ?? 0)).toBe(parsed.length);
        }
        expect(answer.errors?.length ?? 0).toBeGreaterThanOrEqual((answer.rejected ?? 0) > 0 ? 1 : 0);
        // Each error names where it is; a long list ends with how many more were left out.
        for (const error of answer.errors ?? []) {
          expect(error).toMatch(/^((\$|\[\d+\])(\.\w+)?: .+|…and \d+ more)$/);
        }
        // The same valid events sent again (fast-check repeats small bodies) are a retry: stored once.
        expectedStored += model - (answer.known ?? 0);
      }),
      { numRuns: 2500 },
    );
    const stored: MetricEvent[] = [];
    for await (const e of server.collector.events()) stored.push(e);
    expect(stored.length).toBe(expectedStored);
    expect((await server.collector.aggregates()).events).toBe(expectedStored);
    // Everything stored passes the shared contract check the gate applies when it reads the export.
    expect(stored.filter((e) => contractProblems(e).length > 0)).toEqual([]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 180_000); // thousands of HTTP round trips, each committed: slow on a loaded machine

  it('accept only what the shared contract accepts (property)', () => {
    fc.assert(
      fc.property(eventish, (input) => {
        const check = validateEvent(input, 0);
        if (check.ok) expect(contractProblems(check.event)).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });
});

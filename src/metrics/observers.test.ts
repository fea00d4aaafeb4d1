import { describe, expect, it } from 'vitest';
import { fakeVitals } from '../../test-support/fake-web-vitals.js';
import { FAMILIES, type Family } from '../families.js';
import { armOf, v2Families } from './arm.js';
import { createEvent, normalizeRegion } from './create-event.js';
import { describeThrown, type ErrorInfo, observeErrors } from './errors.js';
import type { MetricName } from './event.js';
import { exposureTracker } from './exposure.js';
import { memorySourceOf, readMemory } from './memory.js';
import { observeWebVitals } from './web-vitals.js';

describe('observeWebVitals', () => {
  it('reports each vital under its event name, once per value change, and goes quiet when stopped', () => {
    const { api, fire } = fakeVitals();
    const seen: Array<[MetricName, number]> = [];
    const stop = observeWebVitals(api, (name, value) => seen.push([name, value]));
    fire('FCP', 900);
    fire('TTFB', 120);
    fire('CLS', 0.05);
    fire('CLS', 0.05); // reported again on the next hide, unchanged: not repeated
    fire('CLS', 0.12);
    fire('LCP', 1500);
    fire('INP', 80);
    stop();
    fire('INP', 300);
    expect(seen).toEqual([
      ['fcp', 900],
      ['ttfb', 120],
      ['cls', 0.05],
      ['cls', 0.12],
      ['lcp', 1500],
      ['inp', 80],
    ]);
  });
});

describe('observeErrors', () => {
  it('reports uncaught errors and unhandled rejections with name and message, until stopped', () => {
    const target = new EventTarget();
    const seen: ErrorInfo[] = [];
    const stop = observeErrors(target, (info) => seen.push(info));
    target.dispatchEvent(Object.assign(new Event('error'), { error: new TypeError('x is undefined') }));
    target.dispatchEvent(Object.assign(new Event('error'), { message: 'Script error.' }));
    target.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason: new Error('nope') }));
    target.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason: 'plain string' }));
    stop();
    target.dispatchEvent(Object.assign(new Event('error'), { error: new Error('after stop') }));
    expect(seen).toEqual([
      { kind: 'error', message: 'TypeError: x is undefined' },
      { kind: 'error', message: 'Script error.' },
      { kind: 'unhandledrejection', message: 'Error: nope' },
      { kind: 'unhandledrejection', message: 'plain string' },
    ]);
  });

  it('describes odd thrown values without leaking whole objects', () => {
    expect(describeThrown({ name: 'AbortError', message: 'stop' })).toBe('AbortError: stop');
    expect(describeThrown({ secret: 'token' })).toBe('non-Error object');
    expect(describeThrown(undefined)).toBe('undefined');
  });
});

describe('memory', () => {
  const uasm = async () => ({ bytes: 5_000_000 });
  it('prefers measureUserAgentSpecificMemory only when cross-origin isolated', async () => {
    const isolated = { crossOriginIsolated: true, performance: { measureUserAgentSpecificMemory: uasm } };
    expect(memorySourceOf(isolated)).toBe('uasm');
    expect(await readMemory(isolated, 'uasm')).toBe(5_000_000);
    const notIsolated = {
      crossOriginIsolated: false,
      performance: { measureUserAgentSpecificMemory: uasm, memory: { usedJSHeapSize: 3_000_000 } },
    };
    expect(memorySourceOf(notIsolated)).toBe('performance.memory');
    expect(await readMemory(notIsolated, 'performance.memory')).toBe(3_000_000);
  });

  it('says unavailable when neither API exists, and skips a refused measurement', async () => {
    expect(memorySourceOf({ performance: {} })).toBe('unavailable');
    expect(memorySourceOf({})).toBe('unavailable');
    const refusing = {
      crossOriginIsolated: true,
      performance: { measureUserAgentSpecificMemory: () => Promise.reject(new Error('SecurityError')) },
    };
    expect(await readMemory(refusing, 'uasm')).toBeUndefined();
  });
});

function decisions(v2: readonly Family[], unloaded: readonly Family[] = []) {
  const out = {} as Record<Family, { version: 'v1' | 'v2'; loaded: boolean }>;
  for (const f of FAMILIES) out[f] = { version: v2.includes(f) ? 'v2' : 'v1', loaded: !unloaded.includes(f) };
  return out;
}

describe('arm and exposure', () => {
  it('labels the page v1, v2 or mixed over its own families', () => {
    expect(armOf(decisions([]), FAMILIES)).toBe('v1');
    expect(armOf(decisions(['buttons', 'cards']), ['buttons', 'cards'])).toBe('v2');
    expect(armOf(decisions(['buttons']), ['buttons', 'forms'])).toBe('mixed');
    expect(armOf(decisions(['buttons']), [])).toBe('v1');
    expect(v2Families(decisions(['buttons', 'cards']), ['cards', 'forms'])).toEqual(['cards']);
  });

  it('exposes each page family once, when its sheet is in effect, with its version', () => {
    const next = exposureTracker();
    expect(next(decisions(['buttons'], ['cards']), ['buttons', 'cards'])).toEqual([
      { family: 'buttons', version: 'v2' },
    ]);
    expect(next(decisions(['buttons']), ['buttons', 'cards'])).toEqual([{ family: 'cards', version: 'v1' }]);
    // A later change (e.g. a fallback) does not expose the family again in the same session.
    expect(next(decisions([]), ['buttons', 'cards'])).toEqual([]);
  });
});

describe('createEvent', () => {
  it('carries the context and identity, and cuts long details', () => {
    const event = createEvent(
      'js-error',
      1,
      {
        arm: 'mixed',
        stage: 'week2',
        configVersion: 'c2',
        region: 'CA',
        assignment: 'treatment',
        bucket: 0.2,
      },
      { user: 'abcdef0123456789', session: 's-1' },
      1000.6,
      { detail: 'x'.repeat(500), id: '0123456789abcdef' },
    );
    expect(event).toMatchObject({ name: 'js-error', arm: 'mixed', stage: 'week2', region: 'CA', ts: 1001 });
    expect(event).toMatchObject({ assignment: 'treatment', bucket: 0.2, id: '0123456789abcdef' });
    expect(event.detail).toHaveLength(200);
    expect(normalizeRegion(' nz ')).toBe('NZ');
    expect(normalizeRegion('Australia')).toBe('');
    expect(normalizeRegion(undefined)).toBe('');
  });
});

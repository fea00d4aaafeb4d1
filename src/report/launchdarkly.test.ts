import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { launchDarklyReporter, metricKeyOf } from './launchdarkly.js';
import { testEvent } from './test-events.js';

describe('launchDarklyReporter', () => {
  it("calls LaunchDarkly's track(key, data, metricValue) with the documented keys", () => {
    const calls: unknown[][] = [];
    const reporter = launchDarklyReporter((...args) => calls.push(args));
    reporter.report(testEvent('fcp', 912));
    reporter.report({ ...testEvent('fallback', 'budget:theme-switch'), detail: 'theme-switch: slow' });
    reporter.report({ ...testEvent('exposure', 1), family: 'buttons' });
    expect(calls).toEqual([
      ['token-rollout.fcp', { arm: 'v2', stage: 'week1', configVersion: 'c1', session: 'session-1' }, 912],
      [
        'token-rollout.fallback',
        {
          arm: 'v2',
          stage: 'week1',
          configVersion: 'c1',
          session: 'session-1',
          reason: 'budget:theme-switch',
          detail: 'theme-switch: slow',
        },
        undefined,
      ],
      ['token-rollout.exposure', expect.objectContaining({ family: 'buttons' }), 1],
    ]);
    // The user hash is not sent: LaunchDarkly's context already identifies the user.
    expect(JSON.stringify(calls)).not.toContain('0123456789abcdef');
  });

  it('gives each conversion goal its own key', () => {
    expect(metricKeyOf({ ...testEvent('conversion', 49.9), detail: 'Checkout Completed' })).toBe(
      'token-rollout.conversion.checkout-completed',
    );
    expect(metricKeyOf(testEvent('conversion', 1))).toBe('token-rollout.conversion');
  });

  it('uses a flag source in its own (key, value, data) order', () => {
    const calls: unknown[][] = [];
    const reporter = launchDarklyReporter({ track: (key, value, data) => calls.push([key, value, data]) });
    reporter.report(testEvent('theme-switch', 42));
    expect(calls).toEqual([['token-rollout.theme-switch', 42, expect.objectContaining({ arm: 'v2' })]]);
  });

  it('sends nothing but the opt-out itself once the user opted out, and never throws into the page', () => {
    const keys: string[] = [];
    const reporter = launchDarklyReporter((key) => {
      keys.push(key);
      if (key.endsWith('lcp')) throw new Error('LaunchDarkly client closed');
    });
    reporter.report(testEvent('opt-out', 1));
    reporter.report(testEvent('fcp', 1));
    reporter.report(testEvent('opt-out', 0));
    expect(() => reporter.report(testEvent('lcp', 1))).not.toThrow();
    expect(keys).toEqual(['token-rollout.opt-out', 'token-rollout.opt-out', 'token-rollout.lcp']);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, is capped, and jitters within [half, full)', () => {
    const full = (attempt: number) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999999);
    const half = (attempt: number) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 0);
    expect([1, 2, 3, 4].map(half)).toEqual([500, 1000, 2000, 4000]);
    expect(full(3)).toBeLessThan(4000);
    expect(full(3)).toBeGreaterThan(3999);
    expect(half(30)).toBe(30_000);
    expect(full(30)).toBeLessThanOrEqual(60_000);
  });
});

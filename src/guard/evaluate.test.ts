import { describe, expect, it } from 'vitest';
import type { TokenManifest } from '../../tokens/manifest.js';
import { DEFAULT_BUDGETS, resolveBudgets } from './budgets.js';
import { v2CssBytes } from './css-bytes.js';
import { evaluateBudgets, type GuardSamples } from './evaluate.js';
import { sustainedOver } from './sustained.js';

const none: GuardSamples = {
  v2Families: ['buttons', 'cards'],
  fcp: [],
  themeSwitch: [],
  errors: 0,
  memory: [],
};

describe('sustainedOver (the no-flap rule)', () => {
  const budget = { limit: 100, consecutive: 3, window: 10 };

  it('does not trip for a single outlier, however slow', () => {
    expect(sustainedOver([40, 45, 5000], budget)).toEqual({ over: false });
    expect(sustainedOver([40, 45, 5000, 50, 42, 41, 44, 43, 40, 45], budget)).toEqual({ over: false });
  });

  it('trips when the last k samples are all over the limit', () => {
    expect(sustainedOver([40, 150, 180, 120], budget)).toEqual({
      over: true,
      rule: 'consecutive',
      observed: 120,
      count: 3,
    });
  });

  it('trips when the p75 of the window is over the limit even without k in a row', () => {
    const samples = [150, 40, 160, 45, 170, 42, 41, 44, 43, 40]; // 3 of 10 slow, never 3 in a row
    // p75 by linear interpolation (src/quantile.ts): 45 + 0.75 × (150 − 45).
    expect(sustainedOver(samples, budget)).toEqual({ over: true, rule: 'p75', observed: 123.75, count: 10 });
    // Two slow ones in ten stay under the p75.
    expect(sustainedOver([150, 40, 160, 45, 42, 41, 44, 43, 40, 44], budget)).toEqual({ over: false });
  });

  it('never trips on one outlier in a p75 window of 5 or more (the p75 of n >= 5 ignores the top value)', () => {
    for (const window of [5, 6, 10]) {
      const samples = [...Array.from({ length: window - 1 }, () => 40), 1e9];
      expect(sustainedOver(samples, { limit: 100, consecutive: 2, window })).toEqual({ over: false });
    }
  });
});

describe('evaluateBudgets', () => {
  it('trips nothing on healthy samples or with no v2 family on the page', () => {
    expect(evaluateBudgets(none, DEFAULT_BUDGETS)).toEqual({ trip: false });
    expect(
      evaluateBudgets({ ...none, v2Families: [], themeSwitch: [500, 500, 500] }, DEFAULT_BUDGETS),
    ).toEqual({
      trip: false,
    });
  });

  it('falls back the whole page for a sustained slow theme switch, with a readable reason', () => {
    const verdict = evaluateBudgets({ ...none, themeSwitch: [30, 140, 150, 160] }, DEFAULT_BUDGETS);
    expect(verdict).toMatchObject({ trip: true, metric: 'theme-switch', rule: 'consecutive', observed: 140 });
    expect(verdict.trip && verdict.scope).toBe('page');
    expect(verdict.trip && verdict.reason).toBe(
      'theme-switch: the last 3 samples were all over 100 ms (smallest 140 ms)',
    );
  });

  it('trips FCP on two slow page loads in a row, not on one', () => {
    expect(evaluateBudgets({ ...none, fcp: [900, 2400] }, DEFAULT_BUDGETS)).toEqual({ trip: false });
    expect(evaluateBudgets({ ...none, fcp: [2400, 2100] }, DEFAULT_BUDGETS)).toMatchObject({
      trip: true,
      metric: 'fcp',
      limit: 1300,
    });
  });

  it('trips the error budget at the configured count of uncaught errors', () => {
    expect(evaluateBudgets({ ...none, errors: 2 }, DEFAULT_BUDGETS)).toEqual({ trip: false });
    expect(evaluateBudgets({ ...none, errors: 3 }, DEFAULT_BUDGETS)).toMatchObject({
      trip: true,
      metric: 'js-error',
      rule: 'count',
      scope: 'page',
    });
  });

  it('compares memory with the v1 baseline, and not at all without one', () => {
    const memory = [130, 126, 125].map((m) => m * 1e6);
    expect(evaluateBudgets({ ...none, memory }, DEFAULT_BUDGETS)).toEqual({ trip: false });
    const verdict = evaluateBudgets({ ...none, memory, memoryBaseline: 100e6 }, DEFAULT_BUDGETS);
    expect(verdict).toMatchObject({ trip: true, metric: 'memory', limit: 0.2 });
    expect(verdict.trip && verdict.observed).toBeCloseTo(0.25);
    expect(
      evaluateBudgets({ ...none, memory: [110e6, 115e6, 119e6], memoryBaseline: 100e6 }, DEFAULT_BUDGETS),
    ).toEqual({ trip: false });
  });

  it('drops the largest families until the v2 CSS fits, or the page when the core alone is too big', () => {
    const manifest: TokenManifest = {
      schema: 1,
      themes: ['light', 'dark'],
      tokens: { count: 1 },
      files: [
        {
          family: 'core',
          version: 'v2',
          file: 'v2/core.css',
          bytes: 9000,
          gzipBytes: 1,
          integrity: 'sha384-x',
        },
        {
          family: 'buttons',
          version: 'v2',
          file: 'v2/b.css',
          bytes: 4000,
          gzipBytes: 1,
          integrity: 'sha384-x',
        },
        {
          family: 'forms',
          version: 'v2',
          file: 'v2/f.css',
          bytes: 30_000,
          gzipBytes: 1,
          integrity: 'sha384-x',
        },
        {
          family: 'all',
          version: 'v1',
          file: 'v1/all.css',
          bytes: 121_000,
          gzipBytes: 1,
          integrity: 'sha384-x',
        },
      ],
    };
    const css = v2CssBytes(manifest, ['buttons', 'forms']);
    expect(css).toEqual({ core: 9000, families: { buttons: 4000, forms: 30_000 } });
    const verdict = evaluateBudgets({ ...none, v2Families: ['buttons', 'forms'], css }, DEFAULT_BUDGETS);
    expect(verdict).toMatchObject({ trip: true, metric: 'css-bytes', observed: 43_000, limit: 40_000 });
    expect(verdict.trip && verdict.scope).toEqual(['forms']);
    const tight = resolveBudgets({ cssBytes: { limit: 8000 } });
    if (!tight.ok) throw new Error('budgets should be valid');
    expect(evaluateBudgets({ ...none, v2Families: ['buttons', 'forms'], css }, tight.budgets)).toMatchObject({
      scope: 'page',
    });
    // The v1 monolith is the baseline every arm pays: it does not count against v2.
    expect(v2CssBytes(manifest, [])).toEqual({ core: 0, families: {} });
  });
});

describe('resolveBudgets', () => {
  it('merges overrides over the defaults', () => {
    const result = resolveBudgets({ themeSwitch: { limit: 50 }, errors: { limit: 5 } });
    expect(result.ok && result.budgets.themeSwitch).toEqual({ limit: 50, consecutive: 3, window: 10 });
    expect(result.ok && result.budgets.errors.limit).toBe(5);
    expect(result.ok && result.budgets.fcp).toEqual(DEFAULT_BUDGETS.fcp);
    expect(DEFAULT_BUDGETS.themeSwitch.limit).toBe(100); // defaults untouched
  });

  it('lists every bad value with its path instead of guessing', () => {
    const result = resolveBudgets(JSON.parse('{"fcp":{"limit":-1,"window":2.5},"themeswitch":{"limit":50}}'));
    expect(result).toEqual({
      ok: false,
      problems: [
        'budgets.themeswitch is not a budget (known: cssBytes, fcp, themeSwitch, errors, memory, windowMs)',
        'budgets.fcp.limit must be a positive number, got -1',
        'budgets.fcp.window must be a whole number ≥ 1, got 2.5',
      ],
    });
  });
});

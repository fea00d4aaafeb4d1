// The smaller field parsers: components, killed, startsAt, monitorEvery.
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../families.js';
import { parseFamilies } from './components.js';
import { parseStartsAt } from './date.js';
import { parseMonitorEvery } from './interval.js';
import type { IssueSink } from './path.js';

const sink = (): IssueSink => ({ errors: [], warnings: [] });

describe('parseComponents', () => {
  it('reads names, "all", "all-except-critical" and "all-except-<families>" as a union in canonical order', () => {
    expect(parseFamilies(['cards', 'Buttons'], '$', sink(), ['checkout'])).toEqual(['buttons', 'cards']);
    expect(parseFamilies(['all'], '$', sink(), ['checkout'])).toEqual(FAMILIES);
    expect(parseFamilies('all-except-critical', '$', sink(), ['checkout', 'forms'])).toEqual(
      FAMILIES.filter((f) => f !== 'checkout' && f !== 'forms'),
    );
    expect(parseFamilies(['all-except-checkout,overlays'], '$', sink(), [])).toEqual(FAMILIES.slice(0, 6));
  });

  it('reports unknown families and an empty result', () => {
    const s = sink();
    expect(parseFamilies(['buttons', 'footer', 'all-except-nav'], '$.c', s, [])).toBeUndefined();
    expect(s.errors.map((e) => e.path)).toEqual(['$.c[1]', '$.c[2]']);
    const t = sink();
    expect(parseFamilies(['all-except-critical'], '$.c', t, [...FAMILIES])).toBeUndefined();
    expect(t.errors[0]?.message).toMatch(/at least one component family/);
  });

  it('reads killed lists and rejects unknown names', () => {
    expect(parseFamilies(['forms', 'buttons'], '$', sink())).toEqual(['buttons', 'forms']);
    const s = sink();
    expect(parseFamilies(['forms', 1], '$.k', s)).toBeUndefined();
    expect(s.errors[0]?.path).toBe('$.k[1]');
  });
});

describe('parseStartsAt', () => {
  it('reads ISO dates as UTC midnight and date-times with or without an offset (no offset = UTC)', () => {
    expect(parseStartsAt('2026-02-10', '$', sink())).toBe(Date.UTC(2026, 1, 10));
    expect(parseStartsAt('2026-02-10T00:00:00Z', '$', sink())).toBe(Date.UTC(2026, 1, 10));
    expect(parseStartsAt('2026-02-10T09:30', '$', sink())).toBe(Date.UTC(2026, 1, 10, 9, 30));
    expect(parseStartsAt('2026-02-10T10:00:00+01:00', '$', sink())).toBe(Date.UTC(2026, 1, 10, 9));
  });

  it('rejects impossible dates and free text', () => {
    for (const bad of ['2026-02-30', '2026-13-01', 'Feb 10', '2026-02-10T25:00Z', '', 20260210]) {
      const s = sink();
      expect(parseStartsAt(bad, '$.s', s), String(bad)).toBeUndefined();
      expect(s.errors[0]?.path).toBe('$.s');
    }
  });
});

describe('parseMonitorEvery', () => {
  it("reads the plan's intervals in minutes", () => {
    const read = (v: unknown) => parseMonitorEvery(v, '$', sink());
    expect([
      read('15m'),
      read('30 min'),
      read('1h'),
      read('hourly'),
      read('standard'),
      read(45),
      read('2d'),
    ]).toEqual([15, 30, 60, 60, 1440, 45, 2880]);
  });

  it('rejects zero, negatives and unknown words', () => {
    for (const bad of [0, -5, '0m', 'often', null, Number.NaN]) {
      const s = sink();
      expect(parseMonitorEvery(bad, '$.m', s)).toBeUndefined();
      expect(s.errors).toHaveLength(1);
    }
  });
});

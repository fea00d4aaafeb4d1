import { describe, expect, it } from 'vitest';
import {
  fallbacksFor,
  parseFallbacks,
  parseFlag,
  parseThemePreference,
  readFallbackRecord,
} from './records.js';

describe('stored values', () => {
  it('reads a theme preference and ignores anything else', () => {
    expect(parseThemePreference('dark')).toBe('dark');
    expect(parseThemePreference('system')).toBe('system');
    for (const bad of [null, '', 'DARK', '"dark"', 'blue']) expect(parseThemePreference(bad)).toBeNull();
  });

  it('reads flags as exactly "1"', () => {
    expect(parseFlag('1')).toBe(true);
    for (const bad of [null, '0', 'true', ' 1']) expect(parseFlag(bad)).toBe(false);
  });

  it('keeps local fallbacks only for the config version they were recorded under', () => {
    const raw = JSON.stringify({ configVersion: 'a', families: { forms: 'fcp', nope: 'x', cards: 3 } });
    expect(parseFallbacks(raw, 'a')).toEqual({ forms: 'fcp' });
    expect(parseFallbacks(raw, 'b')).toEqual({});
    expect(parseFallbacks('not json', 'a')).toEqual({});
    expect(parseFallbacks(null, 'a')).toEqual({});
  });

  it('reads the fallback record once, whatever its version, and filters by version on use', () => {
    const raw = JSON.stringify({ configVersion: 'a', families: { forms: 'fcp', nope: 'x' } });
    const record = readFallbackRecord(raw);
    expect(record).toEqual({ configVersion: 'a', families: { forms: 'fcp' } });
    expect(fallbacksFor(record, 'a')).toEqual({ forms: 'fcp' });
    expect(fallbacksFor(record, 'b')).toEqual({});
    for (const bad of [null, '{oops', '[]', '{"configVersion":1,"families":{}}', '{"configVersion":"a"}']) {
      expect(readFallbackRecord(bad), String(bad)).toBeNull();
    }
  });
});

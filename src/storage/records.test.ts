import { describe, expect, it } from 'vitest';
import {
  parseBootCache,
  parseFallbacks,
  parseFlag,
  parseThemePreference,
  serializeBootCache,
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

  it('round-trips a boot cache and rejects corrupt ones', () => {
    const cache = {
      v: 1 as const,
      links: [{ id: 'v1', href: '/v1/all.css', integrity: 'sha384-x' }],
      legacy: true,
    };
    expect(parseBootCache(serializeBootCache(cache))).toEqual(cache);
    for (const bad of [
      null,
      '{oops',
      '[]',
      '{"v":2,"links":[]}',
      '{"v":1,"links":{}}',
      '{"v":1,"links":[1]}',
      '{"v":1,"links":[{"id":"v1","href":5,"integrity":"x"}]}',
    ]) {
      expect(parseBootCache(bad), String(bad)).toBeNull();
    }
  });

  it('keeps local fallbacks only for the config version they were recorded under', () => {
    const raw = JSON.stringify({ configVersion: 'a', families: { forms: 'fcp', nope: 'x', cards: 3 } });
    expect(parseFallbacks(raw, 'a')).toEqual({ forms: 'fcp' });
    expect(parseFallbacks(raw, 'b')).toEqual({});
    expect(parseFallbacks('not json', 'a')).toEqual({});
    expect(parseFallbacks(null, 'a')).toEqual({});
  });
});

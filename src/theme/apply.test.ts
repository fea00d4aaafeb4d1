import { describe, expect, it } from 'vitest';
import { applyTheme, resolveTheme } from './apply.js';

/** The part of an Element applyTheme touches, counting attribute writes. */
function fakeRoot() {
  const attrs = new Map<string, string>();
  const classes = new Set<string>();
  let writes = 0;
  const root = {
    getAttribute: (k: string) => attrs.get(k) ?? null,
    setAttribute: (k: string, v: string) => {
      writes++;
      attrs.set(k, v);
    },
    classList: {
      contains: (c: string) => classes.has(c),
      add: (c: string) => {
        writes++;
        classes.add(c);
      },
      remove: (c: string) => {
        writes++;
        classes.delete(c);
      },
    },
  };
  return { root: root as unknown as Element, attrs, classes, writes: () => writes };
}

describe('theme', () => {
  it("resolves 'system' from the OS setting", () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });

  it('switches v2 with one attribute change and no class', () => {
    const r = fakeRoot();
    applyTheme(r.root, 'dark', false);
    expect(r.attrs.get('data-theme')).toBe('dark');
    expect(r.classes.size).toBe(0);
    expect(r.writes()).toBe(1);
    applyTheme(r.root, 'dark', false);
    expect(r.writes()).toBe(1);
  });

  it('keeps the legacy class in step while v1 is loaded, and drops it after', () => {
    const r = fakeRoot();
    applyTheme(r.root, 'light', true);
    applyTheme(r.root, 'dark', true);
    expect([...r.classes]).toEqual(['theme--dark']);
    applyTheme(r.root, 'dark', false);
    expect([...r.classes]).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { bootSnippet } from './index.js';

describe('boot snippet', () => {
  it('is a self-contained IIFE that sets the stored theme on <html>', () => {
    const attrs: Record<string, string> = {};
    const classes = new Set<string>();
    const env = {
      localStorage: { getItem: () => 'dark' },
      matchMedia: () => ({ matches: false }),
      document: {
        documentElement: {
          setAttribute: (k: string, v: string) => {
            attrs[k] = v;
          },
          classList: { add: (c: string) => classes.add(c) },
        },
      },
    };
    new Function('localStorage', 'matchMedia', 'document', bootSnippet)(
      env.localStorage,
      env.matchMedia,
      env.document,
    );
    expect(attrs['data-theme']).toBe('dark');
    expect([...classes]).toEqual(['theme--dark']);
  });

  it('never throws when storage is unavailable', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(() => new Function('localStorage', bootSnippet)(throwing)).not.toThrow();
  });
});

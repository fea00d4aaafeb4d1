// Importing the browser entries on a server must touch no browser global.
import { describe, expect, it } from 'vitest';

describe('server-side import', () => {
  it('imports every browser entry in Node without creating or reading browser globals', async () => {
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const browserGlobals = ['window', 'document', 'localStorage', 'matchMedia', 'requestAnimationFrame'];
    const touched: string[] = [];
    for (const name of browserGlobals) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          return undefined;
        },
      });
    }
    try {
      const entries = await Promise.all([
        import('./index.js'),
        import('./react/index.js'),
        import('./boot/index.js'),
        import('./launchdarkly/index.js'),
        import('./rollout.js'),
      ]);
      for (const entry of entries) expect(Object.keys(entry).length).toBeGreaterThan(0);
      expect(touched).toEqual([]);
      const added = Object.getOwnPropertyNames(globalThis).filter(
        (n) => !before.has(n) && !browserGlobals.includes(n),
      );
      expect(added).toEqual([]);
    } finally {
      for (const name of browserGlobals) delete (globalThis as Record<string, unknown>)[name];
    }
  }, 180_000); // transforming the LaunchDarkly SDK is slow on a loaded machine

  it('createTokenRollout on a server says what is missing instead of failing obscurely', async () => {
    const { createTokenRollout } = await import('./rollout.js');
    const flags = {
      ready: async () => ({ config: null, switches: {}, origin: 'default' as const }),
      current: () => ({ config: null, switches: {}, origin: 'default' as const }),
      subscribe: () => () => {},
      close: () => {},
    };
    expect(() => createTokenRollout({ flags, user: { key: 'u' }, manifest: '/m.json' })).toThrow(
      /no document/,
    );
  });
});

// The sheet loader in Node with a minimal fake DOM: when a link already present counts as loaded.
import { describe, expect, it } from 'vitest';
import { createSheetLoader } from './loader.js';
import type { PlannedSheet } from './plan.js';

interface FakeLink extends EventTarget {
  href: string;
  sheet: { readonly cssRules: unknown } | null;
  isConnected: boolean;
  getAttribute(name: string): string | null;
  remove(): void;
}

function fakeDom(sheet: FakeLink['sheet']) {
  const win = Object.assign(new EventTarget(), {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
    performance: { getEntriesByName: () => [] },
  });
  const link: FakeLink = Object.assign(new EventTarget(), {
    href: 'https://app.test/v1/all.css',
    sheet,
    isConnected: true,
    getAttribute: (n: string) => (n === 'data-tr' ? 'v1' : null),
    remove: () => {
      link.isConnected = false;
    },
  });
  const doc = {
    baseURI: 'https://app.test/page',
    defaultView: win,
    querySelectorAll: () => (link.isConnected ? [link] : []),
  };
  return { document: doc as unknown as Document, link };
}

const SHA384 = `sha384-${'a'.repeat(64)}`;
const plan: PlannedSheet[] = [
  { id: 'v1', version: 'v1', part: 'all', href: 'https://app.test/v1/all.css', integrity: SHA384 },
];

describe('createSheetLoader: links already present', () => {
  it('counts a link with a readable sheet as loaded at once', async () => {
    const dom = fakeDom({ cssRules: [] });
    const loader = createSheetLoader({ document: dom.document, allowedOrigins: [], timeoutMs: 1000 });
    expect(await loader.ensure(plan)).toEqual(new Map());
    expect(loader.loaded()).toEqual(new Set(['v1']));
    loader.destroy();
  });

  it('does not trust a locked sheet (CSP-blocked in Chromium): it waits for the error event', async () => {
    const locked = {
      get cssRules(): unknown {
        throw new Error('SecurityError: cannot access rules');
      },
    };
    const dom = fakeDom(locked);
    const loader = createSheetLoader({ document: dom.document, allowedOrigins: [], timeoutMs: 1000 });
    const result = loader.ensure(plan);
    expect(loader.loaded()).toEqual(new Set());
    dom.link.dispatchEvent(new Event('error'));
    const failures = await result;
    expect(failures.get('v1')).toMatch(/network error or blocked/);
    expect(loader.loaded()).toEqual(new Set());
    loader.destroy();
  });
});

describe('createSheetLoader: SRI (issue 18, item 3)', () => {
  it.each(['sha384-!!!', 'sha384-', 'sha512-not base64 at all', 'md5-abc'])(
    'never links a sheet whose integrity is %j; it reports the sheet as failed, saying why',
    async (integrity) => {
      const dom = fakeDom(null);
      const created: unknown[] = [];
      Object.assign(dom.document, {
        querySelectorAll: () => [],
        createElement: (tag: string) => created.push(tag),
      });
      const loader = createSheetLoader({
        document: dom.document,
        allowedOrigins: ['https://app.test'],
        timeoutMs: 1000,
      });
      const sheet: PlannedSheet = {
        id: 'v2/forms',
        version: 'v2',
        part: 'forms',
        href: 'https://app.test/v2/forms.css',
        integrity,
      };
      const failures = await loader.ensure([sheet]);
      expect(failures.get('v2/forms')).toMatch(/not a well-formed sha256\/sha384\/sha512 base64 digest/);
      expect(created).toEqual([]);
      loader.destroy();
    },
  );
});

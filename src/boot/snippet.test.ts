// The boot snippet's hardening and its newer inputs: SRI that cannot be bypassed and robustness (issue 18,
// items 3 and 6), per-page families (issue 17, item 1) and a server-decided page (issue 17, item 6).
import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../storage/storage.js';
import { bootScriptTag } from './index.js';
import { cache, ids, run, SHA256, SHA384, SHA384_B, SHA512, stored, V1 } from './snippet-harness.js';

describe('boot snippet: SRI that cannot be bypassed (issue 18, item 3)', () => {
  const malformed = [
    'sha384-!!!',
    'sha384-',
    'sha512-not base64 at all',
    'md5-abc',
    `sha384-${'A'.repeat(63)}`,
    `sha256-${'A'.repeat(44)}`,
    `sha512-${'A'.repeat(88)}`,
    `${SHA384} `,
    `${SHA384} ${SHA512}`,
  ];

  it.each(malformed)('never links a sheet whose integrity is %j; the v1 sheet is linked instead', (bad) => {
    const out = run(stored([{ id: 'v2/core', href: '/t/v2/core.css', integrity: bad }]), { dataset: V1 });
    expect(out.links.map((l) => l.href)).toEqual(['/t/v1/all.css']);
    expect(out.classes).toEqual(['theme--light']);
  });

  it('links well-formed digests of each length (the browser then checks them)', () => {
    const links = [SHA256, SHA384, SHA512].map((integrity, i) => ({
      id: `v2/${i}`,
      href: `/t/${i}.css`,
      integrity,
    }));
    expect(run(stored(links)).links.map((l) => l.integrity)).toEqual([SHA256, SHA384, SHA512]);
  });

  it('never links a v1 fallback whose own integrity is malformed', () => {
    expect(run({}, { dataset: { v1Href: '/t/v1/all.css', v1Integrity: 'sha384-!!!' } }).links).toEqual([]);
  });
});

describe('boot snippet robustness (issue 18, item 6)', () => {
  it('a stored id that is not a valid selector (x"]) neither throws nor stops the links after it', () => {
    const links = [
      { id: 'x"]', href: '/t/x.css', integrity: SHA384 },
      { id: 'v2/core', href: '/t/v2/core.css', integrity: SHA384_B },
    ];
    expect(ids(run(stored(links), { dataset: V1 }))).toEqual(['x"]', 'v2/core']);
  });

  it('when every stored link is refused it links the v1 sheet (and its theme class), not nothing', () => {
    const links = [
      { id: 'v2/core', href: 'https://evil.test/core.css', integrity: SHA384 },
      { id: 'v2/forms', href: '/t/v2/forms.css', integrity: 'sha384-!!!' },
    ];
    const page = { href: 'https://app.test/page', origin: 'https://app.test' };
    const out = run(stored(links), { dataset: V1 }, page);
    expect(ids(out)).toEqual(['v1']);
    expect(out.classes).toEqual(['theme--light']);
  });

  it('a refused stored decision falls through to the server bootstrap before the v1 sheet', () => {
    const bad = stored([{ id: 'v2/core', href: '/t/v2/core.css', integrity: 'md5-abc' }]);
    const out = run(bad, { dataset: { ...V1, bootstrap: JSON.stringify(cache) } });
    expect(ids(out)).toEqual(['v2/core', 'v2/forms']);
  });
});

describe('boot snippet: per-page families (issue 17, item 1)', () => {
  /** The cache the runtime writes in a partial stage: every family planned, buttons and cards on v2. */
  const partial = {
    v: 1,
    legacy: true,
    links: [
      { id: 'v1', href: '/t/v1/all.css', integrity: SHA384_B },
      { id: 'v2/core', href: '/t/v2/core.css', integrity: SHA384 },
      { id: 'v2/buttons', href: '/t/v2/buttons.css', integrity: SHA256 },
      { id: 'v2/cards', href: '/t/v2/cards.css', integrity: SHA512 },
    ],
    families: {
      buttons: 'v2',
      cards: 'v2',
      forms: 'v1',
      tables: 'v1',
      navigation: 'v1',
      feedback: 'v1',
      overlays: 'v1',
      checkout: 'v1',
    },
  };
  const items = { [STORAGE_KEYS.decision]: JSON.stringify(partial) };

  it('an all-v2 page (data-families) links the v2 core and its families only: no v1 request', () => {
    const out = run(items, { dataset: { ...V1, families: 'buttons,cards' } });
    expect(ids(out)).toEqual(['v2/core', 'v2/buttons', 'v2/cards']);
    expect(out.classes).toEqual([]);
  });

  it('links v1 (and its theme class) only when one of the declared families is on v1', () => {
    const out = run(items, { dataset: { ...V1, families: 'buttons forms' } });
    expect(ids(out)).toEqual(['v1', 'v2/core', 'v2/buttons']);
    expect(out.classes).toEqual(['theme--light']);
    expect(ids(run(items, { dataset: { ...V1, families: 'forms' } }))).toEqual(['v1']);
  });

  it('without declared families (or a cache without them) it links the decision for every family', () => {
    expect(ids(run(items, { dataset: V1 }))).toEqual(['v1', 'v2/core', 'v2/buttons', 'v2/cards']);
    const { families: _omitted, ...old } = partial;
    const oldItems = { [STORAGE_KEYS.decision]: JSON.stringify(old) };
    expect(ids(run(oldItems, { dataset: { ...V1, families: 'buttons' } }))).toHaveLength(4);
  });

  it('a cache that lacks a sheet a declared family needs is refused (first-visit boot instead)', () => {
    const broken = { ...partial, links: partial.links.filter((l) => l.id !== 'v2/cards') };
    const out = run(
      { [STORAGE_KEYS.decision]: JSON.stringify(broken) },
      { dataset: { ...V1, families: 'cards' } },
    );
    expect(ids(out)).toEqual(['v1']);
  });
});

describe('boot snippet: a server-decided page (issue 17, item 6)', () => {
  it('links nothing (the server put the CSS in the page), sets the theme and the v1 class only with v1', () => {
    const items = { [STORAGE_KEYS.decision]: JSON.stringify(cache), [STORAGE_KEYS.theme]: 'dark' };
    const v2 = run(items, { dataset: { ...V1, decided: 'v2' } });
    expect(v2.links).toEqual([]);
    expect(v2.html['data-theme']).toBe('dark');
    expect(v2.classes).toEqual([]);
    for (const arm of ['v1', 'mixed']) {
      const out = run(items, { dataset: { ...V1, decided: arm } });
      expect(out.links).toEqual([]);
      expect(out.classes).toEqual(['theme--dark']);
    }
  });

  it('bootScriptTag writes the page families and the server decision as attributes', () => {
    const tag = bootScriptTag({ families: ['buttons', 'cards'], decided: 'mixed' });
    expect(tag.startsWith('<script data-families="buttons,cards" data-decided="mixed">')).toBe(true);
  });
});

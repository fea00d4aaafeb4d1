// Bad input, property-based (fast-check): the rollout config parser, the flag server's admin API, the
// collector's batches (what server/collector/property.test.ts does not already cover) and the boot
// snippet's stored values. Never a crash, never a partial write, always a clear error.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorServer, startCollectorServer } from '../packages/tools/src/collector/server.js';
import { type FlagServer, startFlagServer } from '../packages/tools/src/flag-server/index.js';
import { resolveAssignment } from '../src/assign/resolve.js';
import { bootSnippet } from '../src/boot/index.js';
import { parseRolloutConfig } from '../src/config/parse.js';
import { FAMILIES } from '../src/families.js';
import { copyFlags, tempDir } from './support.js';

// ---- rollout config JSON ----------------------------------------------------------------------------

const region = fc.oneof(
  fc.constantFrom('AU', 'NZ', 'CA', 'US', 'all', 'all-except-US', 'all-except-US-CA', 'XX', 'au', ''),
  fc.string({ maxLength: 4 }),
);
const component = fc.oneof(
  fc.constantFrom(...FAMILIES, 'all', 'all-except-critical', 'widgets'),
  fc.string({ maxLength: 6 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.jsonValue());
const stage = fc.record(
  {
    percentage: maybe(fc.oneof(fc.integer({ min: -10, max: 110 }), fc.double())),
    regions: maybe(fc.array(region, { maxLength: 4 })),
    components: maybe(fc.oneof(fc.array(component, { maxLength: 4 }), component)),
    startsAt: maybe(
      fc.oneof(
        fc.date().map((d) => (Number.isNaN(d.getTime()) ? '' : d.toISOString())),
        fc.string(),
      ),
    ),
    monitorEvery: maybe(fc.integer({ min: -5, max: 2000 })),
  },
  { requiredKeys: [] },
);
const stageName = fc.oneof(fc.constantFrom('week1', 'week2', 'week3', 'week4'), fc.string({ maxLength: 8 }));
const configLike = fc
  .tuple(
    fc.dictionary(stageName, maybe(stage), { maxKeys: 5 }),
    fc.record(
      {
        stage: maybe(fc.option(stageName, { nil: null })),
        salt: maybe(fc.string()),
        version: maybe(fc.string()),
        killed: maybe(fc.array(component, { maxLength: 3 })),
        families: maybe(fc.dictionary(component, fc.record({ critical: maybe(fc.boolean()) }))),
        enabled: maybe(fc.boolean()),
      },
      { requiredKeys: [] },
    ),
    fc.boolean(),
  )
  .map(([stages, top, wrap]) => {
    const inner = { ...stages, ...top };
    return wrap ? { 'design-tokens-v2': inner } : inner;
  });
const anyConfig = fc.oneof(configLike, fc.jsonValue(), fc.anything());

describe('rollout config JSON (property)', () => {
  it('parseRolloutConfig never throws; a refusal lists errors, each with a JSON path and a message', () => {
    let refused = 0;
    let accepted = 0;
    fc.assert(
      fc.property(anyConfig, fc.string({ maxLength: 12 }), (json, key) => {
        const parsed = parseRolloutConfig(json);
        const assignment = resolveAssignment(parsed, { key, region: 'AU' }, Date.UTC(2026, 0, 1));
        expect(Object.keys(assignment.families).sort()).toEqual([...FAMILIES].sort());
        if (parsed.ok) {
          accepted++;
          return;
        }
        refused++;
        expect(parsed.errors.length).toBeGreaterThan(0);
        for (const error of parsed.errors) {
          expect(error.path).toMatch(/^\$/);
          expect(error.message.length).toBeGreaterThan(0);
        }
        for (const family of FAMILIES) expect(assignment.families[family].version).toBe('v1');
      }),
      { numRuns: 6000 },
    );
    // The generator reaches both outcomes, so the property says something about each.
    expect(refused).toBeGreaterThan(100);
    expect(accepted).toBeGreaterThan(100);
  });

  it('survives JSON text with deep nesting and huge numbers (parsed, then fed to the parser)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom('1e400', '-0', '1e-400', '"\\u0000"', '{}', '[]'),
        (depth, leaf) => {
          const text = `${'{"week1":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
          const parsed = parseRolloutConfig(JSON.parse(text));
          expect(parsed.ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---- admin API bodies ---------------------------------------------------------------------------------

describe('admin API bodies (property, real flag service)', () => {
  let server: FlagServer;
  let dataDir: string;
  beforeAll(async () => {
    const dir = await tempDir('rel-admin-');
    dataDir = join(dir, 'data');
    server = await startFlagServer({ port: 0, flagsDir: await copyFlags(dir), dataDir });
  });
  afterAll(async () => {
    await server.close();
  });

  const persisted = () => readFile(join(dataDir, 'flag-state.json'), 'utf8').catch(() => '<none>');
  const state = async () => (await fetch(`${server.url}/admin/state`)).text();

  const route = fc.oneof(
    fc.constant({ method: 'POST', path: '/admin/flag' }),
    fc.constant({ method: 'POST', path: '/admin/stage' }),
    fc
      .oneof(fc.constantFrom('week1', 'week2', 'week3', 'week4', 'nope'), fc.string({ maxLength: 6 }))
      .map((s) => ({ method: 'PATCH', path: `/admin/stages/${encodeURIComponent(s)}` })),
    fc
      .oneof(fc.constantFrom(...FAMILIES, 'widgets'), fc.string({ maxLength: 6 }))
      .map((f) => ({ method: 'POST', path: `/admin/families/${encodeURIComponent(f)}` })),
  );
  const body = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .record(
        {
          on: maybe(fc.boolean()),
          stage: maybe(fc.option(stageName, { nil: null })),
          killed: maybe(fc.boolean()),
          percentage: maybe(fc.integer({ min: -5, max: 105 })),
          regions: maybe(fc.array(region, { maxLength: 3 })),
          components: maybe(fc.array(component, { maxLength: 3 })),
          startsAt: maybe(fc.string()),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 40 }),
  );

  it('never answers 5xx; a refusal changes neither the served state nor the file on disk', async () => {
    const counts = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(route, body, async ({ method, path }, text) => {
        const [stateBefore, fileBefore] = [await state(), await persisted()];
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: text,
        });
        const answer = (await res.json()) as { error?: string; path?: string };
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          counts.refused++;
          expect(answer.error?.length ?? 0).toBeGreaterThan(0);
          expect(answer.path ?? '').toMatch(/^\$/);
          expect(await state()).toBe(stateBefore);
          expect(await persisted()).toBe(fileBefore);
        } else {
          counts.ok++;
          if ((await state()) === stateBefore) {
            // An accepted no-op (e.g. turning on a flag that is on) writes nothing.
            expect(await persisted()).toBe(fileBefore);
          } else {
            // An acknowledged change is on disk and parses.
            const file = JSON.parse(await persisted()) as { schema: number };
            expect(file.schema).toBe(1);
          }
        }
      }),
      { numRuns: 2000 },
    );
    expect(counts.refused).toBeGreaterThan(500);
    expect(counts.ok).toBeGreaterThan(20);
  }, 240_000);
});

// ---- collector batches: what property.test.ts does not cover --------------------------------------------

describe('collector batches (property): plain user keys and oversized batches', () => {
  let server: CollectorServer;
  beforeAll(async () => {
    server = await startCollectorServer({ dataDir: await tempDir('rel-collector-'), maxBatch: 20 });
  });
  afterAll(async () => {
    await server.close();
  });
  const event = (user: string) => ({
    name: 'page-view',
    value: 1,
    arm: 'v2',
    stage: 'week1',
    configVersion: 'c1',
    region: 'AU',
    user,
    session: 's1',
    ts: 1_700_000_000_000,
  });
  // What a user key looks like when an app passes it by mistake: e-mail addresses, ids, names.
  const plainKey = fc.oneof(
    fc.emailAddress(),
    fc.uuid(),
    fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/^[0-9a-f]{8,64}$/.test(s)),
  );

  it('never stores (nor echoes) a plain user key', async () => {
    const post = (key: string) =>
      fetch(server.collectUrl, { method: 'POST', body: JSON.stringify([event(key)]) });
    // The answer names the field and the rule, never the key: it is the same whatever the key is. (A
    // "does not contain the key" check fails on its own for short keys that are words of the message:
    // "thin" is in "nothing".)
    const reference = await (await post('someone@example.com')).text();
    expect(reference).toMatch(/\[0\]\.user: expected a hex hash of the user key/);
    await fc.assert(
      fc.asyncProperty(plainKey, async (key) => {
        const res = await post(key);
        expect(res.status).toBe(400);
        expect(await res.text()).toBe(reference);
      }),
      { numRuns: 1000 },
    );
    let stored = 0;
    for await (const _ of server.collector.events()) stored++;
    expect(stored).toBe(0);
  }, 120_000);

  it('refuses a batch over maxBatch whole (413), storing none of it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 21, max: 200 }), async (n) => {
        const batch = Array.from({ length: n }, () => event('0123456789abcdef'));
        const res = await fetch(server.collectUrl, { method: 'POST', body: JSON.stringify(batch) });
        expect(res.status).toBe(413);
      }),
      { numRuns: 100 },
    );
    let stored = 0;
    for await (const _ of server.collector.events()) stored++;
    expect(stored).toBe(0);
  });
});

// ---- the boot snippet's stored values -------------------------------------------------------------------

interface FakeLink {
  attrs: Record<string, string>;
  rel?: string;
  href?: string;
  integrity?: string;
  crossOrigin?: string;
  nonce?: string;
  onload?: unknown;
  onerror?: unknown;
  setAttribute(name: string, value: string): void;
}

/** Runs the shipped snippet in a fresh VM context with a fake document and storage. */
function runSnippet(items: Record<string, string>, dataset: Record<string, string> = {}) {
  const links: FakeLink[] = [];
  const classes: string[] = [];
  const attrs: Record<string, string> = {};
  const document = {
    documentElement: {
      setAttribute: (k: string, v: string) => {
        attrs[k] = v;
      },
      classList: { add: (c: string) => classes.push(c) },
    },
    currentScript: { dataset, nonce: 'n0' },
    querySelector: (selector: string) => {
      // Like the real one, a selector the snippet built from a hostile id may be invalid.
      if (/"[^"]*"[^\]]/.test(selector.replace(/^link\[data-tr=/, ''))) throw new SyntaxError('bad selector');
      return links.find((l) => selector === `link[data-tr="${l.attrs['data-tr']}"]`) ?? null;
    },
    createElement: (): FakeLink => {
      const link: FakeLink = {
        attrs: {},
        setAttribute: (k, v) => {
          link.attrs[k] = v;
        },
      };
      return link;
    },
    head: { appendChild: (l: FakeLink) => links.push(l) },
    // The snippet reads the links already present with one fixed selector (never a stored id).
    querySelectorAll: (selector: string) => (selector === 'link[data-tr]' ? [...links] : []),
  };
  const localStorage = { getItem: (k: string) => (k in items ? (items[k] ?? null) : null) };
  const matchMedia = () => ({ matches: false });
  const location = { origin: 'https://app.test' };
  runInNewContext(bootSnippet, { document, localStorage, matchMedia, location });
  return { links, classes, attrs };
}

const SRI = /^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/;
const linkLike = fc.record(
  {
    id: fc.oneof(fc.constantFrom('v1', 'v2/core', 'v2/forms'), fc.string({ maxLength: 8 }), fc.jsonValue()),
    href: fc.oneof(
      fc.constantFrom('/t/v2/core.1.css', 'https://cdn.example.com/v2/forms.css', 'javascript:alert(1)'),
      fc.webUrl(),
      fc.jsonValue(),
    ),
    integrity: fc.oneof(
      fc.constantFrom('sha384-abcDEF0123+/=', '', 'md5-xyz'),
      fc.string({ maxLength: 10 }),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);
const storedDecision = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record({
      v: fc.oneof(fc.constant(1), fc.jsonValue()),
      links: fc.array(linkLike, { maxLength: 5 }),
      legacy: fc.jsonValue(),
    })
    .map((v) => JSON.stringify(v)),
  fc.array(linkLike, { maxLength: 5 }).map((links) => JSON.stringify({ v: 1, legacy: false, links })),
);
const storedTheme = fc.oneof(fc.constantFrom('light', 'dark', 'system', 'purple', ''), fc.string());

describe("the boot snippet's stored values (property, node:vm)", () => {
  it('never throws, sets a valid theme, and only links entries of the stored cache', () => {
    fc.assert(
      fc.property(storedDecision, storedTheme, (decision, theme) => {
        let out: ReturnType<typeof runSnippet> | undefined;
        expect(() => {
          out = runSnippet({ 'token-rollout:decision': decision, 'token-rollout:theme': theme });
        }).not.toThrow();
        if (!out) return;
        expect(['light', 'dark', undefined]).toContain(out.attrs['data-theme']);
        if (out.links.length === 0) return;
        const cache = JSON.parse(decision) as { links: Array<Record<string, unknown>> };
        for (const link of out.links) {
          expect(typeof link.href).toBe('string');
          expect(link.rel).toBe('stylesheet');
          expect(link.crossOrigin).toBe('anonymous');
          expect(link.nonce).toBe('n0');
          expect(
            cache.links.some((l) => l.href === link.href && String(l.id) === String(link.attrs['data-tr'])),
          ).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  // A well-formed digest: the snippet links nothing whose integrity it could not check (issue 18).
  const V1_SRI = `sha384-${'A'.repeat(64)}`;
  it('without a usable cache, links only the v1 monolith from its own attributes', () => {
    fc.assert(
      fc.property(fc.string(), (garbage) => {
        fc.pre(!garbage.includes('"links"'));
        const out = runSnippet(
          { 'token-rollout:decision': garbage },
          { v1Href: '/t/v1/all.css', v1Integrity: V1_SRI },
        );
        expect(out.links.map((l) => [l.attrs['data-tr'], l.href, l.integrity])).toEqual([
          ['v1', '/t/v1/all.css', V1_SRI],
        ]);
        expect(out.classes).toEqual(['theme--light']);
      }),
      { numRuns: 2000 },
    );
  });

  // Fixed bug: the snippet linked any string href from storage, with no or an invalid integrity, so a
  // tampered cache loaded unverified CSS from any origin before the runtime (and its allowlist) started.
  // It now skips items without a valid SRI integrity or whose href is not relative or same-origin.
  it('only links entries with a valid SRI integrity and a same-origin href', () => {
    fc.assert(
      fc.property(fc.array(linkLike, { maxLength: 5 }), (links) => {
        const out = runSnippet({ 'token-rollout:decision': JSON.stringify({ v: 1, legacy: false, links }) });
        for (const link of out.links) {
          expect(link.integrity ?? '').toMatch(SRI);
          expect(new URL(String(link.href), 'https://app.test/page').origin).toBe('https://app.test');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// A first visit decided on the server (issue 17, item 6), in Chromium under a strict nonce CSP: the page
// arrives with the user's decision and the page's v2 token CSS inline, so the first frame is already v2
// with no token request; the runtime adopts the inlined sheets (no network wait, no swap) and still swaps
// them like links when the flag changes later.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { bucketOf, rolloutThreshold } from '../src/assign/bucket.js';
import { FAMILIES, FLAG_KEY } from '../src/families.js';
import { type RuntimeServer, startRuntimeServer } from './fixtures/runtime/server.js';

type Json = Record<string, unknown>;
const PARTIAL = {
  stage: 'go',
  version: 'ssr-e2e-1',
  go: { percentage: 50, regions: ['AU'], components: ['buttons', 'cards'] },
};
const keyWith = (test: (bucket: number) => boolean) => {
  for (let i = 0; ; i++) if (test(bucketOf(FLAG_KEY, FLAG_KEY, `ssr-${i}`))) return `ssr-${i}`;
};
const INSIDE = keyWith((b) => b < 0.4);

let server: RuntimeServer;
test.beforeAll(async () => {
  server = await startRuntimeServer({ csp: true });
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(() => {
  server.faults.clear();
  server.requests.length = 0;
});

const ssrUrl = (families?: string[], config: unknown = PARTIAL, inlineV1 = false) => {
  const query = new URLSearchParams({ config: JSON.stringify(config) });
  if (families) query.set('families', families.join(','));
  if (inlineV1) query.set('inlineV1', '1');
  return `${server.url}/rt/ssr.html?${query}`;
};

/** Opens the page as the user INSIDE (cookie) in AU (header), recording every frame's token values. */
async function open(page: Page, url: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  await page.context().addCookies([{ name: 'uid', value: INSIDE, url: server.url }]);
  await page.setExtraHTTPHeaders({ 'x-region': 'au' });
  await page.addInitScript(() => {
    const w = window as unknown as { __frames: string[] };
    w.__frames = [];
    const tick = () => {
      const els = [...document.querySelectorAll<HTMLElement>('.sample')];
      if (els.length > 0) {
        const values = els.map((el) =>
          getComputedStyle(el)
            .getPropertyValue(el.dataset.probe ?? '')
            .trim(),
        );
        w.__frames.push(values.join('|'));
      }
      if (w.__frames.length < 60) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => (window as unknown as { rt?: unknown }).rt !== undefined);
  return errors;
}

const rt = <T>(page: Page, fn: string) =>
  page.evaluate((name) => {
    const w = window as unknown as { rt: { rollout: Record<string, unknown>; flags: { release(): void } } };
    if (name === 'release') return w.rt.flags.release() as unknown;
    if (name === 'state') return (w.rt.rollout.getState as () => unknown)();
    return w.rt.rollout[name];
  }, fn) as Promise<T>;
const tokenElements = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('link[data-tr],style[data-tr]')].map(
      (l) => `${l.localName} ${l.getAttribute('data-tr')}`,
    ),
  );
const atBody = (page: Page) =>
  page.evaluate(() => (window as unknown as { __atBody: { links: string[]; className: string } }).__atBody);
const tokenRequests = () => server.requests.filter((r) => r.startsWith('/dist/tokens/v'));

test('an all-v2 page paints v2 from its first frame with no token request, and the runtime adopts it', async ({
  page,
}) => {
  const errors = await open(page, ssrUrl(['buttons', 'cards']));
  const inline = ['style v2/core', 'style v2/buttons', 'style v2/cards'];
  expect(await atBody(page)).toMatchObject({ links: inline, className: '' });
  // Adopted while the flags have not answered: the server's decision, every page family loaded.
  await page.waitForFunction(() => {
    const s = (window as unknown as { rt: { rollout: { getState(): Json } } }).rt.rollout.getState();
    const families = s.families as Record<string, { loaded: boolean }>;
    return families.buttons?.loaded === true && families.cards?.loaded === true;
  });
  const adopted = await rt<Json>(page, 'state');
  expect(adopted).toMatchObject({ ready: false, arm: 'v2', assignment: 'treatment', stage: 'go' });
  await rt(page, 'release');
  const s = await page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<Json> } } }).rt.rollout.ready,
  );
  expect(s).toMatchObject({ ready: true, arm: 'v2', pageFamilies: ['buttons', 'cards'] });
  expect(await tokenElements(page)).toEqual(inline);
  await page.waitForFunction(() => (window as unknown as { __frames: string[] }).__frames.length >= 60);
  const frames = await page.evaluate(() => (window as unknown as { __frames: string[] }).__frames);
  // No swap: every painted frame shows the same token values, none unset for the page's families.
  expect(new Set(frames).size).toBe(1);
  expect(
    frames[0]
      ?.split('|')
      .slice(0, 2)
      .every((v) => v !== ''),
  ).toBe(true);
  expect(tokenRequests()).toEqual([]);
  expect(errors).toEqual([]);
});

test('a page with a family on v1 gets the v1 monolith linked by the server and v2 inline; nothing more loads', async ({
  page,
}) => {
  const errors = await open(page, ssrUrl());
  expect((await atBody(page)).links).toEqual([
    'link v1',
    'style v2/core',
    'style v2/buttons',
    'style v2/cards',
  ]);
  expect((await atBody(page)).className).toBe('theme--light');
  await rt(page, 'release');
  const s = await page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<Json> } } }).rt.rollout.ready,
  );
  expect(s).toMatchObject({ arm: 'mixed' });
  const families = s.families as Record<string, Json>;
  for (const f of FAMILIES) expect(families[f]?.loaded, f).toBe(true);
  expect(tokenRequests()).toEqual([server.v1.href]);
  expect(errors).toEqual([]);
});

test('with the v1 monolith inlined too, a first visit makes no token request at all', async ({ page }) => {
  const errors = await open(page, ssrUrl(undefined, PARTIAL, true));
  const body = await atBody(page);
  expect(body).toMatchObject({ links: ['style v1', 'style v2/core', 'style v2/buttons', 'style v2/cards'] });
  expect(body.className).toBe('theme--light');
  await rt(page, 'release');
  const s = await page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<Json> } } }).rt.rollout.ready,
  );
  expect(s).toMatchObject({ arm: 'mixed' });
  for (const f of FAMILIES) expect((s.families as Record<string, Json>)[f]?.loaded, f).toBe(true);
  expect(tokenRequests()).toEqual([]);
  // Every family on v2: the inlined monolith goes (and its theme class) once the v2 files are in.
  await page.evaluate(
    (c) => (window as unknown as { rt: { flags: { set(c: unknown): void } } }).rt.flags.set(c),
    { ...PARTIAL, go: { percentage: 100, regions: ['all'] } },
  );
  await page.waitForFunction(
    () => (window as unknown as { rt: { rollout: { getState(): Json } } }).rt.rollout.getState().arm === 'v2',
  );
  await page.waitForFunction(() => document.querySelector('[data-tr="v1"]') === null);
  expect(await page.evaluate(() => document.documentElement.className)).toBe('');
  expect(errors).toEqual([]);
});

test('a later flag change swaps the inlined sheets out like links', async ({ page }) => {
  const errors = await open(page, ssrUrl(['buttons', 'cards']));
  await rt(page, 'release');
  await page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<unknown> } } }).rt.rollout.ready,
  );
  await page.evaluate(() =>
    (window as unknown as { rt: { flags: { set(c: unknown): void } } }).rt.flags.set(null),
  );
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('link[data-tr],style[data-tr]')]
        .map((l) => l.getAttribute('data-tr'))
        .join() === 'v1' &&
      (window as unknown as { rt: { rollout: { getState(): Json } } }).rt.rollout.getState().arm === 'v1',
  );
  expect(await tokenElements(page)).toEqual(['link v1']);
  expect(errors).toEqual([]);
});

test("the server's decision wins over a stale cached one: the snippet links nothing", async ({ page }) => {
  await open(page, ssrUrl(['buttons', 'cards']));
  await page.evaluate(
    (href) =>
      localStorage.setItem(
        'token-rollout:decision',
        JSON.stringify({
          v: 1,
          legacy: true,
          links: [{ id: 'v1', href, integrity: `sha384-${'A'.repeat(64)}` }],
        }),
      ),
    server.v1.href,
  );
  server.requests.length = 0;
  await page.goto(ssrUrl(['buttons', 'cards']), { waitUntil: 'domcontentloaded' });
  expect(await atBody(page)).toMatchObject({
    links: ['style v2/core', 'style v2/buttons', 'style v2/cards'],
    className: '',
  });
  expect(tokenRequests()).toEqual([]);
});

// The framework-free example (examples/server-decision) as a visitor's browser sees it. Its flag puts half of
// the users on v2 (buttons and cards), so a random visitor lands in either arm: one pinned user key per arm.
// Treated: v2 inline, no token request but the manifest (the runtime's, after first paint). Control: exactly
// the v1 monolith, render-blocking from the server's <link>. Either way the first frame already has the
// decided tokens and nothing swaps after it: the arm at DOMContentLoaded is the arm once the runtime settled.
const EXAMPLE_FLAG = JSON.parse(readFileSync('examples/server-decision/flag.json', 'utf8')) as Json & {
  stage: string;
  salt?: string;
};
const exampleInside = (key: string) =>
  bucketOf(FLAG_KEY, EXAMPLE_FLAG.salt ?? FLAG_KEY, key) <
  rolloutThreshold((EXAMPLE_FLAG[EXAMPLE_FLAG.stage] as { percentage: number }).percentage);
const exampleKey = (inside: boolean) => {
  for (let i = 0; ; i++) if (exampleInside(`example-${i}`) === inside) return `example-${i}`;
};

/** What the page showed at DOMContentLoaded, every painted frame's token values, and later sheet changes. */
interface ExampleTrace {
  dcl: { sheets: string[]; className: string; arm: string | null; values: string | null };
  frames: string[];
  changes: string[];
  sameSheets: boolean;
}

test.describe('the framework-free example (examples/server-decision)', () => {
  const built = existsSync('packages/tools/dist/index.js') && existsSync('dist/boot.js');
  let example: ChildProcess | undefined;
  let exampleUrl = '';
  test.beforeAll(async () => {
    if (!built) return;
    const child = spawn(process.execPath, ['examples/server-decision/server.mjs'], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    example = child;
    exampleUrl = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(chunk));
        if (found) resolve(found[0]);
      });
      child.on('exit', (code) => reject(new Error(`example exited with ${code}`)));
    });
  });
  test.afterAll(() => {
    example?.kill();
  });
  test.beforeEach(() => {
    test.skip(!built, 'needs `npm run build`');
  });

  /** Opens the example as `key` (cookie; a new visitor without), and returns what it did once settled. */
  async function visit(page: Page, key: string | undefined) {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
    if (key !== undefined)
      await page.context().addCookies([
        { name: 'uid', value: key, url: exampleUrl },
        { name: 'region', value: 'AU', url: exampleUrl },
      ]);
    await page.addInitScript(() => {
      type Marked = Element & { __atDcl?: boolean };
      const w = window as unknown as {
        __trace: ExampleTrace;
        rollout?: { getState(): { arm: string } };
      };
      const trace: ExampleTrace = {
        dcl: { sheets: [], className: '', arm: null, values: null },
        frames: [],
        changes: [],
        sameSheets: false,
      };
      w.__trace = trace;
      const sheets = () => [...document.querySelectorAll<Marked>('link[data-tr],style[data-tr]')];
      const probe = () => {
        const button = document.querySelector('.button');
        const card = document.querySelector('.card');
        if (!button || !card) return null;
        const b = getComputedStyle(button);
        const c = getComputedStyle(card);
        return [
          b.getPropertyValue('--tr-button-primary-bg').trim(),
          c.getPropertyValue('--tr-card-bg').trim(),
          b.backgroundColor,
          c.backgroundColor,
        ].join('|');
      };
      // rAF callbacks run only in frames that are rendered: none while a render-blocking sheet loads.
      const tick = () => {
        const values = probe();
        if (values !== null) trace.frames.push(values);
        if (trace.frames.length < 600) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      document.addEventListener('DOMContentLoaded', () => {
        const present = sheets();
        for (const el of present) el.__atDcl = true;
        trace.dcl = {
          sheets: present.map((el) => `${el.localName} ${el.getAttribute('data-tr')}`),
          className: document.documentElement.className,
          arm: w.rollout?.getState().arm ?? null,
          values: probe(),
        };
        new MutationObserver((records) => {
          for (const r of records) {
            for (const n of r.addedNodes)
              if (n instanceof Element && n.hasAttribute('data-tr'))
                trace.changes.push(`+${n.getAttribute('data-tr')}`);
            for (const n of r.removedNodes)
              if (n instanceof Element && n.hasAttribute('data-tr'))
                trace.changes.push(`-${n.getAttribute('data-tr')}`);
          }
        }).observe(document.head, { childList: true });
        (w as unknown as { __sameSheets(): boolean }).__sameSheets = () => {
          const now = sheets();
          return now.length === present.length && now.every((el, i) => el === present[i] && el.__atDcl);
        };
      });
    });
    const manifestFetched = page.waitForResponse((r) => r.url().endsWith('/tokens/manifest.json'));
    await page.goto(exampleUrl, { waitUntil: 'domcontentloaded' });
    const decided = await page.evaluate(() =>
      document.querySelector('script[data-decided]')?.getAttribute('data-decided'),
    );
    // Settled: the manifest is in, the rollout is ready with the page's families loaded, and 30 more
    // frames were painted after that (a swap would show in them).
    await manifestFetched;
    await page.waitForFunction(() => document.documentElement.dataset.rolloutArm !== undefined);
    await page.waitForFunction(() => {
      const s = (window as unknown as { rollout: { getState(): Json } }).rollout.getState();
      const families = s.families as Record<string, { loaded: boolean }>;
      return s.ready === true && families.buttons?.loaded === true && families.cards?.loaded === true;
    });
    const seen = await page.evaluate(
      () => (window as unknown as { __trace: ExampleTrace }).__trace.frames.length,
    );
    await page.waitForFunction(
      (n) => (window as unknown as { __trace: ExampleTrace }).__trace.frames.length >= n + 30,
      seen,
    );
    const settled = await page.evaluate(() => {
      const s = (window as unknown as { rollout: { getState(): Json } }).rollout.getState();
      return {
        arm: s.arm as string,
        assignment: s.assignment as string,
        errors: s.errors as string[],
        datasetArm: document.documentElement.dataset.rolloutArm,
        className: document.documentElement.className,
      };
    });
    const trace = await page.evaluate(() => {
      const w = window as unknown as { __trace: ExampleTrace; __sameSheets?: () => boolean };
      return { ...w.__trace, sameSheets: w.__sameSheets?.() === true };
    });
    const v1 = await page.evaluate(() =>
      // renderBlockingStatus: Chromium 107+, not yet in TypeScript's DOM types.
      (
        performance.getEntriesByType('resource') as Array<
          PerformanceResourceTiming & { renderBlockingStatus?: string }
        >
      )
        .filter((e) => new URL(e.name).pathname.startsWith('/tokens/v1/'))
        .map((e) => ({ initiator: e.initiatorType, blocking: e.renderBlockingStatus })),
    );
    return { decided, settled, trace, v1, requests, errors };
  }

  /** The checks both arms share: the server's arm is the runtime's, from the first frame, with no swap. */
  function expectNoSwap(visited: Awaited<ReturnType<typeof visit>>, arm: 'v1' | 'v2') {
    const { decided, settled, trace, errors } = visited;
    expect(decided).toBe(arm);
    expect(trace.dcl.arm).toBe(arm);
    expect(settled).toMatchObject({ arm, datasetArm: arm, errors: [] });
    // The same token sheets, the very elements the server sent, from DOMContentLoaded on: none added or removed.
    expect(trace.changes).toEqual([]);
    expect(trace.sameSheets).toBe(true);
    expect(settled.className).toBe(trace.dcl.className);
    // Every painted frame shows the decided tokens: the same values, none unset.
    expect(trace.frames.length).toBeGreaterThan(30);
    expect(new Set(trace.frames)).toEqual(new Set([trace.dcl.values]));
    expect(trace.dcl.values?.split('|').every((v) => v !== '')).toBe(true);
    expect(errors).toEqual([]);
  }

  test('a treated user gets v2 inline: no token CSS request, only the manifest, and no swap', async ({
    page,
  }) => {
    const visited = await visit(page, exampleKey(true));
    expectNoSwap(visited, 'v2');
    expect(visited.settled.assignment).toBe('treatment');
    expect(visited.trace.dcl).toMatchObject({
      sheets: ['style v2/core', 'style v2/buttons', 'style v2/cards'],
      className: '',
    });
    // Only the manifest is fetched (by the runtime, after first paint): no token CSS file at all.
    expect(visited.requests.filter((p) => p.startsWith('/tokens/'))).toEqual(['/tokens/manifest.json']);
  });

  test("a control user gets exactly the v1 monolith, render-blocking from the server's <link>, and no swap", async ({
    page,
  }) => {
    const manifest = JSON.parse(readFileSync('dist/tokens/manifest.json', 'utf8')) as {
      files: Array<{ version: string; file: string }>;
    };
    const v1File = `/tokens/${manifest.files.find((f) => f.version === 'v1')?.file}`;
    const visited = await visit(page, exampleKey(false));
    expectNoSwap(visited, 'v1');
    expect(visited.settled.assignment).toBe('control');
    expect(visited.trace.dcl).toMatchObject({ sheets: ['link v1'], className: 'theme--light' });
    expect(visited.requests.filter((p) => p.startsWith('/tokens/'))).toEqual([
      v1File,
      '/tokens/manifest.json',
    ]);
    // Requested once, by the parser from the server's <link>, and render-blocking.
    expect(visited.v1).toEqual([{ initiator: 'link', blocking: 'blocking' }]);
  });

  test('a new visitor gets a key from the server, and the runtime keeps its decision', async ({ page }) => {
    const visited = await visit(page, undefined);
    const arm = visited.decided === 'v1' ? 'v1' : 'v2';
    expectNoSwap(visited, arm);
    const key = (await page.context().cookies()).find((c) => c.name === 'uid')?.value ?? '';
    expect(visited.settled.assignment).toBe(exampleInside(key) ? 'treatment' : 'control');
    expect(visited.decided).toBe(exampleInside(key) ? 'v2' : 'v1');
    expect(visited.requests.filter((p) => p.startsWith('/tokens/')).length).toBe(arm === 'v1' ? 2 : 1);
  });
});

// SRI that cannot be bypassed (issue 18, item 3), in Chromium: a <link> whose `integrity` Chromium cannot
// parse is loaded with no check at all, so the manifest check, the loader and the boot snippet accept only
// well-formed sha256/384/512 base64 digests. A malformed one is never linked (the file is not even
// requested) and its family falls back to v1 with a reason; a well-formed wrong digest is linked and the
// browser blocks it.
import { expect, type Page, test } from '@playwright/test';
import { FAMILIES } from '../src/families.js';
import type { TokenManifest } from '../tokens/manifest.js';
import { pageUrl, type RuntimeServer, startRuntimeServer } from './fixtures/runtime/server.js';

type Json = Record<string, unknown>;
const ALL_V2 = { stage: 'go', version: 'fixture-1', go: { percentage: 100, regions: ['all'] } };
const MALFORMED = ['sha384-!!!', 'sha384-', 'sha512-not base64 at all', 'md5-abc'];
/** Well formed (64 base64 chars) but not the file's digest. */
const WRONG = `sha384-${'A'.repeat(64)}`;

let server: RuntimeServer;
test.beforeAll(async () => {
  server = await startRuntimeServer();
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(() => {
  server.faults.clear();
  server.requests.length = 0;
  server.manifestPatch = undefined;
});

const formsFile = () => {
  const file = server.manifest.files.find((f) => f.version === 'v2' && f.family === 'forms');
  if (!file) throw new Error('no v2 forms file in the manifest');
  return file;
};

/** The manifest with the v2 forms file's integrity replaced. */
const withFormsIntegrity = (integrity: string) => (manifest: TokenManifest) => ({
  ...manifest,
  files: manifest.files.map((f) => (f.file === formsFile().file ? { ...f, integrity } : f)),
});

async function ready(page: Page): Promise<Json> {
  return page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<Json> } } }).rt.rollout.ready,
  );
}
async function links(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr') ?? '').sort(),
  );
}
async function linksAtBody(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __atBody: { links: string[] } }).__atBody.links);
}
const requested = (path: string) => server.requests.some((r) => r.startsWith(path));

for (const bad of MALFORMED) {
  test(`a manifest file with integrity ${JSON.stringify(bad)} is never requested; its family falls back to v1`, async ({
    page,
  }) => {
    server.manifestPatch = withFormsIntegrity(bad);
    await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
    const s = await ready(page);
    const families = s.families as Record<string, Json>;
    expect(families.forms).toMatchObject({ version: 'v1', reason: 'load-failed', loaded: true });
    expect(String(families.forms?.error)).toMatch(/no v2 file for "forms"/);
    for (const f of FAMILIES.filter((x) => x !== 'forms')) {
      expect(families[f], f).toMatchObject({ version: 'v2', reason: 'in-rollout', loaded: true });
    }
    expect((s.errors as string[]).join('\n')).toMatch(/integrity must be a well-formed SRI digest/);
    expect(requested(`/dist/tokens/${formsFile().file}`)).toBe(false);
    expect(await links(page)).toEqual(
      ['v1', 'v2/core', ...FAMILIES.filter((f) => f !== 'forms').map((f) => `v2/${f}`)].sort(),
    );
  });
}

test('a well-formed but wrong digest is linked, and Chromium blocks the file', async ({ page }) => {
  server.manifestPatch = withFormsIntegrity(WRONG);
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }), { waitUntil: 'domcontentloaded' });
  const s = await ready(page);
  const forms = (s.families as Record<string, Json>).forms;
  expect(forms).toMatchObject({ version: 'v1', reason: 'load-failed', loaded: true });
  expect(String(forms?.error)).toMatch(/integrity/);
  expect(requested(`/dist/tokens/${formsFile().file}`)).toBe(true);
  expect(await links(page)).not.toContain('v2/forms');
});

test('a cached decision with a malformed digest is not linked before first paint: v1 is', async ({
  page,
}) => {
  const sheets = server.manifest.files.filter((f) => f.version === 'v2');
  for (const bad of [...MALFORMED, 'every entry malformed']) {
    const every = bad === 'every entry malformed';
    const decision = {
      v: 1,
      legacy: false,
      links: sheets.map((f) => ({
        id: `v2/${f.family}`,
        href: `/dist/tokens/${f.file}`,
        integrity: every ? MALFORMED[0] : f.family === 'forms' ? bad : f.integrity,
      })),
    };
    await page.goto(pageUrl(server, { config: 'null', manual: '1' }), { waitUntil: 'domcontentloaded' });
    await page.evaluate((d) => localStorage.setItem('token-rollout:decision', d), JSON.stringify(decision));
    server.requests.length = 0;
    await page.goto(pageUrl(server, { config: 'null', manual: '1' }), { waitUntil: 'load' });
    expect(await linksAtBody(page), bad).toEqual(['v1']);
    expect(requested('/dist/tokens/v2/'), bad).toBe(false);
  }
});

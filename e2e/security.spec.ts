// Security in Chromium: the runtime under a nonce-only CSP and under enforced Trusted Types (boot, swap,
// theme switch, opt-out, no violation), the token origin allowlist, and no user key leaving the page.
import { expect, type Page, test } from '@playwright/test';
import type { RelWindow } from './fixtures/reliability/app.js';
import { every, type Json, pageErrors, ready, rolloutState, verify } from './fixtures/reliability/checks.js';
import { type ReliabilityServer, startReliabilityServer } from './fixtures/reliability/server.js';

const ALL_V2 = { stage: 'go', version: 'rel-1', go: { percentage: 100, regions: ['all'] } };
const v2 = every('v2', 'in-rollout');

let server: ReliabilityServer;
test.beforeAll(async () => {
  server = await startReliabilityServer();
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(() => {
  server.faults.clear();
  server.collectorUp = true;
});

/** Records every securitypolicyviolation from the first script on. */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

async function flip(page: Page, config: unknown): Promise<void> {
  await page.evaluate((c) => {
    ((window as unknown as RelWindow).rel.flags as unknown as { set(c: unknown): void }).set(c);
  }, config);
}

for (const csp of ['strict', 'trusted-types'] as const) {
  test(`the whole runtime runs under ${csp === 'strict' ? 'a nonce-only CSP' : 'enforced Trusted Types'} without a violation`, async ({
    page,
  }) => {
    const violations = await recordViolations(page);
    const errors = pageErrors(page);
    const url = server.pageUrl({ flags: { kind: 'static', config: null } }, { csp });
    const response = await page.goto(url);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'nonce-");
    expect(policy).not.toContain('unsafe-inline');
    if (csp === 'trusted-types') expect(policy).toContain("require-trusted-types-for 'script'");
    // Boot (first visit: v1), then a swap to v2 and back, theme switches, opt-out and back.
    await ready(page);
    await verify(page, every('v1', 'flag-off'), errors);
    await flip(page, ALL_V2);
    await verify(page, v2, errors);
    for (const theme of ['dark', 'light', 'system', 'dark'] as const) {
      await page.evaluate((t) => (window as unknown as RelWindow).rel.rollout?.setTheme(t), theme);
    }
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
    await page.evaluate(() => (window as unknown as RelWindow).rel.rollout?.setOptOut(true));
    await verify(page, every('v1', 'opted-out'), errors);
    await page.evaluate(() => (window as unknown as RelWindow).rel.rollout?.setOptOut(false));
    await verify(page, v2, errors);
    // A returning visit: the boot snippet links the cached v2 decision under the same policy.
    await page.reload();
    await ready(page);
    // What the boot snippet linked before the parser reached <body>: the cached v2 decision, with nonces.
    const boot = await page.evaluate(() => (window as unknown as { __atBody: string[] }).__atBody);
    expect(boot).toHaveLength(9);
    expect(boot.every((l) => l.endsWith(' nonce'))).toBe(true);
    await verify(page, every('v1', 'flag-off'), []);
    expect(await violations()).toEqual([]);
    // Control: the policy is enforced (a style without the nonce is refused; under Trusted Types a
    // string sink throws).
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body{color:red}';
      document.head.append(style);
    });
    await expect.poll(violations).toContainEqual(expect.stringContaining('style-src'));
    if (csp === 'trusted-types') {
      const sink = await page.evaluate(() => {
        try {
          document.createElement('div').innerHTML = '<b>x</b>';
          return 'allowed';
        } catch (e) {
          return (e as Error).name;
        }
      });
      expect(sink).toBe('TypeError');
    }
  });
}

test('token files from an origin outside the allowlist are refused: families stay v1 with a reason', async ({
  page,
}) => {
  const errors = pageErrors(page);
  await page.goto(
    server.pageUrl({
      flags: { kind: 'static', config: ALL_V2 },
      allowedOrigins: ['https://cdn.example.com'],
    }),
  );
  const state = await verify(page, every('v1', 'load-failed', {}, /is not in allowedOrigins/), errors);
  expect((state.errors as string[]).join('\n')).toMatch(
    /refused .* origin http:\/\/127\.0\.0\.1:\d+ is not in allowedOrigins/,
  );
  const requested = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((n) => n.includes('/v2/')),
  );
  expect(requested).toEqual([]);
});

test('a manifest pointing at another origin is refused unless that origin is allowed', async ({ page }) => {
  const errors = pageErrors(page);
  const manifest = {
    ...server.manifest,
    files: server.manifest.files.map((f) =>
      f.version === 'v2' ? { ...f, file: `https://evil.example/${f.file}` } : f,
    ),
  };
  await page.route('**/evil-manifest.json', (route) => route.fulfill({ json: manifest }));
  await page.goto(
    server.pageUrl({
      flags: { kind: 'static', config: ALL_V2 },
      manifest: '/dist/tokens/evil-manifest.json',
    }),
  );
  await verify(page, every('v1', 'load-failed', {}, /evil\.example.*not in allowedOrigins/), errors);
});

test('no user key in plain text leaves the page through the reporters', async ({ page }) => {
  const KEY = 'alice.secret-key@example.com';
  const bodies: string[] = [];
  page.on('request', (request) => {
    // The fixture page's own URL carries the test's spec (and so the key): it is not a reporter.
    if (request.url().includes('/rel/page.html')) return;
    bodies.push(`${request.method()} ${request.url()} ${request.postData() ?? ''}`);
  });
  const errors = pageErrors(page);
  await page.goto(
    server.pageUrl({
      flags: { kind: 'static', config: ALL_V2 },
      user: { key: KEY, region: 'AU' },
      monitoring: { maxQueue: 100, flushIntervalMs: 100, backoffMs: 100 },
    }),
  );
  await verify(page, v2, errors);
  await page.evaluate(async () => {
    const r = (window as unknown as RelWindow).rel.rollout;
    r?.trackConversion('checkout', 3);
    await r?.setTheme('dark');
    window.dispatchEvent(new ErrorEvent('error', { message: 'boom', error: new Error('boom') }));
    (window as unknown as RelWindow).rel.beacon?.flush();
  });
  await expect.poll(() => bodies.filter((b) => b.includes('/collector/collect')).length).toBeGreaterThan(0);
  // Opt-out sends its own event alone, then the page hides.
  await page.evaluate(() => (window as unknown as RelWindow).rel.rollout?.setOptOut(true));
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await page.waitForTimeout(300);
  const tracked = await page.evaluate(() => JSON.stringify((window as unknown as RelWindow).rel.tracked));
  const collected = bodies.filter((b) => b.includes('/collector/collect'));
  const sent = JSON.parse(
    collected
      .map((b) => b.slice(b.indexOf('[')))
      .join('')
      .replace(/\]\[/g, ','),
  ) as Json[];
  expect(sent.length).toBeGreaterThan(2);
  expect(new Set(sent.map((e) => e.user)).size).toBe(1);
  expect(String(sent[0]?.user)).toMatch(/^[0-9a-f]{8,64}$/);
  // The key in any spelling: plain, URL-encoded, JSON-escaped, upper case.
  const spellings = [KEY, encodeURIComponent(KEY), KEY.toUpperCase(), JSON.stringify(KEY).slice(1, -1)];
  for (const text of [...bodies, tracked]) {
    for (const spelling of spellings) expect(text.toLowerCase()).not.toContain(spelling.toLowerCase());
  }
  expect(JSON.parse(tracked).length).toBeGreaterThan(0);
  const state = await rolloutState(page);
  expect(state.userKey).toBe(KEY); // the app can still read it; it just never leaves
});

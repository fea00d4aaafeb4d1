// The runtime under a strict Content-Security-Policy: nonces only, no 'unsafe-inline'.
import { expect, type Page, test } from '@playwright/test';
import { pageUrl, type RuntimeServer, startRuntimeServer } from './fixtures/runtime/server.js';

type Json = Record<string, unknown>;
const ALL_V2 = { stage: 'go', version: 'fixture-1', go: { percentage: 100, regions: ['all'] } };

let server: RuntimeServer;
test.beforeAll(async () => {
  server = await startRuntimeServer({ csp: true });
});
test.afterAll(async () => {
  await server.close();
});

async function collectViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
    });
  });
}
const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

test('boot snippet and runtime load every sheet under a nonce-only CSP with Trusted Types enforced', async ({
  page,
}) => {
  await collectViolations(page);
  const response = await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }));
  expect(response?.headers()['content-security-policy']).toContain("script-src 'nonce-");
  expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline');
  expect(response?.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
  const first = (await page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<Json> } } }).rt.rollout.ready,
  )) as Json;
  expect(first.arm).toBe('v2');
  expect(Object.values(first.families as Record<string, Json>).every((f) => f.loaded)).toBe(true);
  // The returning visit: the snippet's links carry the nonce it read from its own <script>.
  await page.reload();
  const second = (await page.evaluate(
    () => (window as unknown as { rt: { rollout: { ready: Promise<Json> } } }).rt.rollout.ready,
  )) as Json;
  expect(second.arm).toBe('v2');
  expect(Object.values(second.families as Record<string, Json>).every((f) => f.loaded)).toBe(true);
  expect(
    await page.evaluate(() => (window as unknown as { __atBody: { links: string[] } }).__atBody.links),
  ).toHaveLength(9);
  expect(await violations(page)).toEqual([]);
  // Control: the policy is enforced — an inline <style> without the nonce is blocked.
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = 'body{color:red}';
    document.head.append(style);
  });
  await expect.poll(() => violations(page)).toContainEqual(expect.stringContaining('style-src'));
  // Control: Trusted Types are enforced — a string assigned to innerHTML is refused.
  const tt = await page.evaluate(() => {
    try {
      document.createElement('div').innerHTML = '<b>x</b>';
      return 'allowed';
    } catch (e) {
      return (e as Error).name;
    }
  });
  expect(tt).toBe('TypeError');
});

// The README's quick start as an app team follows it (issue 17): its blocks, extracted from README.md by
// their `<!-- quick-start:NAME -->` markers (examples/quick-start/extract.ts), compile under strict
// TypeScript and bundle; its commands (`npx token-rollout init`, `serve`) run from the built bin; and the
// page they make, served with the README's boot snippet first in <head> under a nonce-only CSP, works in
// Chromium as a user sees it: token colours in place, the theme toggle switching, nothing in the console
// (and the page's events reach the collector).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, type Page, test } from '@playwright/test';
import { buildQuickStart } from '../examples/quick-start/build.js';
import { bucketOf } from '../src/assign/bucket.js';
import { FLAG_KEY } from '../src/families.js';
import { type Serve, startServe } from './support/serve.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'packages/tools/dist/cli.js');
const DIST = join(ROOT, 'examples/quick-start/dist');
/** The app folder the README's commands run in (inside the repo, so node_modules resolves). */
const APP = join(DIST, 'app');

interface Site {
  url: string;
  close(): Promise<void>;
}
interface ServerModule {
  startQuickStartServer(options: { flagServer: string }): Promise<Site>;
  bootHead(nonce: string): string;
}

/** A user key whose bucket (the shipped plan: key and salt `design-tokens-v2`) passes `test`. */
const keyWith = (test: (bucket: number) => boolean) => {
  for (let i = 0; ; i++) if (test(bucketOf(FLAG_KEY, FLAG_KEY, `qs-${i}`))) return `qs-${i}`;
};
/** Week 1 of the shipped plan: 5 % of AU and NZ, buttons and cards. */
const IN_ROLLOUT = keyWith((b) => b < 0.04);

let blocks: Map<string, string>;
let serve: Serve | undefined;
let flagServer = '';
let initTag = '';
let site: Site | undefined;
let server: ServerModule;

test.describe.configure({ mode: 'serial' });

test.afterAll(async () => {
  await site?.close();
  await serve?.stop();
});

/** The README's shell lines that start with `prefix`, as argument lists (comments dropped). */
function commands(prefix: string): string[][] {
  const script = blocks.get('setup.sh') ?? '';
  return script
    .split('\n')
    .map((line) => line.replace(/\s#.*$/, '').trim())
    .filter((line) => line.startsWith(`${prefix} `))
    .map((line) => line.slice(prefix.length).trim().split(/\s+/));
}

test('the quick start compiles under strict TypeScript and bundles', async () => {
  test.setTimeout(240_000);
  // Extract (every block in the section must be marked), `tsc --noEmit` (strict, exact optional
  // properties, no unused names), then esbuild: the browser app and the page's server.
  blocks = await buildQuickStart();
  expect([...blocks.keys()].sort()).toEqual(['boot.ts', 'rollout.ts', 'setup.sh', 'theme-toggle.tsx']);
  expect(existsSync(join(DIST, 'app.js'))).toBe(true);
  server = (await import(pathToFileURL(join(DIST, 'server.mjs')).href)) as ServerModule;
});

test("the quick start's commands set the app up: install names real packages, init, serve", async () => {
  test.setTimeout(120_000);
  // `npm install` lines: every package they name is one this workspace resolves (installed or its own).
  const resolveFrom = createRequire(join(ROOT, 'package.json'));
  const installs = commands('npm install').flatMap((args) => args.filter((a) => !a.startsWith('-')));
  expect(installs).toEqual(['token-rollout', '@launchdarkly/js-client-sdk', 'token-rollout-tools']);
  for (const name of installs) expect(() => resolveFrom.resolve(name), name).not.toThrow();

  const [init, serveArgs, ...others] = commands('npx token-rollout');
  expect(init?.[0]).toBe('init');
  expect(serveArgs?.[0]).toBe('serve');
  expect(others).toEqual([]);
  rmSync(APP, { recursive: true, force: true });
  mkdirSync(APP, { recursive: true });
  const { stdout } = await run(process.execPath, [CLI, ...(init ?? [])], { cwd: APP });
  expect(readdirSync(join(APP, 'flags'))).toContain('design-tokens-v2.json');
  initTag = stdout.split('\n').find((line) => line.startsWith('<script')) ?? '';
  // init prints the very tag the README's step 2 renders (there with the page's nonce).
  expect(initTag).toBe(server.bootHead(''));
  expect(server.bootHead('n0nce')).toContain('nonce="n0nce"');

  // The README's `serve` line, on a free port, with its data in the app's folder.
  serve = await startServe(
    CLI,
    [...(serveArgs ?? []).slice(1), '--port', '0', '--data', join(APP, '.data')],
    APP,
  );
  flagServer = serve.url;
  site = await server.startQuickStartServer({ flagServer });
});

/** Records console errors, uncaught exceptions and CSP violations of the page, from its first byte. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.effectiveDirective} ${e.blockedURI}`);
    });
    // What the boot snippet did before the app's script ran (module scripts run after 'interactive').
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return;
      (window as unknown as { __boot: unknown }).__boot = {
        theme: document.documentElement.dataset.theme,
        links: [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr')).sort(),
      };
    });
  });
  return problems;
}

const tokenSheets = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr') ?? '').sort(),
  );

/** What a user sees: the theme, a family token's value, the button's and the page's colours. */
const looks = (page: Page) =>
  page.evaluate(() => {
    const button = document.querySelector('#app button');
    const token = getComputedStyle(document.documentElement)
      .getPropertyValue('--tr-button-primary-bg')
      .trim();
    return {
      theme: document.documentElement.dataset.theme,
      token,
      tokenIsColour: token !== '' && CSS.supports('color', token),
      button: button ? getComputedStyle(button).backgroundColor : '',
      page: getComputedStyle(document.body).backgroundColor,
    };
  });

const TRANSPARENT = 'rgba(0, 0, 0, 0)';

test('a user in the rollout gets the v2 token CSS, the theme toggle switches, the console stays clean', async ({
  page,
}) => {
  const problems = watch(page);
  await page.goto(`${site?.url}/?user=${IN_ROLLOUT}&country=AU`);
  await expect(page.getByRole('button', { name: 'Theme' })).toBeVisible();
  // The runtime swaps the boot snippet's v1 monolith for the v2 core and the page's two families.
  await expect.poll(() => tokenSheets(page)).toEqual(['v2/buttons', 'v2/cards', 'v2/core']);
  await expect.poll(async () => (await looks(page)).tokenIsColour).toBe(true);
  const light = await looks(page);
  expect(light.theme).toBe('light');
  expect(light.button).not.toBe(TRANSPARENT);
  expect(light.page).not.toBe(TRANSPARENT);

  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await looks(page)).page).not.toBe(light.page);
  const dark = await looks(page);
  expect(dark.tokenIsColour).toBe(true);
  expect(dark.token).not.toBe(light.token);

  // A returning visit: the boot snippet links the cached v2 decision and sets the chosen theme before
  // the app's script runs, so nothing flashes.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Theme' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __boot: unknown }).__boot)).toEqual({
    theme: 'dark',
    links: ['v2/buttons', 'v2/cards', 'v2/core'],
  });
  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(problems).toEqual([]);
  // The first visit's events reached the collector through the page's /collect (sent as it unloaded).
  await expect
    .poll(async () => (await collected()).filter((e) => e.name === 'page-view' && e.arm === 'v2').length, {
      timeout: 20_000,
    })
    .toBeGreaterThan(0);
  expect((await collected()).every((e) => e.assignment === 'treatment')).toBe(true);
});

/** The events the local collector holds. */
async function collected(): Promise<{ name: string; arm: string; assignment: string }[]> {
  const body = await (await fetch(`${flagServer}/events/export`)).text();
  return body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { name: string; arm: string; assignment: string });
}

test('a user outside the rollout keeps the v1 monolith, with the same tokens and toggle', async ({
  page,
}) => {
  const problems = watch(page);
  await page.goto(`${site?.url}/?user=qs-us-visitor&country=US`);
  await expect(page.getByRole('button', { name: 'Theme' })).toBeVisible();
  await expect.poll(async () => (await looks(page)).tokenIsColour).toBe(true);
  expect(await tokenSheets(page)).toEqual(['v1']);
  const light = await looks(page);
  expect(light.button).not.toBe(TRANSPARENT);
  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await looks(page)).page).not.toBe(light.page);
  expect(problems).toEqual([]);
});

// Simulated traffic: headless Chromium sessions, each a new visitor (user key, region) who browses the
// demo and may check out, so the collector and the dashboard fill with real measurements. Bounded in
// sessions and in time. `--regress errors|slow` asks the demo to break its v2 pages (see demo/regress.ts).
//   npm run simulate -- --sessions 40 --duration 60 [--regress errors] [--url http://127.0.0.1:4173]

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { mulberry32 } from '../test-support/random.js';
import { chromiumLaunchOptions } from './chromium.js';

/** What to simulate. */
export interface SimulationOptions {
  /** The demo's URL (the dev server's origin). */
  url: string;
  /** Sessions to run (each a new visitor). */
  sessions: number;
  /** Stop starting sessions after this many seconds. */
  durationSeconds: number;
  /** Regions visitors come from, drawn uniformly. */
  regions: readonly string[];
  /** Sessions at once. */
  concurrency: number;
  /** Chance a session checks out (the plan's baseline conversion is 3.2 %; demos want visible numbers). */
  conversionRate: number;
  regress?: 'errors' | 'slow';
  /** Seed for user keys and choices, so a run can be repeated. */
  seed: number;
  /** Explicit user keys, one per session (default `sim-<seed>-<n>`). */
  userKeys?: readonly string[];
  /** Called after each session. */
  onSession?: (result: SessionResult) => void;
}

/** One session's outcome. */
export interface SessionResult {
  user: string;
  region: string;
  arm: string;
  converted: boolean;
  error?: string;
}

/** The run's totals. */
export interface SimulationSummary {
  sessions: number;
  failed: number;
  conversions: number;
  byArm: Record<string, number>;
  seconds: number;
}

/** The simulator's defaults: every region the demo offers, 4 at a time, 30 % check out. */
export const SIMULATION_DEFAULTS = {
  url: 'http://127.0.0.1:4173',
  sessions: 20,
  durationSeconds: 120,
  regions: ['AU', 'NZ', 'CA', 'US', 'GB', 'DE'],
  concurrency: 4,
  conversionRate: 0.3,
  seed: 1,
} as const;

/** The plan of one session: who visits and whether they will buy. Pure, from the seeded random. */
export function planSession(
  index: number,
  options: Pick<SimulationOptions, 'regions' | 'conversionRate' | 'seed' | 'userKeys'>,
  random: () => number,
): {
  user: string;
  region: string;
  converts: boolean;
  products: number;
  quickView: boolean;
  themeSwitch: boolean;
} {
  const region = options.regions[Math.floor(random() * options.regions.length)] ?? 'AU';
  return {
    user: options.userKeys?.[index] ?? `sim-${options.seed}-${index}`,
    region,
    converts: random() < options.conversionRate,
    products: 1 + Math.floor(random() * 2),
    quickView: random() < 0.3,
    themeSwitch: random() < 0.5,
  };
}

/** Parses the command line (`--sessions N --duration S --regress errors|slow --url U --regions AU,NZ …`). */
export function parseSimulateArgs(argv: readonly string[]): SimulationOptions {
  const options: SimulationOptions = { ...SIMULATION_DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1] ?? '';
    const number = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number, got "${value}"`);
      return n;
    };
    i++;
    switch (name) {
      case '--url':
        options.url = value;
        break;
      case '--sessions':
        options.sessions = Math.floor(number());
        break;
      case '--duration':
        options.durationSeconds = number();
        break;
      case '--concurrency':
        options.concurrency = Math.floor(number());
        break;
      case '--conversion':
        options.conversionRate = Number(value);
        break;
      case '--seed':
        options.seed = Math.floor(number());
        break;
      case '--regions':
        options.regions = value
          .split(',')
          .map((r) => r.trim().toUpperCase())
          .filter(Boolean);
        break;
      case '--regress':
        if (value !== 'errors' && value !== 'slow')
          throw new Error(`--regress takes errors or slow, got "${value}"`);
        options.regress = value;
        break;
      default:
        throw new Error(`unknown option ${name}`);
    }
  }
  return options;
}

/** Browses like a visitor; resolves with the arm the page started on and whether the visitor bought. */
async function browse(
  page: Page,
  plan: ReturnType<typeof planSession>,
  random: () => number,
): Promise<{ arm: string; converted: boolean }> {
  await page.getByTestId('debug').getByText('yes', { exact: true }).waitFor({ timeout: 15_000 });
  // The arm as the visitor first saw it (a local fallback may move the page to v1 later).
  const arm = (await page.getByTestId('debug-arm').textContent()) ?? 'unknown';
  // A v2 visitor is told about the new look once; most read it and carry on.
  const notice = page.getByTestId('notice');
  if (await notice.isVisible()) await notice.getByRole('button', { name: 'Got it' }).click();
  // Look around like visitors do: some open a quick view, some try the dark theme (measured by the SDK).
  if (plan.quickView) {
    await page.getByRole('button', { name: 'Quick view' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  }
  if (plan.themeSwitch) {
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('theme-toggle').click();
  }
  const cards = page.locator('[data-product]');
  const count = await cards.count();
  for (let i = 0; i < plan.products; i++) {
    await cards
      .nth(Math.floor(random() * count))
      .getByRole('button', { name: 'Add to cart' })
      .click();
  }
  if (!plan.converts) return { arm, converted: false };
  await page.getByTestId('pay').click();
  await page.getByTestId('paid').waitFor({ state: 'visible' });
  return { arm, converted: true };
}

async function runSession(
  browser: Browser,
  index: number,
  options: SimulationOptions,
  random: () => number,
): Promise<SessionResult> {
  const plan = planSession(index, options, random);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const url = new URL(options.url);
  url.searchParams.set('user', plan.user);
  url.searchParams.set('region', plan.region);
  if (options.regress) url.searchParams.set('regress', options.regress);
  let arm = 'unknown';
  try {
    await page.goto(url.href, { waitUntil: 'load' });
    const browsed = await browse(page, plan, random);
    arm = browsed.arm;
    const converted = browsed.converted;
    // Leaving the page fires pagehide: the SDK's beacon flushes its batch to the collector.
    await page.goto('about:blank');
    await page.waitForTimeout(300);
    return { user: plan.user, region: plan.region, arm, converted };
  } catch (error) {
    return { user: plan.user, region: plan.region, arm, converted: false, error: String(error) };
  } finally {
    await context.close();
  }
}

/** Runs the simulation against a running dev server; resolves with the totals. */
export async function simulateTraffic(options: SimulationOptions): Promise<SimulationSummary> {
  const started = Date.now();
  const deadline = started + options.durationSeconds * 1000;
  // The same seed gives the same visitors and choices.
  const random = mulberry32(options.seed);
  const browser = await chromium.launch(chromiumLaunchOptions());
  const summary: SimulationSummary = { sessions: 0, failed: 0, conversions: 0, byArm: {}, seconds: 0 };
  let next = 0;
  const worker = async () => {
    const total = Math.min(options.sessions, options.userKeys?.length ?? Number.POSITIVE_INFINITY);
    while (next < total && Date.now() < deadline) {
      const index = next++;
      const result = await runSession(browser, index, options, random);
      summary.sessions++;
      if (result.error) summary.failed++;
      if (result.converted) summary.conversions++;
      summary.byArm[result.arm] = (summary.byArm[result.arm] ?? 0) + 1;
      options.onSession?.(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    await browser.close();
  }
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;
  return summary;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const options = parseSimulateArgs(process.argv.slice(2));
    console.log(
      `simulating ${options.sessions} sessions (≤ ${options.durationSeconds} s) from ${options.regions.join(', ')} against ${options.url}${options.regress ? `, v2 regression: ${options.regress}` : ''}`,
    );
    const summary = await simulateTraffic({
      ...options,
      onSession: (r) =>
        console.log(
          `  ${r.user} ${r.region} ${r.arm.padEnd(5)} ${r.converted ? 'bought' : 'browsed'}${r.error ? `  FAILED: ${r.error.split('\n')[0]}` : ''}`,
        ),
    });
    console.table([summary]);
    process.exitCode = summary.failed > 0 ? 1 : 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  }
}

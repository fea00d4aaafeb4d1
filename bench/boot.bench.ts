// Boot: a returning user's first paint. The first visit runs the SDK (which caches its decision); each
// later visit is measured: how long the inline snippet runs (`bootMs`, between two performance marks
// around it, at 1x and 4x CPU), and whether the decision needed the network: `decisionRequests` counts
// requests started before the snippet finished, other than the token CSS it links and the page's own
// scripts found by the preload scanner; it must be 0. The SDK's own requests (manifest, flags) start
// later, in the background; those that happen to start before first paint are counted as context.
// Per-page families (issue 17, item 1): in a partial stage (week 1: buttons and cards on v2), a returning
// user's page that renders only those families and declares them (`data-families` and `families`) must make
// no request for the v1 monolith (`v1CssRequests`, counted over the whole visit, SDK included); the same page
// without the declaration is measured beside it, to show what the declaration saves.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { bundle, bundleSource } from '../e2e/support/bundle.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { startStaticServer } from '../scripts/serve-static.js';
import { FAMILIES, type Family } from '../src/families.js';
import { renderGallery } from '../test-support/gallery/markup.js';
import { quantile } from './quantile.js';
import type { BenchContext } from './run.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Visit {
  duringBoot: string[];
  bootMs: number;
  fcpMs: number;
  beforePaint: string[];
  v2Links: number;
  /** Requests for the v1 monolith over the whole visit (the boot snippet's and the SDK's). */
  v1Requests: number;
}

/** Week 1 of the plan at 100 % everywhere: buttons and cards on v2, every other family on v1. */
const PARTIAL_STAGE = {
  stage: 'week1',
  version: 'bench-partial',
  week1: { percentage: 100, regions: ['all'], components: ['buttons', 'cards'] },
};

/** The SDK as a page runs it, over `config`, declaring `families` (or not); `window.__settled` is its ready. */
async function sdkFor(config: unknown, families?: readonly string[]): Promise<string> {
  const declared = families ? `families: ${JSON.stringify(families)},` : '';
  const contents = `import { createStaticFlagSource } from './src/flags/static.js';
import { beaconReporter, createTokenRollout, monitoring } from './src/index.js';
const rollout = createTokenRollout({
  flags: createStaticFlagSource(${JSON.stringify(config)}),
  user: { key: 'fcp-bench-user', region: 'AU' },
  manifest: '/dist/tokens/manifest.json', ${declared}
  plugins: [monitoring({ reporters: [beaconReporter({ url: '/collect' })] })],
});
window.__settled = rollout.ready;`;
  return bundleSource(contents, root, 'boot-bench-sdk.ts');
}

/** One page of the benchmark: its HTML (boot snippet between two marks) and its SDK script. */
interface BootPage {
  html: string;
  sdk: string;
}

/** The page `name`: the boot snippet (`data-families` when `declare`), the gallery of `families`, its SDK. */
function pageHtml(
  name: string,
  snippet: string,
  v1: { file: string; integrity: string },
  families: readonly Family[] = FAMILIES,
  declare = false,
): string {
  const declared = declare ? ` data-families="${families.join(',')}"` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>boot</title>
<script>performance.mark('boot-start')</script><script data-v1-href="/dist/tokens/${v1.file}" data-v1-integrity="${v1.integrity}"${declared}>${snippet}</script><script>performance.mark('boot-end')</script>
<link rel="stylesheet" href="/test-support/gallery/components.css"></head>
<body><main id="gallery">${renderGallery(families, 1)}</main><script type="module" src="/sdk/${name}.js"></script></body></html>`;
}

/** Measures one returning visit (already navigated): boot time, FCP, requests during boot and before paint. */
async function measureVisit(page: Page): Promise<Visit> {
  // No named functions inside: tsx's keepNames would wrap them in a `__name` helper the page lacks.
  return page.evaluate(async (): Promise<Visit> => {
    const fcp = await new Promise<number>((resolve) => {
      new PerformanceObserver((list) => resolve(list.getEntries()[0]?.startTime ?? Number.NaN)).observe({
        type: 'paint',
        buffered: true,
      });
    });
    // The whole visit: the SDK settles (it would add v1 now if a page family needed it).
    await (window as unknown as { __settled?: Promise<unknown> }).__settled;
    const measure = performance.measure('boot', 'boot-start', 'boot-end');
    const bootEnd = measure.startTime + measure.duration;
    const resources = performance
      .getEntriesByType('resource')
      .map((e) => ({ startTime: e.startTime, path: new URL(e.name).pathname }));
    return {
      duringBoot: resources
        .filter((e) => e.startTime <= bootEnd && !/\.(css|js)$/.test(e.path))
        .map((e) => e.path),
      bootMs: measure.duration,
      fcpMs: fcp,
      beforePaint: resources.filter((e) => e.startTime < fcp).map((e) => e.path),
      v2Links: document.querySelectorAll('link[data-tr^="v2"]').length,
      v1Requests: resources.filter((e) => e.path.includes('/tokens/v1/')).length,
    };
  });
}

/** A first visit (the SDK decides and caches), then `visits` returning visits at `rate`x CPU. */
async function returningVisits(
  browser: Browser,
  url: string,
  rate: number,
  visits: number,
): Promise<Visit[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => localStorage.getItem('token-rollout:decision')?.includes('"v2'), null, {
      timeout: 30_000,
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const out: Visit[] = [];
    for (let i = 0; i < visits; i++) {
      await page.goto(url, { waitUntil: 'load' });
      out.push(await measureVisit(page));
    }
    return out;
  } finally {
    await context.close();
  }
}

/** The figures of one series of visits. */
function summary(list: readonly Visit[]) {
  const median = (values: number[], digits = 3) => Number(quantile(values, 0.5).toFixed(digits));
  const sdkBeforePaint = list.flatMap((v) =>
    v.beforePaint.filter((p) => !p.endsWith('.css') && !p.endsWith('.js')),
  );
  return {
    bootMedianMs: median(list.map((v) => v.bootMs)),
    bootP95Ms: Number(
      quantile(
        list.map((v) => v.bootMs),
        0.95,
      ).toFixed(3),
    ),
    fcpMedianMs: Math.round(median(list.map((v) => v.fcpMs))),
    decisionRequests: list.flatMap((v) => v.duringBoot).length,
    sdkRequestsBeforePaint: sdkBeforePaint.length / Math.max(1, list.length),
    tokenCssRequestsBeforePaint: Math.max(
      ...list.map((v) => v.beforePaint.filter((p) => p.includes('/tokens/')).length),
    ),
    v2LinksAtLoad: Math.min(...list.map((v) => v.v2Links)),
    /** Requests for the v1 monolith per visit (the most over the visits). */
    v1CssRequests: Math.max(...list.map((v) => v.v1Requests)),
  };
}

export default async function boot(ctx: BenchContext) {
  const visits = ctx.args.includes('--quick') ? 5 : 20;
  const bootPath = join(root, 'dist/boot.iife.js');
  if (!existsSync(bootPath)) throw new Error('run `npm run build` first');
  const snippet = readFileSync(bootPath, 'utf8');
  const manifest = JSON.parse(readFileSync(join(root, 'dist/tokens/manifest.json'), 'utf8')) as {
    files: { family: string; file: string; integrity: string }[];
  };
  const v1 = manifest.files.find((f) => f.family === 'all');
  if (!v1) throw new Error('manifest has no v1 file');
  const onPage: Family[] = ['buttons', 'cards'];
  const fcpSdk = await bundle(join(root, 'bench/fixtures/fcp-sdk.ts'), { minify: true });
  const pages: Record<string, BootPage> = {
    // Week 4 (all v2), every family on the page: the figures this benchmark always reported.
    page: { html: pageHtml('page', snippet, v1), sdk: fcpSdk },
    // Week 1: the page renders buttons and cards only, both on v2; declared, and not.
    'partial-declared': {
      html: pageHtml('partial-declared', snippet, v1, onPage, true),
      sdk: await sdkFor(PARTIAL_STAGE, onPage),
    },
    'partial-undeclared': {
      html: pageHtml('partial-undeclared', snippet, v1, onPage),
      sdk: await sdkFor(PARTIAL_STAGE),
    },
  };
  const server = await startStaticServer({
    intercept(req, res) {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const html = pages[path.replace(/^\/|\.html$/g, '')]?.html;
      const sdk = pages[path.replace(/^\/sdk\/|\.js$/g, '')]?.sdk;
      if (path.endsWith('.html') && html) res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else if (path.startsWith('/sdk/') && sdk)
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
      else if (path === '/collect') res.writeHead(204).end();
      else return false;
      return true;
    },
  });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const at = (path: string) => `${server.url}${path}`;
  let x1: ReturnType<typeof summary>;
  let x4: ReturnType<typeof summary>;
  let declared: ReturnType<typeof summary>;
  let undeclared: ReturnType<typeof summary>;
  try {
    x1 = summary(await returningVisits(browser, at('/page.html'), 1, visits));
    x4 = summary(await returningVisits(browser, at('/page.html'), 4, visits));
    declared = summary(await returningVisits(browser, at('/partial-declared.html'), 1, visits));
    undeclared = summary(await returningVisits(browser, at('/partial-undeclared.html'), 1, visits));
  } finally {
    await browser.close();
    await server.close();
  }
  ctx.table(`Returning user, ${visits} visits each`, [
    { page: 'week 4, all families', cpu: '1x', ...x1 },
    { page: 'week 4, all families', cpu: '4x', ...x4 },
    { page: 'week 1, all-v2 page, families declared', cpu: '1x', ...declared },
    { page: 'week 1, all-v2 page, not declared', cpu: '1x', ...undeclared },
  ]);
  return {
    visits,
    bootMs: x1.bootMedianMs,
    bootMsThrottle4x: x4.bootMedianMs,
    decisionRequests: x1.decisionRequests + x4.decisionRequests,
    at1x: x1,
    throttle4x: x4,
    // Issue 17, item 1: the all-v2 page of a partial stage, declaring its families, loads no v1 CSS.
    v1CssRequestsAllV2PagePartialStage: declared.v1CssRequests,
    partialStage: { stage: PARTIAL_STAGE, pageFamilies: onPage, declared, undeclared },
  };
}

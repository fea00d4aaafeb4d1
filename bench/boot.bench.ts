// Boot: a returning user's first paint. The first visit runs the SDK (which caches its decision); each
// later visit is measured: how long the inline snippet runs (`bootMs`, between two performance marks
// around it, at 1x and 4x CPU), and whether the decision needed the network: `decisionRequests` counts
// requests started before the snippet finished, other than the token CSS it links and the page's own
// scripts found by the preload scanner; it must be 0. The SDK's own requests (manifest, flags) start
// later, in the background; those that happen to start before first paint are counted as context.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { bundle } from '../e2e/support/bundle.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { startStaticServer } from '../scripts/serve-static.js';
import { FAMILIES } from '../src/families.js';
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
  const sdk = await bundle(join(root, 'bench/fixtures/fcp-sdk.ts'), { minify: true });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>boot</title>
<script>performance.mark('boot-start')</script><script data-v1-href="/dist/tokens/${v1.file}" data-v1-integrity="${v1.integrity}">${snippet}</script><script>performance.mark('boot-end')</script>
<link rel="stylesheet" href="/test-support/gallery/components.css"></head>
<body><main id="gallery">${renderGallery(FAMILIES, 1)}</main><script type="module" src="/sdk.js"></script></body></html>`;
  const server = await startStaticServer({
    intercept(req, res) {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/page.html') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else if (path === '/sdk.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
      else if (path === '/collect') res.writeHead(204).end();
      else return false;
      return true;
    },
  });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const results: Record<string, Visit[]> = { '1x': [], '4x': [] };
  try {
    for (const [label, rate] of [
      ['1x', 1],
      ['4x', 4],
    ] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // First visit: nothing cached; the SDK decides (week 4: all v2) and caches the decision.
      await page.goto(`${server.url}/page.html`);
      await page.waitForFunction(
        () => localStorage.getItem('token-rollout:decision')?.includes('"v2'),
        null,
        {
          timeout: 30_000,
        },
      );
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      for (let i = 0; i < visits; i++) {
        await page.goto(`${server.url}/page.html`, { waitUntil: 'load' });
        const visit = await page.evaluate(async (): Promise<Visit> => {
          const fcp = await new Promise<number>((resolve) => {
            new PerformanceObserver((list) => resolve(list.getEntries()[0]?.startTime ?? Number.NaN)).observe(
              {
                type: 'paint',
                buffered: true,
              },
            );
          });
          const measure = performance.measure('boot', 'boot-start', 'boot-end');
          const bootEnd = measure.startTime + measure.duration;
          const duringBoot = performance
            .getEntriesByType('resource')
            .filter((e) => e.startTime <= bootEnd && !/\.(css|js)$/.test(new URL(e.name).pathname))
            .map((e) => new URL(e.name).pathname);
          const beforePaint = performance
            .getEntriesByType('resource')
            .filter((e) => e.startTime < fcp)
            .map((e) => new URL(e.name).pathname);
          return {
            duringBoot,
            bootMs: measure.duration,
            fcpMs: fcp,
            beforePaint,
            v2Links: document.querySelectorAll('link[data-tr^="v2"]').length,
          };
        });
        results[label]?.push(visit);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const summary = (label: string) => {
    const list = results[label] ?? [];
    const decision = list.flatMap((v) => v.duringBoot);
    const sdkBeforePaint = list.flatMap((v) =>
      v.beforePaint.filter((p) => !p.endsWith('.css') && !p.endsWith('.js')),
    );
    return {
      bootMedianMs: Number(
        quantile(
          list.map((v) => v.bootMs),
          0.5,
        ).toFixed(3),
      ),
      bootP95Ms: Number(
        quantile(
          list.map((v) => v.bootMs),
          0.95,
        ).toFixed(3),
      ),
      fcpMedianMs: Math.round(
        quantile(
          list.map((v) => v.fcpMs),
          0.5,
        ),
      ),
      decisionRequests: decision.length,
      sdkRequestsBeforePaint: sdkBeforePaint.length / Math.max(1, list.length),
      tokenCssRequestsBeforePaint: Math.max(
        ...list.map((v) => v.beforePaint.filter((p) => p.includes('/tokens/')).length),
      ),
      v2LinksAtLoad: Math.min(...list.map((v) => v.v2Links)),
    };
  };
  const x1 = summary('1x');
  const x4 = summary('4x');
  ctx.table(`Returning user, ${visits} visits each`, [
    { cpu: '1x', ...x1 },
    { cpu: '4x', ...x4 },
  ]);
  return {
    visits,
    bootMs: x1.bootMedianMs,
    bootMsThrottle4x: x4.bootMedianMs,
    decisionRequests: x1.decisionRequests + x4.decisionRequests,
    at1x: x1,
    throttle4x: x4,
  };
}

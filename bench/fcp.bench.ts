// First contentful paint on a mobile profile (4x CPU, Lighthouse's slow-4G figures through CDP), the
// same server-rendered page with the v1 monolith and with v2 (core + every family), each file gzipped
// as a CDN would serve it; then the v2 page with and without the SDK (boot snippet + the SDK bundle) to
// show the SDK's own cost. Loads alternate between variants so machine noise hits all of them alike.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { renderGallery } from '../demo/gallery/markup.js';
import { bundle } from '../e2e/support/bundle.js';
import { startStaticServer } from '../scripts/serve-static.js';
import { FAMILIES } from '../src/families.js';
import type { TokenManifest } from '../tokens/manifest.js';
import type { BenchContext } from './run.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Lighthouse's mobile "slow 4G" applied by DevTools throttling (lighthouse-core/config/constants.js).
const SLOW_4G = {
  latency: 562.5,
  downloadThroughput: (1474.56 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
};
const CPU_RATE = 4;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

function page(links: string[], extraHead = ''): string {
  const css = links.map((href) => `<link rel="stylesheet" href="${href}">`).join('');
  return `<!doctype html><html lang="en" data-theme="light" class="theme--light"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>FCP</title><link rel="stylesheet" href="/demo/gallery/components.css">${css}${extraHead}</head><body><main id="gallery">${renderGallery(FAMILIES, 1)}</main></body></html>`;
}

export default async function fcp(ctx: BenchContext) {
  const quick = ctx.args.includes('--quick');
  const loads = quick ? 5 : 15;
  const manifestPath = join(root, 'dist/tokens/manifest.json');
  const bootPath = join(root, 'dist/boot.iife.js');
  if (!existsSync(manifestPath) || !existsSync(bootPath)) throw new Error('run `npm run build` first');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TokenManifest;
  const href = (family: string, version: string) => {
    const file = manifest.files.find((f) => f.family === family && f.version === version);
    if (!file) throw new Error(`manifest has no ${version} ${family}`);
    return `/dist/tokens/${file.file}`;
  };
  const v1Links = [href('all', 'v1')];
  const v2Links = [href('core', 'v2'), ...FAMILIES.map((f) => href(f, 'v2'))];
  const sdkJs = await bundle(join(root, 'bench/fixtures/fcp-sdk.ts'), { minify: true });
  const boot = readFileSync(bootPath, 'utf8');
  const pages: Record<string, string> = {
    '/v1.html': page(v1Links),
    '/v2.html': page(v2Links),
    '/v2-sdk.html': page(v2Links, `<script>${boot}</script><script type="module" src="/sdk.js"></script>`),
  };
  const gz = new Map<string, Buffer>();
  const send = (req: IncomingMessage, res: ServerResponse, type: string, body: string | Buffer) => {
    const key = req.url ?? '';
    let data = gz.get(key);
    if (!data) {
      data = gzipSync(body, { level: 9 });
      gz.set(key, data);
    }
    res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip', 'cache-control': 'no-store' });
    res.end(data);
  };
  const server = await startStaticServer({
    intercept(req, res) {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const html = pages[path];
      if (html) send(req, res, 'text/html; charset=utf-8', html);
      else if (path === '/sdk.js') send(req, res, 'text/javascript', sdkJs);
      else if (path.endsWith('.css')) send(req, res, 'text/css', readFileSync(join(root, path)));
      else return false;
      return true;
    },
  });
  const browser = await chromium.launch({
    executablePath:
      process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
    ],
  });
  const samples: Record<string, number[]> = { v1: [], v2: [], 'v2-sdk': [] };
  try {
    for (let i = 0; i < loads + 1; i++) {
      for (const variant of Object.keys(samples)) {
        const context = await browser.newContext({
          viewport: { width: 412, height: 823 },
          deviceScaleFactor: 1,
        });
        const tab = await context.newPage();
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_RATE });
        await tab.goto(`${server.url}/${variant}.html`, { waitUntil: 'load' });
        const value = await tab.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const entry = performance.getEntriesByName('first-contentful-paint')[0];
              if (entry) resolve(entry.startTime);
              else
                new PerformanceObserver((list) =>
                  resolve(list.getEntries()[0]?.startTime ?? Number.NaN),
                ).observe({
                  type: 'paint',
                  buffered: true,
                });
            }),
        );
        // The first round warms the server's gzip cache and Chromium's process pool: not counted.
        if (i > 0) samples[variant]?.push(value);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const median = (k: string) => quantile(samples[k] ?? [], 0.5);
  const v1 = median('v1');
  const v2 = median('v2');
  const v2Sdk = median('v2-sdk');
  const result = {
    loads,
    profile: {
      cpuSlowdown: CPU_RATE,
      network: 'slow 4G (562.5 ms RTT, 1.47 Mbps down)',
      viewport: '412x823',
    },
    v1MedianMs: Math.round(v1),
    v2MedianMs: Math.round(v2),
    v2WithSdkMedianMs: Math.round(v2Sdk),
    ratioV2V1: Number((v2 / v1).toFixed(3)),
    sdkCostMs: Math.round(v2Sdk - v2),
    sdkCostShare: Number(((v2Sdk - v2) / v2).toFixed(3)),
    p95: {
      v1: Math.round(quantile(samples.v1 ?? [], 0.95)),
      v2: Math.round(quantile(samples.v2 ?? [], 0.95)),
    },
    goals: { ratioV2V1: 0.8, v2MedianMs: 1000, sdkCostShare: 0.05 },
  };
  ctx.table(`FCP, mobile profile, ${loads} loads each (median ms)`, [
    { page: 'v1 monolith', medianMs: result.v1MedianMs, p95Ms: result.p95.v1 },
    {
      page: 'v2 core + 8 families',
      medianMs: result.v2MedianMs,
      p95Ms: result.p95.v2,
      ratioV2V1: result.ratioV2V1,
    },
    { page: 'v2 + boot snippet + SDK', medianMs: result.v2WithSdkMedianMs, sdkCostMs: result.sdkCostMs },
  ]);
  return result;
}

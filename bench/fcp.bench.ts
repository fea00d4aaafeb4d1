// First contentful paint on a mobile profile (4x CPU, Lighthouse's slow-4G figures through CDP), the
// same server-rendered page with the v1 monolith and with v2 (core + every family), each file gzipped
// as a CDN would serve it; then the v2 page with and without the SDK (boot snippet + the SDK bundle) to
// show the SDK's own cost. Loads alternate between variants so machine noise hits all of them alike.
// Each page is measured over HTTP/1.1 (six connections per origin, as a plain server) and over HTTP/2 (one
// multiplexed connection, as a CDN serves it; self-signed certificate made with openssl), because the
// number of round trips, not the bytes, dominates a 562 ms-RTT profile.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { renderGallery } from '../demo/gallery/markup.js';
import { bundle } from '../e2e/support/bundle.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { startStaticServer } from '../scripts/serve-static.js';
import { FAMILIES } from '../src/families.js';
import type { TokenManifest } from '../tokens/manifest.js';
import { quantile } from './quantile.js';
import type { BenchContext } from './run.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Lighthouse's mobile "slow 4G" applied by DevTools throttling (lighthouse-core/config/constants.js).
const SLOW_4G = {
  latency: 562.5,
  downloadThroughput: (1474.56 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
};
const CPU_RATE = 4;

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
  /** The body of a path, gzipped as a CDN would (cached), or undefined for a 404. */
  const asset = (path: string): { type: string; body: Buffer } | undefined => {
    const html = pages[path];
    const make = (): { type: string; raw: string | Buffer } | undefined => {
      if (html) return { type: 'text/html; charset=utf-8', raw: html };
      if (path === '/sdk.js') return { type: 'text/javascript', raw: sdkJs };
      if (path.endsWith('.css') && !path.includes('..') && existsSync(join(root, path)))
        return { type: 'text/css', raw: readFileSync(join(root, path)) };
      return undefined;
    };
    const made = make();
    if (!made) return undefined;
    let body = gz.get(path);
    if (!body) {
      body = gzipSync(made.raw, { level: 9 });
      gz.set(path, body);
    }
    return { type: made.type, body };
  };
  const headers = (type: string) => ({
    'content-type': type,
    'content-encoding': 'gzip',
    'cache-control': 'no-store',
  });
  const h1 = await startStaticServer({
    intercept(req, res) {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/collect') {
        res.writeHead(204).end();
        return true;
      }
      const found = asset(path);
      if (!found) return false;
      res.writeHead(200, headers(found.type)).end(found.body);
      return true;
    },
  });
  const certDir = mkdtempSync(join(tmpdir(), 'fcp-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(certDir, 'key.pem'),
      '-out',
      join(certDir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const h2server = createSecureServer({
    key: readFileSync(join(certDir, 'key.pem')),
    cert: readFileSync(join(certDir, 'cert.pem')),
  });
  h2server.on('stream', (stream, reqHeaders) => {
    const path = new URL(String(reqHeaders[':path'] ?? '/'), 'https://x').pathname;
    const found = asset(path);
    if (!found) stream.respond({ ':status': path === '/collect' ? 204 : 404 });
    else stream.respond({ ':status': 200, ...headers(found.type) });
    stream.end(found?.body);
  });
  await new Promise<void>((done) => h2server.listen(0, '127.0.0.1', () => done()));
  const h2url = `https://127.0.0.1:${(h2server.address() as AddressInfo).port}`;
  const servers = { h1: h1.url, h2: h2url };
  const browser = await chromium.launch(chromiumLaunchOptions(['--ignore-certificate-errors']));
  const variants = ['v1', 'v2', 'v2-sdk'] as const;
  const samples: Record<string, number[]> = {};
  for (const protocol of Object.keys(servers)) for (const v of variants) samples[`${protocol}:${v}`] = [];
  try {
    for (let i = 0; i < loads + 1; i++) {
      for (const key of Object.keys(samples)) {
        const [protocol, variant] = key.split(':') as ['h1' | 'h2', string];
        const context = await browser.newContext({
          viewport: { width: 412, height: 823 },
          deviceScaleFactor: 1,
          ignoreHTTPSErrors: true,
        });
        const tab = await context.newPage();
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_RATE });
        await tab.goto(`${servers[protocol]}/${variant}.html`, { waitUntil: 'load' });
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
        if (i > 0) samples[key]?.push(value);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await h1.close();
    h2server.close();
    rmSync(certDir, { recursive: true, force: true });
  }
  const median = (k: string) => Math.round(quantile(samples[k] ?? [], 0.5));
  const p95 = (k: string) => Math.round(quantile(samples[k] ?? [], 0.95));
  const per = (protocol: string) => {
    const v1 = median(`${protocol}:v1`);
    const v2 = median(`${protocol}:v2`);
    const sdk = median(`${protocol}:v2-sdk`);
    return {
      v1MedianMs: v1,
      v2MedianMs: v2,
      v2WithSdkMedianMs: sdk,
      v1P95Ms: p95(`${protocol}:v1`),
      v2P95Ms: p95(`${protocol}:v2`),
      ratioV2V1: Number((v2 / v1).toFixed(3)),
      sdkCostMs: sdk - v2,
      sdkCostShare: Number(((sdk - v2) / v2).toFixed(3)),
    };
  };
  const http1 = per('h1');
  const http2 = per('h2');
  const result = {
    loads,
    profile: {
      cpuSlowdown: CPU_RATE,
      network: 'slow 4G (562.5 ms RTT, 1.47 Mbps down)',
      viewport: '412x823',
    },
    // Headline figures: HTTP/2, as a CDN serves the files.
    ...http2,
    http1,
    goals: { ratioV2V1: 0.8, v2MedianMs: 1000, sdkCostShare: 0.05 },
  };
  ctx.table(`FCP, mobile profile (4x CPU, slow 4G), ${loads} loads each, median (p95) ms`, [
    {
      page: 'v1 monolith',
      http1: `${http1.v1MedianMs} (${http1.v1P95Ms})`,
      http2: `${http2.v1MedianMs} (${http2.v1P95Ms})`,
    },
    {
      page: 'v2 core + 8 families',
      http1: `${http1.v2MedianMs} (${http1.v2P95Ms})`,
      http2: `${http2.v2MedianMs} (${http2.v2P95Ms})`,
    },
    { page: 'ratio v2/v1', http1: http1.ratioV2V1, http2: http2.ratioV2V1 },
    { page: 'v2 + boot snippet + SDK', http1: http1.v2WithSdkMedianMs, http2: http2.v2WithSdkMedianMs },
    {
      page: 'SDK cost (ms, share)',
      http1: `${http1.sdkCostMs} (${http1.sdkCostShare})`,
      http2: `${http2.sdkCostMs} (${http2.sdkCostShare})`,
    },
  ]);
  return result;
}

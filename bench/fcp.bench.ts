// First contentful paint on a mobile profile (4x CPU, Lighthouse's slow-4G figures through CDP), the
// same server-rendered page with the v1 monolith and with v2 (core + every family), each file gzipped
// as a CDN would serve it; then the v2 page with and without the SDK (boot snippet + the SDK bundle) to
// show the SDK's own cost. Loads alternate between variants so machine noise hits all of them alike.
// Each page is measured over HTTP/1.1 (six connections per origin, as a plain server) and over HTTP/2 (one
// multiplexed connection, as a CDN serves it; self-signed certificate made with openssl), because the
// number of round trips, not the bytes, dominates a 562 ms-RTT profile.
// Every measured load also records its waterfall (Navigation/Resource/Paint Timing, plus CDP for sockets
// and bytes on the wire), and a few extra traced loads per variant give the main-thread time (CSS parse,
// style, layout) before FCP: the `waterfall` key, which shows where FCP's time goes.
// The server-decided variants (issue 17, item 6) render the page as token-rollout-tools' server decider
// does for a first visit: the user's decision made on the server, the page's v2 token CSS inline, the boot
// snippet told so, the SDK adopting it. `ssr-tokens` inlines the tokens only (the app's own stylesheet stays
// a render-blocking link); `ssr-critical` inlines the app's CSS too, so the first paint needs no request
// after the HTML; `v1-critical` is its fair baseline: the same page with the v1 monolith linked.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { bundle, bundleSource } from '../e2e/support/bundle.js';
import { createServerDecider, staticServerFlags } from '../packages/tools/src/ssr/index.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { startStaticServer } from '../scripts/serve-static.js';
import { FAMILIES } from '../src/families.js';
import { renderGallery } from '../test-support/gallery/markup.js';
import { SEED_CONFIG_EXTENDED } from '../test-support/seed-config.js';
import type { TokenManifest } from '../tokens/manifest.js';
import { quantile } from './quantile.js';
import type { BenchContext } from './run.js';
import {
  MAIN_THREAD_CATEGORIES,
  type MainThreadKinds,
  type MainThreadTime,
  mainThreadBeforeFcp,
} from './trace-main-thread.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Lighthouse's mobile "slow 4G" applied by DevTools throttling (lighthouse-core/config/constants.js).
const SLOW_4G = {
  latency: 562.5,
  downloadThroughput: (1474.56 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
};
const CPU_RATE = 4;

/** The gallery page with token `links`; `appCss` inlines the app's own stylesheet instead of linking it. */
function page(links: string[], extraHead = '', appCss?: string): string {
  const css = links.map((href) => `<link rel="stylesheet" href="${href}">`).join('');
  const app =
    appCss === undefined
      ? '<link rel="stylesheet" href="/test-support/gallery/components.css">'
      : `<style>${appCss}</style>`;
  return `<!doctype html><html lang="en" data-theme="light" class="theme--light"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>FCP</title>${app}${css}${extraHead}</head><body><main id="gallery">${renderGallery(FAMILIES, 1)}</main></body></html>`;
}

/** Week 4 of the seed: every family on v2, as the v2 pages show. */
const WEEK4 = { ...SEED_CONFIG_EXTENDED['design-tokens-v2'], stage: 'week4' };
const BENCH_USER = { key: 'fcp-bench-user', region: 'AU' };

/**
 * The server-decided page's head and script: the decision for the bench user (the server decider, as an app
 * server calls it), the boot snippet told the page is decided, the tags (v2 inline), and the SDK adopting
 * the decision (bootstrap) with monitoring, as fcp-sdk.ts runs it.
 */
async function serverDecidedPage(boot: string): Promise<{ head: string; sdk: string }> {
  const decider = createServerDecider({
    manifest: JSON.parse(readFileSync(join(root, 'dist/tokens/manifest.json'), 'utf8')) as TokenManifest,
    tokensDir: join(root, 'dist/tokens'),
    tokenBase: '/dist/tokens/',
    flags: staticServerFlags(WEEK4),
  });
  const decision = await decider.decide(BENCH_USER, { inlineV1: true });
  if (decision.errors.length > 0) throw new Error(decision.errors.join('; '));
  const bootTag = `<script data-families="${decision.families.join(',')}" data-decided="${decision.arm}">${boot}</script>`;
  const contents = `import { createStaticFlagSource } from './src/flags/static.js';
import { beaconReporter, createTokenRollout, monitoring } from './src/index.js';
const rollout = createTokenRollout({
  flags: createStaticFlagSource(${JSON.stringify(WEEK4)}),
  user: ${JSON.stringify(BENCH_USER)},
  manifest: '/dist/tokens/manifest.json',
  families: ${JSON.stringify(decision.families)},
  bootstrap: ${JSON.stringify(decision.bootstrap)},
  plugins: [monitoring({ reporters: [beaconReporter({ url: '/collect' })] })],
});
void rollout.ready;`;
  const sdk = await bundleSource(contents, root, 'fcp-ssr-sdk.ts');
  return { head: `${bootTag}${decision.head}`, sdk };
}

/** What the page itself reports (Navigation, Resource and Paint Timing), in ms from navigation start. */
interface PageTiming {
  fcp: number;
  html: { responseEnd: number; protocol: string };
  resources: {
    name: string;
    startTime: number;
    responseEnd: number;
    encodedBodySize: number;
    renderBlocking: boolean;
  }[];
}

/** One request as CDP's Network domain saw it (timestamps in seconds, CDP's monotonic clock). */
interface NetRequest {
  sentAt: number;
  type: string;
  finishedAt?: number;
  connectionId?: number;
  encodedDataLength?: number;
}

/** The critical path of one load. Times are ms from navigation start. */
interface LoadWaterfall {
  htmlResponseEndMs: number;
  /** When the first render-blocking stylesheet was requested (the preload scanner finding the links). */
  firstCssStartMs: number;
  /** responseEnd of the last render-blocking stylesheet: where the network part of FCP ends. */
  lastCssResponseEndMs: number;
  /** The same, from CDP's loadingFinished (relative to the document request): a cross-check on the page's clock. */
  lastCssEndCdpMs: number;
  fcpMs: number;
  /** FCP minus the last CSS end: style, layout and paint once every blocking sheet is in. */
  renderMs: number;
  renderBlockingRequests: number;
  /** Requests (the document aside) started before first paint. */
  requestsBeforeFcp: number;
  /** Sequential round trips on the critical path: HTML, then each wave of blocking CSS responses. */
  criticalRoundTrips: number;
  /** Distinct sockets (CDP connectionId) over every request of the page. */
  connections: number;
  /** Bytes on the wire for every stylesheet (headers included, gzip bodies). */
  cssTransferBytes: number;
  /** Gzip body bytes of the stylesheets (Resource Timing encodedBodySize). */
  cssBodyBytes: number;
}

function waterfallOf(timing: PageTiming, net: Map<string, NetRequest>, url: string): LoadWaterfall {
  const blocking = timing.resources.filter((r) => r.renderBlocking);
  // With every stylesheet inline (the server-decided page) the HTML is the last thing paint waits for.
  const lastCss =
    blocking.length > 0 ? Math.max(...blocking.map((r) => r.responseEnd)) : timing.html.responseEnd;
  const doc = net.get(url);
  const cdpEnds = blocking.map((r) => net.get(r.name)?.finishedAt ?? Number.NaN);
  // Responses closer together than half an RTT arrived in the same round trip; a larger gap means a
  // request had to wait for an earlier one (HTML first, then a free HTTP/1.1 connection).
  const ends = [timing.html.responseEnd, ...blocking.map((r) => r.responseEnd)].sort((a, b) => a - b);
  const roundTrips = ends.filter((t, i) => i === 0 || t - (ends[i - 1] ?? t) > SLOW_4G.latency / 2).length;
  const requests = [...net.values()];
  const css = requests.filter((r) => r.type === 'Stylesheet');
  return {
    htmlResponseEndMs: timing.html.responseEnd,
    firstCssStartMs: Math.min(...blocking.map((r) => r.startTime)),
    lastCssResponseEndMs: lastCss,
    lastCssEndCdpMs: doc ? (Math.max(...cdpEnds) - doc.sentAt) * 1000 : Number.NaN,
    fcpMs: timing.fcp,
    renderMs: timing.fcp - lastCss,
    renderBlockingRequests: blocking.length,
    requestsBeforeFcp: timing.resources.filter((r) => r.startTime < timing.fcp).length,
    criticalRoundTrips: roundTrips,
    connections: new Set(requests.map((r) => r.connectionId).filter((id) => id !== undefined)).size,
    cssTransferBytes: css.reduce((sum, r) => sum + (r.encodedDataLength ?? 0), 0),
    cssBodyBytes: blocking.reduce((sum, r) => sum + r.encodedBodySize, 0),
  };
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
  const ssr = await serverDecidedPage(boot);
  const appCss = readFileSync(join(root, 'test-support/gallery/components.css'), 'utf8');
  const ssrScript = '<script type="module" src="/ssr-sdk.js"></script>';
  const pages: Record<string, string> = {
    '/v1.html': page(v1Links),
    '/v2.html': page(v2Links),
    '/v2-sdk.html': page(v2Links, `<script>${boot}</script><script type="module" src="/sdk.js"></script>`),
    '/ssr-tokens.html': page([], `${ssr.head}${ssrScript}`),
    '/ssr-critical.html': page([], `${ssr.head}${ssrScript}`, appCss),
    '/v1-critical.html': page(v1Links, '', appCss),
  };
  const gz = new Map<string, Buffer>();
  /** The body of a path, gzipped as a CDN would (cached), or undefined for a 404. */
  const asset = (path: string): { type: string; body: Buffer } | undefined => {
    const html = pages[path];
    const make = (): { type: string; raw: string | Buffer } | undefined => {
      if (html) return { type: 'text/html; charset=utf-8', raw: html };
      if (path === '/sdk.js') return { type: 'text/javascript', raw: sdkJs };
      if (path === '/ssr-sdk.js') return { type: 'text/javascript', raw: ssr.sdk };
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
  const variants = ['v1', 'v2', 'v2-sdk', 'ssr-tokens', 'ssr-critical', 'v1-critical'] as const;
  const samples: Record<string, number[]> = {};
  /** What the last counted load of each variant requested before its first paint. */
  const beforePaint: Record<string, string[]> = {};
  const waterfalls: Record<string, LoadWaterfall[]> = {};
  const cpu: Record<string, MainThreadTime[]> = {};
  for (const protocol of Object.keys(servers))
    for (const v of variants) {
      samples[`${protocol}:${v}`] = [];
      waterfalls[`${protocol}:${v}`] = [];
      cpu[`${protocol}:${v}`] = [];
    }
  /** One cold load of a variant: FCP plus its waterfall; with `trace`, also main-thread time before FCP. */
  const measure = async (key: string, trace: boolean) => {
    const [protocol, variant] = key.split(':') as ['h1' | 'h2', string];
    const context = await browser.newContext({
      viewport: { width: 412, height: 823 },
      deviceScaleFactor: 1,
      ignoreHTTPSErrors: true,
    });
    try {
      const tab = await context.newPage();
      const cdp = await context.newCDPSession(tab);
      // CDP gives what the page cannot see: the socket each response came on and its bytes on the wire.
      const net = new Map<string, NetRequest>();
      const byId = new Map<string, string>();
      cdp.on('Network.requestWillBeSent', (e) => {
        byId.set(e.requestId, e.request.url);
        net.set(e.request.url, { sentAt: e.timestamp, type: e.type ?? 'Other' });
      });
      cdp.on('Network.responseReceived', (e) => {
        const r = net.get(e.response.url);
        if (r) r.connectionId = e.response.connectionId;
      });
      cdp.on('Network.loadingFinished', (e) => {
        const r = net.get(byId.get(e.requestId) ?? '');
        if (r) {
          r.finishedAt = e.timestamp;
          r.encodedDataLength = e.encodedDataLength;
        }
      });
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_RATE });
      if (trace) await browser.startTracing(tab, { categories: [...MAIN_THREAD_CATEGORIES] });
      const url = `${servers[protocol]}/${variant}.html`;
      await tab.goto(url, { waitUntil: 'load' });
      const fcpMs = await tab.evaluate(
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
      // A separate evaluate with no named functions inside: tsx's keepNames would wrap them in a
      // `__name` helper that does not exist in the page.
      const entries = await tab.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        // renderBlockingStatus (Chromium 107+) is not in TypeScript's DOM lib yet.
        const resources = performance.getEntriesByType('resource') as (PerformanceResourceTiming & {
          renderBlockingStatus?: string;
        })[];
        return {
          html: { responseEnd: nav.responseEnd, protocol: nav.nextHopProtocol },
          resources: resources.map((r) => ({
            name: r.name,
            startTime: r.startTime,
            responseEnd: r.responseEnd,
            encodedBodySize: r.encodedBodySize,
            renderBlocking: r.renderBlockingStatus
              ? r.renderBlockingStatus === 'blocking'
              : r.initiatorType === 'link' && r.name.endsWith('.css'),
          })),
        };
      });
      const timing: PageTiming = { fcp: fcpMs, ...entries };
      const waterfall = waterfallOf(timing, net, url);
      let traced: MainThreadTime | undefined;
      if (trace) {
        const buffer = await browser.stopTracing();
        // FCP_TRACE_DIR=dir keeps the raw traces, to open in DevTools' Performance panel.
        const dir = process.env.FCP_TRACE_DIR;
        if (dir) writeFileSync(join(dir, `fcp-${protocol}-${variant}-${Date.now()}.json`), buffer);
        traced = mainThreadBeforeFcp(buffer, waterfall.renderMs);
      }
      const beforePaint = timing.resources
        .filter((r) => r.startTime < timing.fcp)
        .map((r) => `${new URL(r.name).pathname}${r.renderBlocking ? ' (render-blocking)' : ''}`);
      return { fcp: timing.fcp, waterfall, cpu: traced, beforePaint };
    } finally {
      await context.close();
    }
  };
  // Traced loads are extra rounds, spread through the run (a burst at the end would catch one spike
  // of machine load), and never counted in the FCP figures: tracing slows the main thread a little.
  // Main-thread figures are noisier than FCP (they include the pre-CSS style/layout pass Blink runs
  // on the unstyled body while the sheets are in flight), hence five rounds.
  const tracedRounds = quick ? 2 : 5;
  const every = Math.max(1, Math.floor(loads / tracedRounds));
  const rounds: { trace: boolean; counted: boolean }[] = [];
  for (let i = 0; i <= loads; i++) {
    // The first round warms the server's gzip cache and Chromium's process pool: not counted.
    rounds.push({ trace: false, counted: i > 0 });
    if (i > 0 && i % every === 0 && rounds.filter((r) => r.trace).length < tracedRounds)
      rounds.push({ trace: true, counted: false });
  }
  try {
    for (const { trace, counted } of rounds) {
      for (const key of Object.keys(samples)) {
        const load = await measure(key, trace);
        if (trace) {
          if (load.cpu) cpu[key]?.push(load.cpu);
        } else if (counted) {
          samples[key]?.push(load.fcp);
          waterfalls[key]?.push(load.waterfall);
          beforePaint[key] = load.beforePaint;
        }
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
  /** The server-decided pages against the v1 page (as measured) and against v1 with the app CSS inline. */
  const serverDecidedOf = (protocol: string) => {
    const ssr = median(`${protocol}:ssr-critical`);
    const before = (variant: string) =>
      Math.round(
        quantile(
          (waterfalls[`${protocol}:${variant}`] ?? []).map((w) => w.requestsBeforeFcp),
          0.5,
        ),
      );
    return {
      fcpMedianMs: ssr,
      fcpP95Ms: p95(`${protocol}:ssr-critical`),
      ratioToV1: Number((ssr / median(`${protocol}:v1`)).toFixed(3)),
      ratioToV1SameAppCss: Number((ssr / median(`${protocol}:v1-critical`)).toFixed(3)),
      requestsBeforeFirstPaint: before('ssr-critical'),
      requestedBeforeFirstPaint: beforePaint[`${protocol}:ssr-critical`] ?? [],
      renderBlockingRequests: Math.round(
        quantile(
          (waterfalls[`${protocol}:ssr-critical`] ?? []).map((w) => w.renderBlockingRequests),
          0.5,
        ),
      ),
      v1SameAppCssMedianMs: median(`${protocol}:v1-critical`),
      v1SameAppCssRequestsBeforeFirstPaint: before('v1-critical'),
      tokensOnlyInlineMedianMs: median(`${protocol}:ssr-tokens`),
      tokensOnlyInlineRequestsBeforeFirstPaint: before('ssr-tokens'),
    };
  };
  const serverDecided = { h1: serverDecidedOf('h1'), h2: serverDecidedOf('h2'), goalFcpMs: 1000 };
  // Medians per field over the measured loads (waterfall) and the traced loads (main thread).
  // Medians per field over the measured loads (waterfall) and the traced loads (main thread, 0.1 ms).
  const medians = <T extends object>(rows: readonly T[], digits = 0) => {
    const out: Record<string, number> = {};
    for (const field of Object.keys(rows[0] ?? {}) as (keyof T & string)[])
      out[field] = Number(
        quantile(
          rows.map((r) => Number(r[field])),
          0.5,
        ).toFixed(digits),
      );
    return out as { [K in keyof T]: number };
  };
  const waterfallFor = (protocol: string) =>
    Object.fromEntries(
      variants.map((v) => {
        const key = `${protocol}:${v}`;
        const traced = cpu[key] ?? [];
        return [
          v,
          {
            ...medians(waterfalls[key] ?? []),
            mainThread: {
              tracedLoads: traced.length,
              beforeFcp: medians(
                traced.map((t) => t.beforeFcp),
                1,
              ),
              afterLastCss: medians(
                traced.map((t) => t.afterLastCss),
                1,
              ),
              tracedRenderMs: Math.round(
                quantile(
                  traced.map((t) => t.renderWindowMs),
                  0.5,
                ),
              ),
              tracedFcpMs: Math.round(
                quantile(
                  traced.map((t) => t.fcpMs),
                  0.5,
                ),
              ),
            },
          },
        ];
      }),
    ) as Record<
      (typeof variants)[number],
      ReturnType<typeof medians<LoadWaterfall>> & {
        mainThread: {
          tracedLoads: number;
          beforeFcp: MainThreadKinds;
          afterLastCss: MainThreadKinds;
          tracedRenderMs: number;
          tracedFcpMs: number;
        };
      }
    >;
  const waterfall = { rttMs: SLOW_4G.latency, h1: waterfallFor('h1'), h2: waterfallFor('h2') };
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
    // Issue 17, item 6: a first visit decided on the server with the critical CSS inline.
    serverDecided,
    waterfall,
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
      page: 'server-decided, tokens inline (app CSS linked)',
      http1: serverDecided.h1.tokensOnlyInlineMedianMs,
      http2: serverDecided.h2.tokensOnlyInlineMedianMs,
    },
    {
      page: 'server-decided, all CSS inline',
      http1: `${serverDecided.h1.fcpMedianMs} (${serverDecided.h1.fcpP95Ms})`,
      http2: `${serverDecided.h2.fcpMedianMs} (${serverDecided.h2.fcpP95Ms})`,
    },
    { page: '  ratio to the v1 page', http1: serverDecided.h1.ratioToV1, http2: serverDecided.h2.ratioToV1 },
    {
      page: '  ratio to v1 with the app CSS inline',
      http1: serverDecided.h1.ratioToV1SameAppCss,
      http2: serverDecided.h2.ratioToV1SameAppCss,
    },
    {
      page: '  requests before first paint',
      http1: serverDecided.h1.requestsBeforeFirstPaint,
      http2: serverDecided.h2.requestsBeforeFirstPaint,
    },
    {
      page: 'SDK cost (ms, share)',
      http1: `${http1.sdkCostMs} (${http1.sdkCostShare})`,
      http2: `${http2.sdkCostMs} (${http2.sdkCostShare})`,
    },
  ]);
  const label = {
    v1: 'v1',
    v2: 'v2',
    'v2-sdk': 'v2+SDK',
    'ssr-tokens': 'server, tokens inline',
    'ssr-critical': 'server, all CSS inline',
    'v1-critical': 'v1, app CSS inline',
  } as const;
  ctx.table(
    `Waterfall, median of ${loads} loads, ms from navigation start (rtts: round trips on the critical path; ` +
      `conns: sockets; cssParse/style/layout/busy: main thread before FCP, and after the last CSS response, ` +
      `median of ${tracedRounds} traced loads)`,
    (['h1', 'h2'] as const).flatMap((protocol) =>
      variants.map((v) => {
        const w = waterfall[protocol][v];
        const { beforeFcp: m, afterLastCss: r } = w.mainThread;
        return {
          page: `${protocol} ${label[v]}`,
          htmlEnd: w.htmlResponseEndMs,
          cssStart: w.firstCssStartMs,
          lastCssEnd: w.lastCssResponseEndMs,
          fcp: w.fcpMs,
          'fcp-css': w.renderMs,
          blocking: w.renderBlockingRequests,
          rtts: w.criticalRoundTrips,
          conns: w.connections,
          cssKB: Number((w.cssTransferBytes / 1024).toFixed(1)),
          cssParse: m.cssParseMs,
          style: m.styleMs,
          layout: m.layoutMs,
          busy: m.busyMs,
          'style+layout after css': Number((r.styleMs + r.layoutMs).toFixed(1)),
          'busy after css': r.busyMs,
        };
      }),
    ),
  );
  return result;
}

// Theme switch on the token gallery (~2,000 elements): v2's one-attribute switch against v1's legacy
// class mechanism, both through `window.gallery.setTheme`, at 1x and 4x CPU throttling. Each sample is
// the time from the call to the next painted frame, measured in the page with the SDK's own
// `afterNextPaint` (src/theme/next-paint.ts: rAF, then a MessageChannel task). v1 and v2 batches are
// interleaved so machine noise hits both alike; the ratio v2/v1 is the figure to compare.
// Also writes `bootGzipBytes`: the shipped boot snippet (rollup + terser), gzip -9.

import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { bootIife } from '../rollup.config.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { startStaticServer } from '../scripts/serve-static.js';
import { quantile } from './quantile.js';
import type { BenchContext } from './run.js';

const REPEAT = Number(process.env.THEME_BENCH_N ?? 10);
const ROUNDS = 4;
const PER_BATCH = 10;
const WARMUP = 4;

const round2 = (n: number) => Math.round(n * 100) / 100;

async function bootSize(): Promise<{ bootBytes: number; bootGzipBytes: number }> {
  const plugin = bootIife() as unknown as { load(id: string): Promise<string> };
  const code = JSON.parse(
    (await plugin.load('\0virtual:boot-iife')).slice('export default '.length, -1),
  ) as string;
  return { bootBytes: Buffer.byteLength(code), bootGzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

async function nextPaintScript(): Promise<string> {
  const out = await build({
    entryPoints: ['src/theme/next-paint.ts'],
    bundle: true,
    format: 'iife',
    globalName: '__nextPaint',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

async function openGallery(browser: Browser, base: string, version: 1 | 2, script: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base}/demo/gallery/index.html?v=${version}&theme=light&n=${REPEAT}`);
  await page.waitForFunction(() => document.documentElement.dataset.galleryReady === 'true', null, {
    timeout: 60_000,
  });
  const error = await page.evaluate(() => document.documentElement.dataset.galleryError);
  if (error) throw new Error(`gallery v${version}: ${error}`);
  await page.addScriptTag({ content: script });
  return page;
}

/** `count` alternating switches; returns each one's ms from the call to the next painted frame. */
async function switches(page: Page, count: number): Promise<number[]> {
  // Only the foreground tab renders at full rate.
  await page.bringToFront();
  return page.evaluate(async (n) => {
    const w = window as unknown as {
      gallery: { setTheme(t: string): void };
      __nextPaint: { afterNextPaint(clock: Window): Promise<number> };
    };
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const theme = document.documentElement.matches('[data-theme="dark"], .theme--dark') ? 'light' : 'dark';
      const start = performance.now();
      w.gallery.setTheme(theme);
      out.push((await w.__nextPaint.afterNextPaint(window)) - start);
      // Let the page idle a frame so one switch's work does not spill into the next sample.
      await new Promise((r) => setTimeout(r, 30));
    }
    return out;
  }, count);
}

interface Figures {
  v2MedianMs: number;
  v2P95Ms: number;
  v1MedianMs: number;
  v1P95Ms: number;
  ratioP95: number;
  ratioMedian: number;
  samples: number;
}

async function measure(v2: Page, v1: Page, rate: number): Promise<Figures> {
  const samples: Record<'v1' | 'v2', number[]> = { v1: [], v2: [] };
  const pages = { v2, v1 };
  for (const [name, page] of Object.entries(pages) as Array<['v1' | 'v2', Page]>) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await switches(page, WARMUP);
    samples[name] = [];
  }
  for (let r = 0; r < ROUNDS; r++) {
    samples.v2.push(...(await switches(v2, PER_BATCH)));
    samples.v1.push(...(await switches(v1, PER_BATCH)));
  }
  const s2 = [...samples.v2].sort((a, b) => a - b);
  const s1 = [...samples.v1].sort((a, b) => a - b);
  const f = {
    v2MedianMs: round2(quantile(s2, 0.5)),
    v2P95Ms: round2(quantile(s2, 0.95)),
    v1MedianMs: round2(quantile(s1, 0.5)),
    v1P95Ms: round2(quantile(s1, 0.95)),
    ratioP95: 0,
    ratioMedian: 0,
    samples: s2.length,
  };
  f.ratioP95 = round2(f.v2P95Ms / f.v1P95Ms);
  f.ratioMedian = round2(f.v2MedianMs / f.v1MedianMs);
  return f;
}

export default async function themeSwitch(ctx: BenchContext): Promise<Record<string, unknown>> {
  const boot = await bootSize();
  const server = await startStaticServer();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const script = await nextPaintScript();
    const v2 = await openGallery(browser, server.url, 2, script);
    const v1 = await openGallery(browser, server.url, 1, script);
    const elements = await v2.evaluate(() => document.querySelectorAll('#gallery *').length);
    const x1 = await measure(v2, v1, 1);
    const x4 = await measure(v2, v1, 4);
    ctx.table(`theme switch, call to next painted frame (${elements} gallery elements, ms)`, [
      { throttle: '1x', ...x1 },
      { throttle: '4x', ...x4 },
    ]);
    ctx.table('boot snippet', [boot]);
    return { elements, repeat: REPEAT, ...x1, throttle4x: x4, ...boot };
  } finally {
    await browser.close();
    await server.close();
  }
}

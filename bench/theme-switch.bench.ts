// Theme switch on the token gallery (~2,750 elements): v2's one-attribute switch against v1's legacy
// class mechanism, both through `window.gallery.setTheme`, at 1x and 4x CPU throttling. The headline
// sample is the time from the call to the next painted frame, measured in the page with the SDK's own
// `afterNextPaint` (src/theme/next-paint.ts: rAF, then a MessageChannel task); a second timing starts the
// switch at a frame's start, so it shows the work the switch adds to its frame without the wait for the
// frame, and a no-op change measures that wait alone (see `Timing`). v1 and v2 batches are interleaved
// so machine noise hits both alike; the ratio v2/v1 is the figure to compare.
// The same comparison runs on the gallery with `content-visibility: auto` sections (the page set-up web.dev
// recommends for long pages), and a profile explains the figures: forced style+layout per switch for
// controlled changes on <html> (an unused custom property, an inherited colour, each theme mechanism, with
// and without transitions) and a Chrome trace split of the switch frame's main-thread work.
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

/** Off-screen sections skip style, layout and paint until scrolled near (style containment). */
const CONTENT_VISIBILITY_CSS =
  '.gallery-section { content-visibility: auto; contain-intrinsic-size: auto 480px; }';
const NO_TRANSITIONS_CSS = '*, *::before, *::after { transition: none !important; }';

async function openGallery(
  browser: Browser,
  base: string,
  version: 1 | 2,
  script: string,
  extraCss = '',
): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base}/test-support/gallery/index.html?v=${version}&theme=light&n=${REPEAT}`);
  await page.waitForFunction(() => document.documentElement.dataset.galleryReady === 'true', null, {
    timeout: 60_000,
  });
  const error = await page.evaluate(() => document.documentElement.dataset.galleryError);
  if (error) throw new Error(`gallery v${version}: ${error}`);
  await page.addScriptTag({ content: script });
  if (extraCss) await page.addStyleTag({ content: extraCss });
  return page;
}

/**
 * How a sample is timed. `call`: from the call to the next painted frame, as `setTheme` reports it (it
 * includes the wait for the frame, up to 16.7 ms at 60 Hz). `frame-start`: the switch is made at the
 * start of a frame (in a rAF callback, as rAF-aligned input is) and timed to the end of that frame's
 * rendering: the work the switch adds to its frame, which is what "fits in one frame" means. `noop`:
 * `call` timing for a change no rule reads, the floor that waiting for the frame alone costs.
 */
type Timing = 'call' | 'frame-start' | 'noop';

/** `count` alternating switches; returns each one's ms as `timing` defines it. */
async function switches(page: Page, count: number, timing: Timing = 'call'): Promise<number[]> {
  // Only the foreground tab renders at full rate.
  await page.bringToFront();
  return page.evaluate(
    async ({ n, timing }) => {
      const w = window as unknown as {
        gallery: { setTheme(t: string): void };
        __nextPaint: { afterNextPaint(clock: Window): Promise<number> };
      };
      const root = document.documentElement;
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const theme = root.matches('[data-theme="dark"], .theme--dark') ? 'light' : 'dark';
        if (timing === 'frame-start') {
          out.push(
            await new Promise<number>((resolve) => {
              requestAnimationFrame(() => {
                const start = performance.now();
                w.gallery.setTheme(theme);
                // A task posted from rAF runs once this frame's style, layout and paint are done.
                const channel = new MessageChannel();
                channel.port1.onmessage = () => {
                  channel.port1.close();
                  resolve(performance.now() - start);
                };
                channel.port2.postMessage(undefined);
              });
            }),
          );
        } else {
          const start = performance.now();
          if (timing === 'noop') root.dataset.benchNoop = String(i);
          else w.gallery.setTheme(theme);
          out.push((await w.__nextPaint.afterNextPaint(window)) - start);
        }
        // Let the page idle a frame so one switch's work does not spill into the next sample.
        await new Promise((r) => setTimeout(r, 30));
      }
      return out;
    },
    { n: count, timing },
  );
}

/** A change to <html> whose style+layout cost the profile isolates. */
type Change = 'theme' | 'unused-custom-property' | 'inherited-color';

/** Median ms of `change` plus a forced style+layout (`offsetHeight`), alternating values, after warm-up. */
async function forcedRecalc(page: Page, change: Change, count = 30): Promise<number> {
  await page.bringToFront();
  const samples = await page.evaluate(
    async ({ change, count }) => {
      const w = window as unknown as { gallery: { setTheme(t: string): void } };
      const root = document.documentElement;
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        const on = i % 2 === 0;
        const start = performance.now();
        if (change === 'theme') w.gallery.setTheme(on ? 'dark' : 'light');
        else if (change === 'unused-custom-property')
          root.style.setProperty('--bench-unused', on ? '1' : '2');
        else root.style.color = on ? 'rgb(1, 2, 3)' : 'rgb(3, 2, 1)';
        void document.body.offsetHeight;
        out.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 30));
      }
      return out.slice(4);
    },
    { change, count },
  );
  return round2(
    quantile(
      [...samples].sort((a, b) => a - b),
      0.5,
    ),
  );
}

/** Main-thread trace events of a rendering frame, summed per switch (ms) over `count` switches. */
const TRACE_PHASES = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit'] as const;

async function traceSplit(browser: Browser, page: Page, count = 10): Promise<Record<string, number>> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  await switches(page, count);
  const trace = JSON.parse((await browser.stopTracing()).toString()) as {
    traceEvents: Array<{ name: string; ph: string; dur?: number }>;
  };
  const sums: Record<string, number> = Object.fromEntries(TRACE_PHASES.map((p) => [p, 0]));
  for (const e of trace.traceEvents) {
    if (e.ph === 'X' && e.dur && (TRACE_PHASES as readonly string[]).includes(e.name)) {
      sums[e.name] = (sums[e.name] ?? 0) + e.dur / 1000;
    }
  }
  const total = Object.values(sums).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const [phase, ms] of Object.entries(sums)) out[`${phase}Share`] = round2(ms / total);
  out.tracedMsPerSwitch = round2(total / count);
  return out;
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

async function measure(v2: Page, v1: Page, rate: number, timing: Timing = 'call'): Promise<Figures> {
  const samples: Record<'v1' | 'v2', number[]> = { v1: [], v2: [] };
  const pages = { v2, v1 };
  for (const [name, page] of Object.entries(pages) as Array<['v1' | 'v2', Page]>) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await switches(page, WARMUP, timing);
    samples[name] = [];
  }
  for (let r = 0; r < ROUNDS; r++) {
    samples.v2.push(...(await switches(v2, PER_BATCH, timing)));
    samples.v1.push(...(await switches(v1, PER_BATCH, timing)));
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
    const open = (version: 1 | 2, css = '') => openGallery(browser, server.url, version, script, css);
    const v2 = await open(2);
    const v1 = await open(1);
    const elements = await v2.evaluate(() => document.querySelectorAll('#gallery *').length);
    const x1 = await measure(v2, v1, 1);
    const x4 = await measure(v2, v1, 4);
    const frameX1 = await measure(v2, v1, 1, 'frame-start');
    const frameX4 = await measure(v2, v1, 4, 'frame-start');
    const noop = await measure(v2, v1, 1, 'noop');
    await Promise.all([v2.close(), v1.close()]);

    // Profile on fresh pages (no throttling): what a switch costs and where it goes.
    const profile: Record<string, number> = {};
    const pagesFor = async (css: string) => ({ v2: await open(2, css), v1: await open(1, css) });
    const plain = await pagesFor('');
    profile.inheritedColorMs = await forcedRecalc(plain.v2, 'inherited-color');
    profile.unusedCustomPropertyMs = await forcedRecalc(plain.v2, 'unused-custom-property');
    profile.v2ThemeMs = await forcedRecalc(plain.v2, 'theme');
    profile.v1ThemeMs = await forcedRecalc(plain.v1, 'theme');
    const v2Trace = await traceSplit(browser, plain.v2);
    const v1Trace = await traceSplit(browser, plain.v1);
    await Promise.all([plain.v2.close(), plain.v1.close()]);
    const still = await pagesFor(NO_TRANSITIONS_CSS);
    profile.v2ThemeNoTransitionsMs = await forcedRecalc(still.v2, 'theme');
    profile.v1ThemeNoTransitionsMs = await forcedRecalc(still.v1, 'theme');
    await Promise.all([still.v2.close(), still.v1.close()]);
    const cv = await pagesFor(CONTENT_VISIBILITY_CSS);
    profile.v2ThemeContentVisibilityMs = await forcedRecalc(cv.v2, 'theme');
    profile.v1ThemeContentVisibilityMs = await forcedRecalc(cv.v1, 'theme');

    // The frame-level comparison again on the content-visibility page.
    const cvX1 = await measure(cv.v2, cv.v1, 1);
    const cvX4 = await measure(cv.v2, cv.v1, 4);
    const cvFrameX1 = await measure(cv.v2, cv.v1, 1, 'frame-start');
    const cvFrameX4 = await measure(cv.v2, cv.v1, 4, 'frame-start');

    ctx.table(`theme switch (${elements} gallery elements, ms)`, [
      { page: 'all rendered', timing: 'call', throttle: '1x', ...x1 },
      { page: 'all rendered', timing: 'call', throttle: '4x', ...x4 },
      { page: 'all rendered', timing: 'frame-start', throttle: '1x', ...frameX1 },
      { page: 'all rendered', timing: 'frame-start', throttle: '4x', ...frameX4 },
      { page: 'content-visibility', timing: 'call', throttle: '1x', ...cvX1 },
      { page: 'content-visibility', timing: 'call', throttle: '4x', ...cvX4 },
      { page: 'content-visibility', timing: 'frame-start', throttle: '1x', ...cvFrameX1 },
      { page: 'content-visibility', timing: 'frame-start', throttle: '4x', ...cvFrameX4 },
      { page: 'no-op change (frame wait)', timing: 'call', throttle: '1x', ...noop },
    ]);
    ctx.table('profile: forced style+layout per change on <html>, median ms (1x)', [profile]);
    ctx.table('profile: share of the traced main-thread rendering work per switch (1x)', [
      { version: 'v2', ...v2Trace },
      { version: 'v1', ...v1Trace },
    ]);
    ctx.table('boot snippet', [boot]);
    return {
      elements,
      repeat: REPEAT,
      ...x1,
      throttle4x: x4,
      frameStart: { ...frameX1, throttle4x: frameX4 },
      noopFrameWait: {
        v2MedianMs: noop.v2MedianMs,
        v2P95Ms: noop.v2P95Ms,
        v1MedianMs: noop.v1MedianMs,
        v1P95Ms: noop.v1P95Ms,
      },
      contentVisibility: { ...cvX1, throttle4x: cvX4, frameStart: { ...cvFrameX1, throttle4x: cvFrameX4 } },
      profile: { ...profile, trace: { v2: v2Trace, v1: v1Trace } },
      ...boot,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

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
//
// Mechanisms (issue 20): on the gallery WITHOUT content-visibility, each way to switch the v2 theme
// (`attribute`, `suppress-transitions`, `view-transition`, `light-dark`, and `finish-transitions`;
// bench/theme-switch-page.ts), v1's legacy class, and v1 under suppression, interleaved in one run at 1x
// and 4x: p95 from the call until the new theme is FULLY painted (the end of the last transition or view
// transition, then that frame's paint), and the median main-thread busy ms in the 300 ms after the call
// (a Chrome trace: the union of top-level `ThreadControllerImpl::RunTask` on the page's renderer main
// thread; bench/trace-windows.ts), with its split by kind. Each mechanism's settled pixels are compared
// with `attribute`'s (full-page screenshots, both themes). The `light-dark` page loads a token variant
// rendered by tokens/css-v2-light-dark.ts, served from memory. For the mechanisms that paint in one
// frame, their forced work (switch + forced style and layout, no frame) is compared as well, on the
// v2 and v1 pages. `shipped` names the winner (see chooseShipped).
// The top-level "call to next paint" figures (v2P95Ms, throttle4x…) are the first frame of the
// `attribute` and `v1:legacy-class` samples.
// Also writes `bootGzipBytes`: the shipped boot snippet (rollup + terser), gzip -9.

import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, type CDPSession, chromium, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { PNG } from 'pngjs';
import { startGalleryServer } from '../e2e/support/gallery.js';
import { bootIife } from '../rollup.config.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { FAMILIES } from '../src/families.js';
import { renderV2LightDark } from '../tokens/css-v2-light-dark.js';
import { manifestEntry } from '../tokens/emit.js';
import { loadTokens } from '../tokens/load.js';
import type { ManifestFile, TokenManifest } from '../tokens/manifest.js';
import { THEMES } from '../tokens/model.js';
import { quantile } from './quantile.js';
import type { BenchContext } from './run.js';
import type { Mechanism, Sample, Timed } from './theme-switch-page.js';
import { WINDOW_CATEGORIES, type WindowKinds, windowsAfterMarks } from './trace-windows.js';

const REPEAT = Number(process.env.THEME_BENCH_N ?? 10);
const ROUNDS = 3;
const PER_BATCH = 10;
const WARMUP = 4;
/** Mechanisms: timed switches per candidate per throttle, in blocks of rounds per page; warm-up; traced. */
const MECH_SAMPLES = Number(process.env.THEME_BENCH_MECH_SAMPLES ?? 30);
const MECH_BLOCK = 5;
const MECH_WARMUP = 2;
const MECH_TRACED = Number(process.env.THEME_BENCH_MECH_TRACED ?? 6);
/** The mechanisms that paint the new theme in one frame, whose forced work is compared too. */
const FORCED_MECHANISMS: readonly Mechanism[] = [
  'suppress-transitions',
  'suppress-until-painted',
  'finish-transitions',
];
const FORCED_ROUNDS = 30;
/** The window after the call in which main-thread time is summed. */
const WINDOW_MS = 300;
/** Goals for the shipped mechanism (issue 20; the plan's trigger at 4x). */
const GOAL_P95_1X = 50;
const GOAL_P95_4X = 100;

const root = fileURLToPath(new URL('..', import.meta.url));
const round2 = (n: number) => Math.round(n * 100) / 100;

async function bootSize(): Promise<{ bootBytes: number; bootGzipBytes: number }> {
  const plugin = bootIife() as unknown as { load(id: string): Promise<string> };
  const code = JSON.parse(
    (await plugin.load('\0virtual:boot-iife')).slice('export default '.length, -1),
  ) as string;
  return { bootBytes: Buffer.byteLength(code), bootGzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

async function iife(entry: string, globalName: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

/** The SDK's `afterNextPaint` as `window.__nextPaint`, and the mechanisms as `window.__themeBench`. */
async function pageScript(): Promise<string> {
  const dir = dirname(fileURLToPath(import.meta.url));
  return (
    (await iife(join(root, 'src/theme/next-paint.ts'), '__nextPaint')) +
    (await iife(join(dir, 'theme-switch-page.ts'), '__themeBench'))
  );
}

/** Where the light-dark token variant is served (from memory): a manifest and its v2 files. */
const LIGHT_DARK_BASE = '/bench-tokens/light-dark/';

/** The v2 token files rendered with light-dark() (tokens/css-v2-light-dark.ts), keyed by URL path. */
async function lightDarkTokens(): Promise<{
  files: Map<string, string>;
  unsupported: string[];
  bytes: number;
}> {
  const tokens = await loadTokens(join(root, 'tokens'), root);
  const files = new Map<string, string>();
  const entries: ManifestFile[] = [];
  const unsupported: string[] = [];
  let bytes = 0;
  for (const family of ['core', ...FAMILIES] as const) {
    const out = renderV2LightDark(tokens, family);
    const entry = manifestEntry(family, 'v2', family, out.css);
    files.set(`${LIGHT_DARK_BASE}${entry.file}`, out.css);
    entries.push(entry);
    unsupported.push(...out.unsupported);
    bytes += entry.bytes;
  }
  const manifest: TokenManifest = {
    schema: 1,
    themes: [...THEMES],
    files: entries,
    tokens: { count: tokens.length },
  };
  files.set(`${LIGHT_DARK_BASE}manifest.json`, JSON.stringify(manifest));
  return { files, unsupported, bytes };
}

/** Off-screen sections skip style, layout and paint until scrolled near (style containment). */
const CONTENT_VISIBILITY_CSS =
  '.gallery-section { content-visibility: auto; contain-intrinsic-size: auto 480px; }';
const NO_TRANSITIONS_CSS = '*, *::before, *::after { transition: none !important; }';

interface OpenOptions {
  extraCss?: string;
  /** Manifest URL path (default: the build's dist/tokens/manifest.json). */
  manifest?: string;
  repeat?: number;
}

async function openGallery(
  browser: Browser,
  base: string,
  version: 1 | 2,
  script: string,
  options: OpenOptions = {},
): Promise<Page> {
  const page = await browser.newPage();
  const manifest = options.manifest ? `&manifest=${encodeURIComponent(options.manifest)}` : '';
  await page.goto(
    `${base}/test-support/gallery/index.html?v=${version}&theme=light&n=${options.repeat ?? REPEAT}${manifest}`,
  );
  await page.waitForFunction(() => document.documentElement.dataset.galleryReady === 'true', null, {
    timeout: 60_000,
  });
  const error = await page.evaluate(() => document.documentElement.dataset.galleryError);
  if (error) throw new Error(`gallery v${version}: ${error}`);
  await page.addScriptTag({ content: script });
  if (options.extraCss) await page.addStyleTag({ content: options.extraCss });
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

/** The v2/v1 comparison figures from two sample lists. */
function figures(v2: readonly number[], v1: readonly number[]): Figures {
  const f = {
    v2MedianMs: round2(quantile(v2, 0.5)),
    v2P95Ms: round2(quantile(v2, 0.95)),
    v1MedianMs: round2(quantile(v1, 0.5)),
    v1P95Ms: round2(quantile(v1, 0.95)),
    ratioP95: 0,
    ratioMedian: 0,
    samples: v2.length,
  };
  f.ratioP95 = round2(f.v2P95Ms / f.v1P95Ms);
  f.ratioMedian = round2(f.v2MedianMs / f.v1MedianMs);
  return f;
}

/** One CDP session per page, kept open: the throttling rate is lifted when its session detaches. */
const sessions = new WeakMap<Page, CDPSession>();

async function throttle(page: Page, rate: number): Promise<void> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    sessions.set(page, cdp);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

async function measure(v2: Page, v1: Page, rate: number, timing: Timing = 'call'): Promise<Figures> {
  const samples: Record<'v1' | 'v2', number[]> = { v1: [], v2: [] };
  const pages = { v2, v1 };
  for (const [name, page] of Object.entries(pages) as Array<['v1' | 'v2', Page]>) {
    await throttle(page, rate);
    await switches(page, WARMUP, timing);
    samples[name] = [];
  }
  for (let r = 0; r < ROUNDS; r++) {
    samples.v2.push(...(await switches(v2, PER_BATCH, timing)));
    samples.v1.push(...(await switches(v1, PER_BATCH, timing)));
  }
  return figures(samples.v2, samples.v1);
}

// ---- mechanisms ------------------------------------------------------------------------------------

/** One mechanism on one page: `key` names it in the results (`v1:` for the v1 page). */
interface Candidate {
  key: string;
  mechanism: Mechanism;
  page: 'v2' | 'v2-light-dark' | 'v1';
}

/** Timed and traced: the v2 mechanisms, v1's switch today, and the harness floor. */
const CANDIDATES: readonly Candidate[] = [
  { key: 'attribute', mechanism: 'attribute', page: 'v2' },
  { key: 'suppress-transitions', mechanism: 'suppress-transitions', page: 'v2' },
  { key: 'suppress-until-painted', mechanism: 'suppress-until-painted', page: 'v2' },
  { key: 'view-transition', mechanism: 'view-transition', page: 'v2' },
  { key: 'finish-transitions', mechanism: 'finish-transitions', page: 'v2' },
  { key: 'noop', mechanism: 'noop', page: 'v2' },
  { key: 'light-dark', mechanism: 'light-dark', page: 'v2-light-dark' },
  { key: 'v1:legacy-class', mechanism: 'legacy-class', page: 'v1' },
];
/** v1 under the one-frame mechanisms: forced work and pixels only (the SDK would switch v1 pages alike). */
const V1_ONE_FRAME: readonly Candidate[] = [
  { key: 'v1:suppress-transitions', mechanism: 'suppress-transitions', page: 'v1' },
  { key: 'v1:suppress-until-painted', mechanism: 'suppress-until-painted', page: 'v1' },
  { key: 'v1:finish-transitions', mechanism: 'finish-transitions', page: 'v1' },
];
/**
 * The four of issue 20, `finish-transitions` (one restyle instead of suppression's two), and
 * `suppress-until-painted` (suppression's two restyles, only one of them before the paint).
 */
const V2_MECHANISMS = [
  'attribute',
  'suppress-transitions',
  'suppress-until-painted',
  'view-transition',
  'light-dark',
  'finish-transitions',
] as const;
const PAGE_NAMES = ['v2', 'v2-light-dark', 'v1'] as const;

type BenchWindow = Window & { __themeBench: typeof import('./theme-switch-page.js') };

/** `rounds` interleaved rounds (one switch per candidate each) of the candidates that live on `page`. */
async function interleaved(
  page: Page,
  candidates: readonly Candidate[],
  rounds: number,
  markPrefix: string,
  spacingMs = 0,
): Promise<Timed[]> {
  await page.bringToFront();
  await page.evaluate(() => (window as unknown as BenchWindow).__themeBench.waitFrames(1));
  return page.evaluate(
    ({ list, rounds, markPrefix, spacingMs }) =>
      (window as unknown as BenchWindow).__themeBench.interleavedSwitches(
        list,
        rounds,
        markPrefix,
        spacingMs,
      ),
    { list: candidates.map(({ key, mechanism }) => ({ key, mechanism })), rounds, markPrefix, spacingMs },
  );
}

interface MechanismRun {
  /** Per candidate key: the timed samples. */
  samples: Record<string, Sample[]>;
  /** Per candidate key: the traced windows (main-thread ms in the WINDOW_MS after each call). */
  windows: Record<string, WindowKinds[]>;
  /** Per candidate key: main-thread ms from each traced call until it was fully painted. */
  totals: Record<string, WindowKinds[]>;
  /** Per candidate key (one-frame mechanisms only): ms of the switch's forced work, see forcedWork. */
  forced: Record<string, number[]>;
  seconds: number;
}

/**
 * All candidates at one throttle. Pages take turns in blocks (their order rotated each block); within a
 * page the candidates alternate switch by switch. Then a traced pass the same way, calls
 * WINDOW_MS + 100 ms apart so each window holds one switch.
 */
async function measureMechanisms(
  browser: Browser,
  pages: Record<Candidate['page'], Page>,
  rate: number,
): Promise<MechanismRun> {
  const began = Date.now();
  const samples: Record<string, Sample[]> = Object.fromEntries(CANDIDATES.map((c) => [c.key, []]));
  const on = (name: Candidate['page']) => CANDIDATES.filter((c) => c.page === name);
  for (const page of Object.values(pages)) await throttle(page, rate);
  for (const name of PAGE_NAMES) await interleaved(pages[name], on(name), MECH_WARMUP, 'warm');
  const blocks = Math.ceil(MECH_SAMPLES / MECH_BLOCK);
  for (let b = 0; b < blocks; b++) {
    for (let p = 0; p < PAGE_NAMES.length; p++) {
      const name = PAGE_NAMES[(p + b) % PAGE_NAMES.length] as Candidate['page'];
      const rounds = Math.min(MECH_BLOCK, MECH_SAMPLES - b * MECH_BLOCK);
      for (const t of await interleaved(pages[name], on(name), rounds, 'timed'))
        samples[t.key]?.push(t.sample);
    }
  }
  await browser.startTracing(undefined, { categories: [...WINDOW_CATEGORIES] });
  const traced: Timed[] = [];
  const half = Math.ceil(MECH_TRACED / 2);
  for (const order of [PAGE_NAMES, [...PAGE_NAMES].reverse()]) {
    for (const name of order)
      traced.push(...(await interleaved(pages[name], on(name), half, 'trw', WINDOW_MS + 100)));
  }
  const trace = await browser.stopTracing();
  const painted = new Map(traced.map((t) => [t.mark, t.sample.fullyPaintedMs]));
  const windows: Record<string, WindowKinds[]> = {};
  const totals: Record<string, WindowKinds[]> = {};
  for (const c of CANDIDATES) {
    windows[c.key] = windowsAfterMarks(trace, `trw:${c.key}:`, WINDOW_MS);
    totals[c.key] = windowsAfterMarks(trace, `trw:${c.key}:`, (mark) => (painted.get(mark) ?? WINDOW_MS) + 1);
  }
  // Forced work of the one-frame mechanisms, alternating switch by switch (see forcedWork).
  const forced: Record<string, number[]> = {};
  for (const name of PAGE_NAMES) {
    const list = [...CANDIDATES, ...V1_ONE_FRAME].filter(
      (c) => c.page === name && FORCED_MECHANISMS.includes(c.mechanism),
    );
    if (list.length === 0) continue;
    await pages[name].bringToFront();
    const rows = await pages[name].evaluate(
      ({ list, rounds }) => (window as unknown as BenchWindow).__themeBench.forcedWork(list, rounds),
      { list: list.map(({ key, mechanism }) => ({ key, mechanism })), rounds: FORCED_ROUNDS },
    );
    for (const row of rows) forced[row.key] = [...(forced[row.key] ?? []), row.ms];
  }
  return { samples, windows, totals, forced, seconds: Math.round((Date.now() - began) / 1000) };
}

interface MechanismFigures {
  p95Ms1x: number;
  p95Ms4x: number;
  mainThreadMs1x: number;
  mainThreadMs4x: number;
}

interface MainThreadDetail extends Omit<WindowKinds, 'busyMs'> {
  medianMs: number;
  p95Ms: number;
  traced: number;
}

interface MechanismDetail {
  fullyPainted: { medianMs: number; p95Ms: number; samples: number };
  /** Call to the next rendered frame: what `setTheme` resolves with today. */
  firstFrame: { medianMs: number; p95Ms: number };
  /** Median frames from the call until fully painted; most animations running at once. */
  frames: number;
  animations: number;
  /** Main-thread ms in the WINDOW_MS after the call (medians over the traced switches, by kind). */
  mainThread: MainThreadDetail;
  /** Main-thread ms from the call until the switch was fully painted (not capped by the window). */
  mainThreadUntilPainted: MainThreadDetail;
}

/** The forced work of a one-frame mechanism (see forcedWork in theme-switch-page.ts), ms. */
interface ForcedFigures {
  p25Ms: number;
  medianMs: number;
  p95Ms: number;
  samples: number;
}

function forcedFigures(xs: readonly number[] | undefined): ForcedFigures | undefined {
  if (!xs || xs.length === 0) return undefined;
  return { p25Ms: q(xs, 0.25), medianMs: q(xs, 0.5), p95Ms: q(xs, 0.95), samples: xs.length };
}

const q = (xs: readonly number[], p: number) => round2(quantile(xs, p));

function mainThreadDetail(windows: readonly WindowKinds[]): MainThreadDetail {
  const median = (pick: (w: WindowKinds) => number) => q(windows.map(pick), 0.5);
  return {
    medianMs: median((w) => w.busyMs),
    p95Ms: q(
      windows.map((w) => w.busyMs),
      0.95,
    ),
    traced: windows.length,
    styleMs: median((w) => w.styleMs),
    layoutMs: median((w) => w.layoutMs),
    paintMs: median((w) => w.paintMs),
    commitMs: median((w) => w.commitMs),
    scriptMs: median((w) => w.scriptMs),
  };
}

function detail(
  samples: readonly Sample[],
  windows: readonly WindowKinds[],
  totals: readonly WindowKinds[],
): MechanismDetail {
  const full = samples.map((s) => s.fullyPaintedMs);
  const first = samples.map((s) => s.firstFrameMs);
  return {
    fullyPainted: { medianMs: q(full, 0.5), p95Ms: q(full, 0.95), samples: samples.length },
    firstFrame: { medianMs: q(first, 0.5), p95Ms: q(first, 0.95) },
    frames: q(
      samples.map((s) => s.frames),
      0.5,
    ),
    animations: Math.max(0, ...samples.map((s) => s.animations)),
    mainThread: mainThreadDetail(windows),
    mainThreadUntilPainted: mainThreadDetail(totals),
  };
}

/** One-frame mechanisms by their side effects, fewest first (the tie-break when the p95 figures split). */
const FEWEST_SIDE_EFFECTS: readonly string[] = [
  // A stylesheet in and out: no events, no objects, works wherever CSS does.
  'suppress-transitions',
  'suppress-until-painted',
  // Creates, then finishes, a CSSTransition per transitioning element: transitionrun/start/end events
  // fire for each, and it needs the Web Animations API (getAnimations, CSSTransition).
  'finish-transitions',
];

/**
 * The mechanism to ship: the one users see fastest with the least main-thread time.
 * - Fastest: a mechanism whose median switch is fully painted in the first frame beats any that
 *   animates (transitions, a cross-fade), which is fully painted only when its animation ends.
 * - Among the one-frame mechanisms, the one with the lower p95 at both 1x and 4x. When they split
 *   (on a shared 2-core machine the 4x tail is decided by which switches another process preempted),
 *   the one with the fewest side effects (FEWEST_SIDE_EFFECTS). Main-thread figures and forced work
 *   are reported beside it.
 * - If no mechanism paints in one frame: the least sum of the medians (fully painted, and main-thread
 *   ms until painted, at 1x and 4x).
 */
function chooseShipped(
  names: readonly string[],
  detailOf: (key: string) => { x1: MechanismDetail; x4: MechanismDetail },
  figures: Record<string, MechanismFigures>,
): { name: string; reason: string } {
  const oneFrame = names.filter((n) => detailOf(n).x1.frames <= 1 && detailOf(n).x4.frames <= 1);
  const p95 = (n: string) => figures[n] as MechanismFigures;
  const list = (ns: readonly string[]) =>
    ns.map((n) => `${n} ${p95(n).p95Ms1x}/${p95(n).p95Ms4x} ms`).join(', ');
  if (oneFrame.length > 0) {
    const best = oneFrame.find((a) =>
      oneFrame.every((b) => p95(a).p95Ms1x <= p95(b).p95Ms1x && p95(a).p95Ms4x <= p95(b).p95Ms4x),
    );
    const rest = `fully painted in the first frame (median): ${oneFrame.join(', ')}; p95 1x/4x: ${list(oneFrame)}`;
    if (best) return { name: best, reason: `${rest}; lowest p95 at both throttles: ${best}` };
    const name = FEWEST_SIDE_EFFECTS.find((n) => oneFrame.includes(n)) ?? (oneFrame[0] as string);
    return { name, reason: `${rest}; p95 split between them: fewest side effects: ${name}` };
  }
  const medians = (n: string) => {
    const d = detailOf(n);
    return round2(
      d.x1.fullyPainted.medianMs +
        d.x4.fullyPainted.medianMs +
        d.x1.mainThreadUntilPainted.medianMs +
        d.x4.mainThreadUntilPainted.medianMs,
    );
  };
  const ranked = [...names].sort((a, b) => medians(a) - medians(b));
  return {
    name: ranked[0] as string,
    reason: `no mechanism paints in one frame; least sum of medians (fully painted and main-thread ms until painted, 1x and 4x): ${ranked.map((n) => `${n} ${medians(n)}`).join(', ')}`,
  };
}

// ---- pixels ----------------------------------------------------------------------------------------

/** Differing pixels between two PNG screenshots (all pixels when the sizes differ). */
function pixelDiff(a: Buffer, b: Buffer): { pixels: number; size: string } {
  const pa = PNG.sync.read(a);
  const pb = PNG.sync.read(b);
  if (pa.width !== pb.width || pa.height !== pb.height) {
    return { pixels: Math.max(pa.width * pa.height, pb.width * pb.height), size: 'differs' };
  }
  let pixels = 0;
  for (let i = 0; i < pa.data.length; i += 4) {
    if (
      pa.data[i] !== pb.data[i] ||
      pa.data[i + 1] !== pb.data[i + 1] ||
      pa.data[i + 2] !== pb.data[i + 2] ||
      pa.data[i + 3] !== pb.data[i + 3]
    )
      pixels++;
  }
  return { pixels, size: `${pa.width}x${pa.height}` };
}

/**
 * On a one-repetition gallery per page (every family once), each candidate in turn: switch to dark,
 * settle, full-page screenshot; back to light, settle, screenshot. Returns the pixels that differ from
 * `attribute`'s.
 */
async function pixelParity(
  open: (page: Candidate['page']) => Promise<Page>,
): Promise<Record<string, { darkDiffPixels: number; lightDiffPixels: number; size: string }>> {
  const shots: Record<string, { dark: Buffer; light: Buffer }> = {};
  for (const name of PAGE_NAMES) {
    const page = await open(name);
    await page.bringToFront();
    for (const c of [...CANDIDATES, ...V1_ONE_FRAME].filter(
      (x) => x.page === name && x.mechanism !== 'noop',
    )) {
      const shoot = async (theme: 'light' | 'dark') => {
        await page.evaluate(
          ({ mechanism, theme }) =>
            (window as unknown as BenchWindow).__themeBench.settleTo(mechanism, theme),
          { mechanism: c.mechanism, theme },
        );
        return page.screenshot({ fullPage: true });
      };
      shots[c.key] = { dark: await shoot('dark'), light: await shoot('light') };
    }
    await page.close();
  }
  const base = shots.attribute;
  const out: Record<string, { darkDiffPixels: number; lightDiffPixels: number; size: string }> = {};
  if (!base) return out;
  for (const [key, s] of Object.entries(shots)) {
    const dark = pixelDiff(base.dark, s.dark);
    const light = pixelDiff(base.light, s.light);
    out[key] = { darkDiffPixels: dark.pixels, lightDiffPixels: light.pixels, size: dark.size };
  }
  return out;
}

export default async function themeSwitch(ctx: BenchContext): Promise<Record<string, unknown>> {
  const began = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const phases: Record<string, number> = {};
  const phase = (name: string, since: number) => {
    phases[name] = Math.round((Date.now() - since) / 1000);
  };
  const boot = await bootSize();
  const lightDark = await lightDarkTokens();
  const server = await startGalleryServer({
    intercept: (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = lightDark.files.get(path);
      if (body === undefined) return false;
      const type = path.endsWith('.json') ? 'application/json' : 'text/css; charset=utf-8';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
      return true;
    },
  });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const script = await pageScript();
    const open = (version: 1 | 2, options: OpenOptions = {}) =>
      openGallery(browser, server.url, version, script, options);
    const openFor = (page: Candidate['page'], repeat = REPEAT) =>
      page === 'v1'
        ? open(1, { repeat })
        : open(2, {
            repeat,
            ...(page === 'v2-light-dark' ? { manifest: `${LIGHT_DARK_BASE}manifest.json` } : {}),
          });

    // Mechanisms, on the gallery without content-visibility, every candidate in one run.
    let t = Date.now();
    const pages = {
      v2: await openFor('v2'),
      'v2-light-dark': await openFor('v2-light-dark'),
      v1: await openFor('v1'),
    };
    const elements = await pages.v2.evaluate(() => document.querySelectorAll('#gallery *').length);
    const run1 = await measureMechanisms(browser, pages, 1);
    const run4 = await measureMechanisms(browser, pages, 4);
    await Promise.all(Object.values(pages).map((p) => p.close()));
    phases.mechanisms1x = run1.seconds;
    phases.mechanisms4x = run4.seconds;

    const details: Record<string, { x1: MechanismDetail; x4: MechanismDetail }> = {};
    for (const c of CANDIDATES) {
      details[c.key] = {
        x1: detail(run1.samples[c.key] ?? [], run1.windows[c.key] ?? [], run1.totals[c.key] ?? []),
        x4: detail(run4.samples[c.key] ?? [], run4.windows[c.key] ?? [], run4.totals[c.key] ?? []),
      };
    }
    const detailOf = (key: string) => details[key] as { x1: MechanismDetail; x4: MechanismDetail };
    const figuresOf = (key: string): MechanismFigures => ({
      p95Ms1x: detailOf(key).x1.fullyPainted.p95Ms,
      p95Ms4x: detailOf(key).x4.fullyPainted.p95Ms,
      mainThreadMs1x: detailOf(key).x1.mainThread.medianMs,
      mainThreadMs4x: detailOf(key).x4.mainThread.medianMs,
    });
    const mechanisms = Object.fromEntries(V2_MECHANISMS.map((m) => [m, figuresOf(m)])) as Record<
      (typeof V2_MECHANISMS)[number],
      MechanismFigures
    >;
    const mechanismsV1 = { 'legacy-class': figuresOf('v1:legacy-class') };
    const forcedWork: Record<string, { x1?: ForcedFigures; x4?: ForcedFigures }> = {};
    for (const c of [...CANDIDATES, ...V1_ONE_FRAME]) {
      const x1f = forcedFigures(run1.forced[c.key]);
      const x4f = forcedFigures(run4.forced[c.key]);
      if (x1f || x4f) forcedWork[c.key] = { ...(x1f ? { x1: x1f } : {}), ...(x4f ? { x4: x4f } : {}) };
    }
    const shipped = chooseShipped(V2_MECHANISMS, detailOf, mechanisms);
    const shippedFigures = mechanisms[shipped.name as (typeof V2_MECHANISMS)[number]];

    t = Date.now();
    const parity = await pixelParity((name) => openFor(name, 1));
    phase('pixels', t);

    // Call to next paint, v2's attribute against v1's class: the first frame of the same samples.
    const firstFrames = (run: MechanismRun, key: string) =>
      (run.samples[key] ?? []).map((s) => s.firstFrameMs);
    const x1 = figures(firstFrames(run1, 'attribute'), firstFrames(run1, 'v1:legacy-class'));
    const x4 = figures(firstFrames(run4, 'attribute'), firstFrames(run4, 'v1:legacy-class'));

    t = Date.now();
    const v2 = await open(2);
    const v1 = await open(1);
    const frameX1 = await measure(v2, v1, 1, 'frame-start');
    const frameX4 = await measure(v2, v1, 4, 'frame-start');
    const noop = await measure(v2, v1, 1, 'noop');
    await Promise.all([v2.close(), v1.close()]);
    phase('frameStart', t);

    // Profile on fresh pages (no throttling): what a switch costs and where it goes.
    t = Date.now();
    const profile: Record<string, number> = {};
    const pagesFor = async (css: string) => ({
      v2: await open(2, { extraCss: css }),
      v1: await open(1, { extraCss: css }),
    });
    const plain = await pagesFor('');
    profile.inheritedColorMs = await forcedRecalc(plain.v2, 'inherited-color');
    profile.unusedCustomPropertyMs = await forcedRecalc(plain.v2, 'unused-custom-property');
    profile.v2ThemeMs = await forcedRecalc(plain.v2, 'theme');
    profile.v1ThemeMs = await forcedRecalc(plain.v1, 'theme');
    const v2Trace = await traceSplit(browser, plain.v2);
    const v1Trace = await traceSplit(browser, plain.v1);
    await Promise.all([plain.v2.close(), plain.v1.close()]);
    const ld = await openFor('v2-light-dark');
    profile.v2LightDarkThemeMs = await forcedRecalc(ld, 'theme');
    await ld.close();
    const still = await pagesFor(NO_TRANSITIONS_CSS);
    profile.v2ThemeNoTransitionsMs = await forcedRecalc(still.v2, 'theme');
    profile.v1ThemeNoTransitionsMs = await forcedRecalc(still.v1, 'theme');
    await Promise.all([still.v2.close(), still.v1.close()]);
    const cv = await pagesFor(CONTENT_VISIBILITY_CSS);
    profile.v2ThemeContentVisibilityMs = await forcedRecalc(cv.v2, 'theme');
    profile.v1ThemeContentVisibilityMs = await forcedRecalc(cv.v1, 'theme');
    phase('profile', t);

    // The frame-level comparison again on the content-visibility page.
    t = Date.now();
    const cvX1 = await measure(cv.v2, cv.v1, 1);
    const cvX4 = await measure(cv.v2, cv.v1, 4);
    const cvFrameX1 = await measure(cv.v2, cv.v1, 1, 'frame-start');
    const cvFrameX4 = await measure(cv.v2, cv.v1, 4, 'frame-start');
    phase('contentVisibility', t);
    phase('total', began);

    ctx.table(
      `theme-switch mechanisms, ${elements} gallery elements, no content-visibility: p95 ms from the call until fully painted (${MECH_SAMPLES} switches each); median main-thread ms in the ${WINDOW_MS} ms after the call (trace: top-level RunTask, ${MECH_TRACED} switches each); pixels differing from attribute's after settling`,
      CANDIDATES.map((c) => {
        const d = detailOf(c.key);
        const px = parity[c.key];
        return {
          mechanism: c.key,
          p95Ms1x: d.x1.fullyPainted.p95Ms,
          p95Ms4x: d.x4.fullyPainted.p95Ms,
          mainThreadMs1x: d.x1.mainThread.medianMs,
          mainThreadMs4x: d.x4.mainThread.medianMs,
          medianMs1x: d.x1.fullyPainted.medianMs,
          medianMs4x: d.x4.fullyPainted.medianMs,
          untilPaintedMainMs1x: d.x1.mainThreadUntilPainted.medianMs,
          untilPaintedMainMs4x: d.x4.mainThreadUntilPainted.medianMs,
          animations: d.x1.animations,
          diffPx: px ? px.darkDiffPixels + px.lightDiffPixels : '',
        };
      }),
    );
    ctx.table(`mechanisms: median main-thread ms in the ${WINDOW_MS} ms window, by kind`, [
      ...CANDIDATES.map((c) => {
        const d = detailOf(c.key);
        const kinds = (m: MainThreadDetail) =>
          `${m.medianMs}: style ${m.styleMs}, layout ${m.layoutMs}, paint ${m.paintMs}, commit ${m.commitMs}, script ${m.scriptMs}`;
        return { mechanism: c.key, x1: kinds(d.x1.mainThread), x4: kinds(d.x4.mainThread) };
      }),
    ]);
    ctx.table(
      `one-frame mechanisms: forced work, ms (switch, then style and layout forced at once; no paint; ${FORCED_ROUNDS} each, alternating)`,
      Object.entries(forcedWork).map(([key, f]) => ({
        mechanism: key,
        p25Ms1x: f.x1?.p25Ms ?? '',
        medianMs1x: f.x1?.medianMs ?? '',
        p25Ms4x: f.x4?.p25Ms ?? '',
        medianMs4x: f.x4?.medianMs ?? '',
        diffPx: parity[key] ? parity[key].darkDiffPixels + parity[key].lightDiffPixels : '',
      })),
    );
    ctx.table('shipped', [
      {
        shipped: shipped.name,
        p95Ms1x: shippedFigures.p95Ms1x,
        goal1x: `<= ${GOAL_P95_1X}`,
        p95Ms4x: shippedFigures.p95Ms4x,
        goal4x: `<= ${GOAL_P95_4X}`,
      },
    ]);
    console.log(`shipped: ${shipped.reason}`);
    ctx.table(`theme switch, call to next paint (${elements} gallery elements, ms)`, [
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
    ctx.table('bench phases, seconds; load average', [
      { ...phases, loadBefore: round2(loadBefore), loadAfter: round2(loadavg()[0] ?? 0) },
    ]);
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
      mechanisms,
      mechanismsV1,
      shipped: shipped.name,
      shippedReason: shipped.reason,
      shippedGoals: {
        p95Ms1x: GOAL_P95_1X,
        p95Ms4x: GOAL_P95_4X,
        met: shippedFigures.p95Ms1x <= GOAL_P95_1X && shippedFigures.p95Ms4x <= GOAL_P95_4X,
      },
      mechanismMethod: {
        page: `gallery (n=${REPEAT}), ${elements} elements, no content-visibility; v2, v2 with light-dark tokens, v1: one page each, all open`,
        p95: `R-7 p95 of ${MECH_SAMPLES} switches per candidate per throttle (each to the other theme), candidates alternating switch by switch on a page, pages taking turns in blocks of ${MECH_BLOCK}; from the call until the end of the first frame rendered with the mechanism's promise settled and no animation running (checked in that frame's rAF; MessageChannel after the frame)`,
        mainThread: `median over ${MECH_TRACED} traced switches (calls >= ${WINDOW_MS + 100} ms apart) of the union of top-level ThreadControllerImpl::RunTask on the page's renderer main thread in the ${WINDOW_MS} ms after the call's performance.mark (categories ${WINDOW_CATEGORIES.join(', ')}); mainThreadUntilPainted: the same, up to the fully painted time`,
        forcedWork: `one-frame mechanisms only, v2 and v1 pages (p25, median, p95 of ${FORCED_ROUNDS} switches, alternating): the switch's own work with style and layout forced at once (suppression removed at once), no paint, no frame wait; the main-thread cost with the least frame-timing noise, reported beside the choice`,
        shipped:
          'a mechanism fully painted in the first frame (median) beats any that animates; among those, the one with the lower p95 at both 1x and 4x, else (they split) the one with the fewest side effects (suppress-transitions, then finish-transitions)',
        throttle: 'CDP Emulation.setCPUThrottlingRate 1 and 4, session kept open per page',
        firstFrame: 'call to the next rendered frame, the top-level v2P95Ms/v1P95Ms and throttle4x figures',
        lightDark: `v2 tokens rendered by tokens/css-v2-light-dark.ts, served from memory (${lightDark.bytes} B raw; tokens left in a [data-theme] block: ${lightDark.unsupported.length === 0 ? 'none' : lightDark.unsupported.join(', ')}); data-theme switches only color-scheme`,
        pixels:
          'full-page screenshots of a one-repetition gallery per candidate after settling in dark, then light; pixels differing from attribute',
      },
      mechanismDetails: details,
      mechanismForcedWork: forcedWork,
      mechanismPixelDiff: parity,
      benchSeconds: phases,
      /** One-minute load average of this (2-core, shared) machine before and after the run. */
      loadAverage: { before: round2(loadBefore), after: round2(loadavg()[0] ?? 0) },
      ...boot,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

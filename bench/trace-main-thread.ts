// Main-thread time before first contentful paint, from a Chromium trace (devtools.timeline + toplevel
// categories, as Lighthouse records them). Durations are wall time on the renderer's main thread, so
// under CPU throttling they are the emulated phone's time, not this machine's.

import { traceEvents, unionLength } from './trace-events.js';

/** Categories to pass to `browser.startTracing` so that `mainThreadBeforeFcp` finds its events. */
export const MAIN_THREAD_CATEGORIES: readonly string[] = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'loading',
  'toplevel',
  'blink.user_timing',
];

/** Milliseconds of main-thread work by kind; overlapping events of one kind count once. */
export interface MainThreadKinds {
  /** ParseAuthorStyleSheet: turning the CSS text into rules (Blink parses declaration blocks lazily). */
  cssParseMs: number;
  /** UpdateLayoutTree (RecalculateStyles): matching rules to elements and resolving custom properties. */
  styleMs: number;
  layoutMs: number;
  htmlParseMs: number;
  scriptMs: number;
  /** Every top-level task on the main thread. */
  busyMs: number;
}

export interface MainThreadTime {
  /** From navigationStart to FCP. Part of it overlaps the network wait and costs FCP nothing. */
  beforeFcp: MainThreadKinds;
  /** From the last render-blocking CSS responseEnd to FCP: the CPU work on the critical path. */
  afterLastCss: MainThreadKinds;
  /** Length of that window in this (traced) load: tracing slows the main thread a little. */
  renderWindowMs: number;
  /** FCP as the trace saw it, from navigationStart (for cross-checking with Paint Timing). */
  fcpMs: number;
}

const KINDS: Record<keyof MainThreadKinds, readonly string[]> = {
  cssParseMs: ['ParseAuthorStyleSheet'],
  styleMs: ['UpdateLayoutTree', 'RecalculateStyles'],
  layoutMs: ['Layout'],
  htmlParseMs: ['ParseHTML'],
  scriptMs: ['EvaluateScript', 'v8.evaluateModule', 'FunctionCall', 'v8.compile', 'v8.compileModule'],
  busyMs: ['ThreadControllerImpl::RunTask', 'RunTask'],
};

/**
 * Main-thread time before the (last) navigation's FCP in a trace buffer from `browser.stopTracing()`.
 * `renderWindowMs` is FCP minus the last CSS responseEnd from the page's own timing: the window is
 * anchored on the FCP mark, which both clocks share, so no clock conversion is needed.
 */
export function mainThreadBeforeFcp(trace: Buffer, renderWindowMs: number): MainThreadTime | undefined {
  const events = traceEvents(trace);
  // The FCP mark is emitted on the page's renderer main thread: that names the thread to sum.
  const fcp = events.filter((e) => e.name === 'firstContentfulPaint').at(-1);
  if (!fcp) return undefined;
  const nav = events
    .filter((e) => e.name === 'navigationStart' && e.pid === fcp.pid && e.ts <= fcp.ts)
    .at(-1);
  const start = nav?.ts ?? Number.NEGATIVE_INFINITY;
  const thread = events.filter((e) => e.pid === fcp.pid && e.tid === fcp.tid);
  // Complete events carry dur; older Blink events come as B/E pairs, matched by name.
  const spans: { name: string; s: number; e: number }[] = [];
  const open = new Map<string, number[]>();
  for (const e of thread) {
    if (e.ph === 'X') spans.push({ name: e.name, s: e.ts, e: e.ts + (e.dur ?? 0) });
    else if (e.ph === 'B') open.set(e.name, [...(open.get(e.name) ?? []), e.ts]);
    else if (e.ph === 'E') {
      const s = open.get(e.name)?.pop();
      if (s !== undefined) spans.push({ name: e.name, s, e: e.ts });
    }
  }
  const ms = (names: readonly string[], from: number) => {
    const clipped = spans
      .filter((x) => names.includes(x.name) && x.s < fcp.ts && x.e > from)
      .map((x): [number, number] => [Math.max(x.s, from), Math.min(x.e, fcp.ts)]);
    return Math.round(unionLength(clipped) / 100) / 10;
  };
  const kinds = (from: number): MainThreadKinds => ({
    cssParseMs: ms(KINDS.cssParseMs, from),
    styleMs: ms(KINDS.styleMs, from),
    layoutMs: ms(KINDS.layoutMs, from),
    htmlParseMs: ms(KINDS.htmlParseMs, from),
    scriptMs: ms(KINDS.scriptMs, from),
    busyMs: ms(KINDS.busyMs, from),
  });
  return {
    beforeFcp: kinds(start),
    afterLastCss: kinds(Math.max(start, fcp.ts - renderWindowMs * 1000)),
    renderWindowMs: Math.round(renderWindowMs),
    fcpMs: Math.round((fcp.ts - start) / 1000),
  };
}

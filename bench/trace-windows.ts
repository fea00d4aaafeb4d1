// Main-thread time in a window after each User Timing mark, from a Chromium trace (categories below).
// Busy time is the union of the top-level tasks (`ThreadControllerImpl::RunTask`, category `toplevel`)
// on the renderer main thread that made the mark, clipped to [mark, mark + window]; the split by kind
// uses the devtools.timeline events inside those tasks. Under CPU throttling the durations are the
// emulated device's time.

import { type TraceEvent, traceEvents, unionLength } from './trace-events.js';

/** Categories to pass to `browser.startTracing` for `windowsAfterMarks`. */
export const WINDOW_CATEGORIES: readonly string[] = ['toplevel', 'blink.user_timing', 'devtools.timeline'];

/** Kinds of main-thread work, by trace event name. */
const round2 = (n: number) => Math.round(n * 100) / 100;

const KINDS = {
  styleMs: ['UpdateLayoutTree'],
  layoutMs: ['Layout'],
  paintMs: ['PrePaint', 'Paint', 'Layerize', 'PaintImage'],
  commitMs: ['Commit'],
  /** Script outside style, layout and paint (the part of a callback that forced no rendering work). */
  scriptMs: ['FunctionCall', 'EvaluateScript', 'FireAnimationFrame', 'TimerFire', 'v8.callFunction'],
} as const;

export type WindowKinds = { busyMs: number } & Record<keyof typeof KINDS, number>;

/**
 * For every mark whose name starts with `prefix`: main-thread ms in the `windowMs` after it (a number, or
 * one per mark name), by kind.
 * Returned in trace order, keyed by mark name.
 */
export function windowsAfterMarks(
  trace: Buffer,
  prefix: string,
  windowMs: number | ((mark: string) => number),
): Array<{ mark: string } & WindowKinds> {
  const events = traceEvents(trace);
  // performance.mark() appears as an instant/async event named after the mark, on the page's main thread.
  const marks = events
    .filter((e) => e.name.startsWith(prefix) && (e.cat ?? '').includes('blink.user_timing'))
    .sort((a, b) => a.ts - b.ts);
  const seen = new Set<string>();
  const out: Array<{ mark: string } & WindowKinds> = [];
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    let list = byThread.get(key);
    if (!list) {
      list = [];
      byThread.set(key, list);
    }
    list.push(e);
  }
  for (const mark of marks) {
    if (seen.has(mark.name)) continue;
    seen.add(mark.name);
    const from = mark.ts;
    const to = from + (typeof windowMs === 'number' ? windowMs : windowMs(mark.name)) * 1000;
    const thread = byThread.get(`${mark.pid}:${mark.tid}`) ?? [];
    const ms = (names: readonly string[]) =>
      Math.round(
        unionLength(
          thread
            .filter((e) => names.includes(e.name) && e.ts < to && e.ts + (e.dur ?? 0) > from)
            .map((e): [number, number] => [Math.max(e.ts, from), Math.min(e.ts + (e.dur ?? 0), to)]),
        ) / 10,
      ) / 100;
    const kinds = Object.fromEntries(Object.entries(KINDS).map(([k, names]) => [k, ms(names)])) as Record<
      keyof typeof KINDS,
      number
    >;
    // Script that runs style, layout or paint (a forced recalc) counts under those kinds, not twice.
    const rendering = [...KINDS.styleMs, ...KINDS.layoutMs, ...KINDS.paintMs, ...KINDS.commitMs];
    kinds.scriptMs = Math.max(0, round2(ms([...KINDS.scriptMs, ...rendering]) - ms(rendering)));
    out.push({
      mark: mark.name,
      busyMs: ms(['ThreadControllerImpl::RunTask', 'RunTask']),
      ...kinds,
    });
  }
  return out;
}

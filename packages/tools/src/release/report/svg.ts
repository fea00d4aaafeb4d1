// The report's charts as inline SVG strings (no script, no external resource): a comparison's estimate and
// interval against its trigger and margin, a plan level's value against its rollback level and target,
// and the token bytes against the plan's bundle levels. Pure.

import type { ReportLevel, ReportMetric } from './inputs.js';
import { BUNDLE, effect, harmSide, kb, levelValue } from './model.js';

const W = 560;
const PAD = 24;
const RED = '#b91c1c';
const GREEN = '#15803d';
const GREY = '#64748b';

/** Escapes text for HTML and SVG. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function scaleOf(values: readonly number[]): (v: number) => number {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const span = hi - lo;
  lo -= span * 0.08;
  hi += span * 0.08;
  return (v: number) => PAD + ((v - lo) / (hi - lo)) * (W - 2 * PAD);
}

function vline(
  x: number,
  color: string,
  label: string,
  y: number,
  preferred: 'start' | 'end' = 'start',
): string {
  // Near an edge the label goes inwards, so it is never cut off.
  const anchor = x > W - 150 ? 'end' : x < 150 ? 'start' : preferred;
  const tx = anchor === 'start' ? x + 4 : x - 4;
  return `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="10" y2="54" stroke="${color}" stroke-dasharray="4 3"/><text x="${tx.toFixed(1)}" y="${y}" fill="${color}" font-size="11" text-anchor="${anchor}">${esc(label)}</text>`;
}

function frame(label: string, body: string, height = 64): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>${body}</svg>`;
}

/** The status's color: red for a rollback, green when shown within margin (or a level clear / target met). */
export function statusColor(kind: string): string {
  if (kind === 'rollback' || kind === 'exceeded' || kind === 'missed') return RED;
  if (kind === 'within-margin' || kind === 'clear' || kind === 'met') return GREEN;
  return GREY;
}

/** v2 − control: the estimate with its always-valid interval, the rollback trigger and the margin (the success target). */
export function comparisonChart(m: ReportMetric): string {
  const { trigger, margin } = harmSide(m);
  const iv = m.interval;
  const values = [
    0,
    trigger,
    margin,
    ...(m.estimate === null ? [] : [m.estimate]),
    ...(iv ? [iv.lower, iv.upper] : []),
  ];
  const x = scaleOf(values.filter(Number.isFinite));
  const color = statusColor(m.status.kind);
  const parts = [
    `<line x1="${PAD}" x2="${W - PAD}" y1="34" y2="34" stroke="#cbd5e1"/>`,
    `<line x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="24" y2="44" stroke="#0f172a"/>`,
    // The zero label would sit under the estimate's own label when they are close.
    m.estimate !== null && Math.abs(x(m.estimate) - x(0)) < 36
      ? ''
      : `<text x="${x(0).toFixed(1)}" y="60" font-size="11" text-anchor="middle" fill="#0f172a">0</text>`,
    vline(x(trigger), RED, `trigger ${effect(m, trigger)}`, 12, trigger >= 0 ? 'start' : 'end'),
    vline(x(margin), GREEN, `margin ${effect(m, margin)}`, 24, margin >= 0 ? 'start' : 'end'),
  ];
  if (iv && Number.isFinite(iv.lower) && Number.isFinite(iv.upper)) {
    parts.push(
      `<line x1="${x(iv.lower).toFixed(1)}" x2="${x(iv.upper).toFixed(1)}" y1="34" y2="34" stroke="${color}" stroke-width="6" stroke-linecap="round" opacity="0.45"/>`,
    );
  }
  if (m.estimate !== null) {
    parts.push(
      `<circle cx="${x(m.estimate).toFixed(1)}" cy="34" r="5" fill="${color}"/><text x="${x(m.estimate).toFixed(1)}" y="60" font-size="11" text-anchor="middle" fill="${color}">${esc(effect(m, m.estimate))}</text>`,
    );
  }
  return frame(
    `${m.label}: v2 − control ${effect(m, m.estimate)}, trigger ${effect(m, trigger)}, margin ${effect(m, margin)}`,
    parts.join(''),
  );
}

/** A plan level: v2's value against the rollback level (red), the target (green) and the baseline (grey). */
export function levelChart(l: ReportLevel, target: number | null): string {
  const marks: [number, string, string][] = [];
  if (l.rollbackLevel)
    marks.push([
      l.rollbackLevel.value,
      RED,
      `rollback ${l.rollbackLevel.direction === 'above' ? '>' : '<'} ${levelValue(l, l.rollbackLevel.value)}`,
    ]);
  if (target !== null) marks.push([target, GREEN, `target ${l.targetText.split(' (')[0]}`]);
  if (l.baseline !== null) marks.push([l.baseline, GREY, `baseline ${levelValue(l, l.baseline)}`]);
  const x = scaleOf([
    ...marks.map((m) => m[0]),
    ...(l.value === null ? [] : [l.value]),
    ...(l.unit === 'share' ? [0] : []),
  ]);
  const parts = [`<line x1="${PAD}" x2="${W - PAD}" y1="34" y2="34" stroke="#cbd5e1"/>`];
  for (const [i, [v, color, label]] of marks.entries()) parts.push(vline(x(v), color, label, 12 + i * 12));
  if (l.value !== null) {
    const color = statusColor(l.status.kind === 'exceeded' ? 'exceeded' : l.target.kind);
    parts.push(
      `<circle cx="${x(l.value).toFixed(1)}" cy="34" r="5" fill="${color}"/><text x="${x(l.value).toFixed(1)}" y="60" font-size="11" text-anchor="middle" fill="${color}">${esc(levelValue(l, l.value))}</text>`,
    );
  }
  return frame(`${l.label}: ${levelValue(l, l.value)}`, parts.join(''));
}

/** v1's monolith and v2's split files (whole site) against the plan's target (< 30 KB) and trigger (> 40 KB). */
export function bytesChart(v1: number, v2: number): string {
  const x = scaleOf([0, v1, v2, BUNDLE.trigger, BUNDLE.target]);
  const bar = (y: number, bytes: number, label: string, color: string) =>
    `<rect x="${x(0).toFixed(1)}" y="${y}" width="${Math.max(1, x(bytes) - x(0)).toFixed(1)}" height="16" fill="${color}" rx="2"/><text x="${(x(bytes) + 6).toFixed(1)}" y="${y + 12}" font-size="11" fill="#0f172a">${esc(`${label} ${kb(bytes)}`)}</text>`;
  const body = [
    bar(18, v1, 'v1', GREY),
    bar(40, v2, 'v2', v2 > BUNDLE.trigger ? RED : v2 < BUNDLE.target ? GREEN : '#b45309'),
    `<line x1="${x(BUNDLE.target).toFixed(1)}" x2="${x(BUNDLE.target).toFixed(1)}" y1="12" y2="62" stroke="${GREEN}" stroke-dasharray="4 3"/><text x="${(x(BUNDLE.target) - 4).toFixed(1)}" y="10" font-size="11" fill="${GREEN}" text-anchor="end">target &lt; ${kb(BUNDLE.target)}</text>`,
    `<line x1="${x(BUNDLE.trigger).toFixed(1)}" x2="${x(BUNDLE.trigger).toFixed(1)}" y1="12" y2="62" stroke="${RED}" stroke-dasharray="4 3"/><text x="${(x(BUNDLE.trigger) + 4).toFixed(1)}" y="10" font-size="11" fill="${RED}">rollback &gt; ${kb(BUNDLE.trigger)}</text>`,
  ].join('');
  return frame(`token bytes: v1 ${kb(v1)}, v2 ${kb(v2)}`, body, 66);
}

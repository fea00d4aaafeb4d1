// The gate report as a readable table for the terminal.
import type { LevelCheck } from './absolute.js';
import { formatEffect } from './decide.js';
import type { GateReport, MetricEvidence } from './report.js';
import type { Summary } from './stats/summary.js';
import { METRIC_RULES } from './thresholds.js';

function pad(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function level(evidence: MetricEvidence, s: Summary): string {
  if (s.n === 0) return '– (0)';
  const value = METRIC_RULES[evidence.metric].binary
    ? `${(s.mean * 100).toFixed(2)}%`
    : evidence.metric === 'memory' && s.mean > 1e5
      ? `${(s.mean / 1_048_576).toFixed(1)} MB` // the SDK reports bytes
      : s.mean.toPrecision(4);
  return `${value} (${s.n})`;
}

const STATUS: Record<MetricEvidence['status']['kind'], string> = {
  insufficient: 'too little data',
  rollback: 'ROLL BACK',
  'within-margin': 'ok',
  pending: 'not shown yet',
};

function row(e: MetricEvidence, name = e.label): string[] {
  const rule = METRIC_RULES[e.metric];
  const status =
    e.status.kind === 'within-margin' && e.status.improved
      ? 'improved'
      : e.status.kind === 'pending' && e.knowable.kind === 'not-in-this-stage'
        ? 'cannot be shown in this stage'
        : STATUS[e.status.kind];
  const ratio = e.stratification.varianceRatio;
  return [
    name,
    level(e, e.control),
    level(e, e.treatment),
    e.estimate === null ? '–' : formatEffect(rule, e.estimate),
    e.interval === null
      ? '–'
      : `[${formatEffect(rule, e.interval.lower)}, ${formatEffect(rule, e.interval.upper)}]`,
    formatEffect(rule, rule.worse === 'higher' ? e.trigger : -e.trigger),
    `${e.inGate ? '*' : ' '}${formatEffect(rule, rule.worse === 'higher' ? e.margin : -e.margin)}`,
    ratio === null ? '–' : ratio.toFixed(2),
    status,
  ];
}

/** The columns `row` fills after the name, shared by the metric and the family tables. */
const COMPARISON_COLUMNS = [
  'control (users)',
  'treatment (users)',
  'effect',
  'always-valid interval',
  'trigger',
  'margin',
  'var strat/plain',
  'status',
];

function value(l: LevelCheck, v: number | null): string {
  if (v === null) return '–';
  if (l.unit === 'ms') return `${Math.round(v)} ms`;
  if (l.unit === 'bytes') return `${(v / 1000).toFixed(1)} KB`;
  if (l.unit === 'share') return `${(v * 100).toFixed(2)}%`;
  return String(Math.round(v));
}

function levelRow(l: LevelCheck): string[] {
  const rollback = l.rollbackLevel
    ? `${l.rollbackLevel.direction === 'above' ? '>' : '<'} ${value(l, l.rollbackLevel.value)}`
    : '–';
  const status = l.status.kind === 'exceeded' ? 'ROLL BACK' : l.status.kind.replace('-', ' ');
  return [
    l.label,
    value(l, l.value),
    l.baseline === null ? '–' : value(l, l.baseline),
    l.targetText.split(' (')[0] ?? l.targetText,
    rollback,
    status,
    l.target.kind.replace('-', ' '),
  ];
}

function headline(report: GateReport): string {
  const d = report.decision;
  if (d.kind === 'rollback') {
    return d.scope === 'flag'
      ? 'ROLL BACK (flag off: everyone to v1)'
      : `ROLL BACK families: ${d.families.join(', ')}`;
  }
  if (d.kind === 'advance') {
    return d.nextStage === null
      ? 'ADVANCE: last stage passed, the rollout is complete'
      : `ADVANCE to ${d.nextStage}`;
  }
  return d.cannotBeShown.length > 0
    ? 'HOLD (this stage cannot show part of its gate: decide by hand)'
    : 'HOLD';
}

function stageSource(report: GateReport): string {
  const s = report.stageSource;
  if (s.kind === 'flag-server') return `the flag server's current stage (${s.url})`;
  if (s.kind === 'launchdarkly') return `LaunchDarkly's current stage (${s.environment})`;
  if (s.kind === 'option') return '--stage';
  return 'latest data';
}

/** The sample ratio check in one line (its reason starts with "sample ratio mismatch" when it is one). */
function sampleRatioLine(report: GateReport): string {
  const r = report.sampleRatio;
  if (r.kind === 'not-checked') return `sample ratio: not checked (${r.reason})`;
  return r.mismatch
    ? r.reason.replace('sample ratio mismatch', 'SAMPLE RATIO MISMATCH')
    : `sample ratio: ${r.reason}`;
}

/** Renders the report: decision and reasons first, then the evidence. */
export function formatReport(report: GateReport): string {
  const d = report.decision;
  const u = report.users;
  const c = report.control;
  const controlText =
    c.kind === 'historical'
      ? `historical: control group of ${c.stage} (${c.users})`
      : c.kind === 'none'
        ? 'none'
        : `concurrent (${u.control})`;
  const lines = [
    `gate · stage ${report.stage ?? '–'} (from ${stageSource(report)}) · decision: ${headline(report)}`,
    ...d.reasons.map((r) => `  - ${r}`),
    '',
    `success gate (${report.stage}): ${report.successGate.description} · ${report.successGate.met ? 'met' : 'not met'}`,
    `  = ${report.successGate.definition}`,
    `users by assignment: treatment ${u.treatment} · control ${controlText} · ineligible (not compared) ${u.ineligible} · in both groups (left out) ${u.assignmentChanged} · fell back (still treatment) ${u.fellBack} · opted out ${u.optedOut.treatment}/${u.optedOut.control} · regions ${report.regions.join(', ') || '–'} · span ${(report.durationMs / 3_600_000).toFixed(1)} h (${report.input.clock} time)`,
    sampleRatioLine(report),
    `alpha ${report.alpha.total} split over ${report.alpha.comparisons} comparisons (Bonferroni): ${report.alpha.perComparison.toPrecision(3)} each; sequences tuned for ${report.targetUsers} users`,
    `P1 bugs in the last ${report.p1.windowHours} h: ${report.p1.count} (${report.p1.source})${report.p1.withdrawn > 0 ? `; ${report.p1.withdrawn} withdrawn` : ''}`,
    ...report.p1.bugs.map((b) => `  - ${b.id} ${b.reportedAt} ${b.title}${b.link ? ` ${b.link}` : ''}`),
    '',
    ...pad([
      ['metric (per user, by assignment)', ...COMPARISON_COLUMNS],
      ...report.metrics.map((m) => row(m)),
    ]),
    "(* = in this stage's success gate; pt = percentage points, % = relative to control; effects post-stratified by region, continuous metrics capped at their 99th percentile)",
    '',
    ...pad([
      ["plan's table (v2's own numbers)", 'v2', 'baseline', 'target', 'rollback', 'status', 'target status'],
      ...report.levels.map(levelRow),
    ]),
  ];
  if (report.families.length > 0) {
    lines.push(
      '',
      ...pad([
        ['family errors', ...COMPARISON_COLUMNS, 'fallbacks'],
        ...report.families.map((f) => [
          ...row(f.comparison, `${f.family}${f.errorsTagged ? '' : ' (untagged)'}`),
          f.fallbackRate.n === 0 ? '–' : `${(f.fallbackRate.mean * 100).toFixed(1)}% of ${f.fallbackRate.n}`,
        ]),
      ]),
    );
  }
  if (report.cannotKnow.length > 0) {
    lines.push('', 'what this stage cannot decide:', ...report.cannotKnow.map((r) => `  - ${r}`));
  }
  if (report.notes.length > 0) lines.push('', 'notes:', ...report.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

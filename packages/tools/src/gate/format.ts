// The gate report as a readable table for the terminal.
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
  const status = e.status.kind === 'within-margin' && e.status.improved ? 'improved' : STATUS[e.status.kind];
  return [
    name,
    level(e, e.v1),
    level(e, e.v2),
    e.estimate === null ? '–' : formatEffect(rule, e.estimate),
    e.interval === null
      ? '–'
      : `[${formatEffect(rule, e.interval.lower)}, ${formatEffect(rule, e.interval.upper)}]`,
    formatEffect(rule, rule.worse === 'higher' ? e.trigger : -e.trigger),
    `${e.inGate ? '*' : ' '}${formatEffect(rule, rule.worse === 'higher' ? e.margin : -e.margin)}`,
    status,
  ];
}

/** The columns `row` fills after the name, shared by the metric and the family tables. */
const COMPARISON_COLUMNS = [
  'v1 (users)',
  'v2 (users)',
  'v2 - v1',
  'always-valid interval',
  'trigger',
  'margin',
  'status',
];

/** Renders the report: decision and reasons first, then the per-metric and per-family evidence. */
export function formatReport(report: GateReport): string {
  const d = report.decision;
  const headline =
    d.kind === 'rollback'
      ? d.scope === 'flag'
        ? 'ROLL BACK (flag off: everyone to v1)'
        : `ROLL BACK families: ${d.families.join(', ')}`
      : d.kind === 'advance'
        ? d.nextStage === null
          ? 'ADVANCE: last stage passed, the rollout is complete'
          : `ADVANCE to ${d.nextStage}`
        : 'HOLD';
  const lines = [
    `gate · stage ${report.stage ?? '–'} · decision: ${headline}`,
    ...d.reasons.map((r) => `  - ${r}`),
    '',
    `success gate (${report.stage}): ${report.successGate.description} · ${report.successGate.met ? 'met' : 'not met'}`,
    `users: v1 ${report.users.v1} · v2 ${report.users.v2} · opted out ${report.users.optedOut} · outside stage regions ${report.users.outsideRegions} · regions ${report.regions.join(', ') || '–'} · data span ${(report.durationMs / 3_600_000).toFixed(1)} h`,
    ...(report.control.kind === 'historical'
      ? [
          `control: no v1 users in this stage; v1 users of ${report.control.stage} stand in (historical control, weaker)`,
        ]
      : []),
    `alpha ${report.alpha.total} split over ${report.alpha.comparisons} comparisons (Bonferroni): ${report.alpha.perComparison.toPrecision(3)} each; sequences tuned for ${report.targetUsers} users; P1 bugs ${report.p1Bugs}`,
    '',
    ...pad([['metric', ...COMPARISON_COLUMNS], ...report.metrics.map((m) => row(m))]),
    "(* = in this stage's success gate; pt = percentage points, % = relative to v1)",
  ];
  if (report.families.length > 0) {
    lines.push(
      '',
      ...pad([
        ['family errors', ...COMPARISON_COLUMNS, 'v2 fallbacks'],
        ...report.families.map((f) => [
          ...row(f.comparison, `${f.family}${f.errorsTagged ? '' : ' (untagged)'}`),
          f.fallbackRate.n === 0 ? '–' : `${(f.fallbackRate.mean * 100).toFixed(1)}% of ${f.fallbackRate.n}`,
        ]),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

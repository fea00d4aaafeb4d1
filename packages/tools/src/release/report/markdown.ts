// The weekly status report as Markdown, section for section like the HTML (charts become their numbers),
// for a wiki page or a chat post. Pure.
import type { AuditEntry } from '../../audit/types.js';
import type { RecoveryCheck } from '../watcher.js';
import type { ReportInputs } from './inputs.js';
import {
  effect,
  harmSide,
  kb,
  levelValue,
  nextStageNeeds,
  nextStageOf,
  rollbacksOf,
  SECTIONS,
  tokenTotals,
  when,
} from './model.js';

type SectionId = (typeof SECTIONS)[number][0];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function entryRow(e: AuditEntry): string[] {
  return [
    String(e.seq),
    when(e.at),
    `${e.actor}${e.by ? ` (${e.by})` : ''}`,
    e.source,
    `${e.kind}: ${e.action} ${e.target}`,
    e.changes.join('; '),
    e.before && e.after ? `v${e.before.flagVersion} → v${e.after.flagVersion}` : '',
    e.reason ?? '(none given)',
  ];
}

const AUDIT_HEAD = ['#', 'When', 'Actor', 'Source', 'Action', 'Changes', 'Versions', 'Reason'];

const RENDER: Record<SectionId, (i: ReportInputs) => string> = {
  summary: (i) => {
    const stage = i.flag?.stages.find((s) => s.name === i.stage);
    return [
      `- **Stage:** ${i.stage}${stage ? ` · ${stage.percentage} % · regions ${stage.regions.join(', ')} · ${stage.components.join(', ')}` : ''}`,
      `- **Period:** ${when(i.since)} – ${when(i.until)}`,
      `- **Stage scheduled:** ${stage?.startsAt ? when(stage.startsAt) : 'not scheduled (set by hand)'}`,
      `- **Flag now:** ${i.flag ? `${i.flag.on ? 'on' : 'off (everyone on v1)'}, active stage ${i.flag.activeStage ?? 'none'}` : 'unknown'}`,
      `- **Gate:** ${i.gate ? `${i.gate.decision.kind}: ${i.gate.decision.reasons[0] ?? ''}` : (i.gateError ?? 'no gate report')}`,
      `- **Events:** ${i.summary.events.toLocaleString('en')}`,
    ].join('\n');
  },
  users: (i) =>
    i.summary.regions.length
      ? table(
          ['Region', 'treatment', 'control', 'ineligible', 'rendered v1', 'rendered v2', 'rendered mixed'],
          i.summary.regions.map((r) => [
            r.region,
            ...[r.treatment, r.control, r.ineligible, r.v1, r.v2, r.mixed].map(String),
          ]),
        )
      : '_No events in this period._',
  metrics: (i) => {
    if (!i.gate) return `_No gate report: ${i.gateError ?? 'not available'}._`;
    const rows = i.gate.metrics.map((m) => {
      const { trigger, margin } = harmSide(m);
      const iv = m.interval ? `[${effect(m, m.interval.lower)}, ${effect(m, m.interval.upper)}]` : '–';
      return [
        m.label,
        effect(m, m.estimate),
        iv,
        effect(m, trigger),
        effect(m, margin),
        `${m.status.kind}: ${m.status.reason}`,
      ];
    });
    const levels = (i.gate.levels ?? []).map((l) => [
      l.label,
      levelValue(l, l.value),
      l.rollbackLevel ? `${l.rollbackLevel.direction} ${levelValue(l, l.rollbackLevel.value)}` : '–',
      l.targetText,
      `${l.status.kind} / target ${l.target.kind}`,
    ]);
    return [
      table(['Metric (v2 − control)', 'Estimate', 'Interval', 'Trigger', 'Target (margin)', 'Status'], rows),
      ...(levels.length
        ? [
            '',
            "The plan's table (v2's own numbers):",
            '',
            table(['Level', 'Value', 'Rollback', 'Target', 'Status'], levels),
          ]
        : []),
    ].join('\n');
  },
  decisions: (i) => {
    const made = i.audit.filter(
      (e) => e.kind === 'advance' || e.kind === 'rollback' || e.kind === 'approval',
    );
    return [
      i.gate
        ? `Now: **${i.gate.decision.kind}**\n\n${i.gate.decision.reasons.map((r) => `- ${r}`).join('\n')}`
        : '_No gate report._',
      '',
      made.length
        ? table(AUDIT_HEAD, made.map(entryRow))
        : '_No advance, rollback or approval in this period._',
    ].join('\n');
  },
  rollbacks: (i) => {
    const list = rollbacksOf(i.audit);
    if (list.length === 0) return '_No rollback in this period._';
    return table(
      ['#', 'When', 'Rollback', 'Reason', 'Recovery', 'Detail'],
      list.map(({ rollback, verdict }) => {
        const check = verdict?.evidence as RecoveryCheck | undefined;
        return [
          String(rollback.seq),
          when(rollback.at),
          `${rollback.action} ${rollback.target}`,
          rollback.reason ?? '(none given)',
          check ? check.status : 'not verified',
          verdict?.reason ?? '–',
        ];
      }),
    );
  },
  audit: (i) =>
    i.audit.length ? table(AUDIT_HEAD, i.audit.map(entryRow)) : '_No audit entry in this period._',
  bugs: (i) => {
    const p1 = i.bugs.filter((b) => b.severity === 'P1');
    return p1.length
      ? table(
          ['Id', 'Title', 'Reported', 'Status'],
          p1.map((b) => [
            b.link ? `[${b.id}](${b.link})` : b.id,
            b.title,
            when(b.reportedAt),
            b.withdrawnAt ? `withdrawn ${when(b.withdrawnAt)}` : 'open',
          ]),
        )
      : '_No P1 bug reported in this period._';
  },
  fallbacks: (i) =>
    i.summary.fallbacks.length
      ? table(
          ['Family', 'Reason', 'Events', 'Users'],
          i.summary.fallbacks.map((f) => [f.family, f.reason, String(f.events), String(f.users)]),
        )
      : '_No fallback in this period._',
  tokens: (i) => {
    if (!i.manifest) return '_No token manifest given._';
    const t = tokenTotals(i.manifest);
    return `v2, whole site: **${kb(t.v2.bytes)}** (${kb(t.v2.gzip)} gzip) against v1's ${kb(t.v1.bytes)}; target < 30 KB, rollback > 40 KB.\n\n${table(
      ['Version', 'Family', 'File', 'Bytes', 'Gzip'],
      t.files.map((f) => [f.version, f.family, `\`${f.file}\``, kb(f.bytes), kb(f.gzipBytes)]),
    )}`;
  },
  next: (i) => {
    const stage = nextStageOf(i);
    const head = stage
      ? `Next: **${stage.name}** · ${stage.percentage} % · regions ${stage.regions.join(', ')}\n\n`
      : '';
    return `${head}${nextStageNeeds(i)
      .map((n, k) => `${k + 1}. ${n}`)
      .join('\n')}`;
  },
};

/** The report as Markdown. */
export function renderReportMarkdown(inputs: ReportInputs): string {
  const title = `# Design tokens v2 · ${inputs.stage} status · ${when(inputs.since).slice(0, 10)} – ${when(inputs.until).slice(0, 10)}`;
  const intro = `Weekly status report, generated ${when(inputs.generatedAt)} from ${inputs.source}.`;
  const body = SECTIONS.map(([id, heading]) => `## ${heading}\n\n${RENDER[id](inputs)}`).join('\n\n');
  return `${title}\n\n${intro}\n\n${body}\n`;
}

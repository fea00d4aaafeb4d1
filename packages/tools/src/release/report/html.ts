// The weekly status report as one self-contained HTML file: inline CSS, inline SVG charts, no script, and
// a Content-Security-Policy that forbids every external request, so it can be mailed or archived as is.
// Pure: `renderReportHtml(inputs)` returns the page.
import type { AuditEntry } from '../../audit/types.js';
import { PLAN_LEVELS } from '../../gate/levels.js';
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
import { REPORT_CSS } from './style.js';
import { bytesChart, comparisonChart, esc, levelChart, statusColor } from './svg.js';

type SectionId = (typeof SECTIONS)[number][0];

const none = (what: string) => `<p class="none">${esc(what)}</p>`;
const badge = (text: string, kind: string) =>
  `<span class="badge" style="background:${statusColor(kind)}">${esc(text)}</span>`;

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const th = head.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function summary(inputs: ReportInputs): string {
  const stage = inputs.flag?.stages.find((s) => s.name === inputs.stage);
  const gate = inputs.gate;
  const decision = gate
    ? `${badge(gate.decision.kind, gate.decision.kind === 'hold' ? 'pending' : gate.decision.kind === 'advance' ? 'met' : 'rollback')} ${esc(gate.decision.reasons[0] ?? '')}`
    : esc(inputs.gateError ?? 'no gate report');
  const rows: [string, string][] = [
    [
      'Stage',
      `<strong>${esc(inputs.stage)}</strong>${stage ? ` · ${stage.percentage} % · regions ${esc(stage.regions.join(', '))} · ${esc(stage.components.join(', '))}` : ''}`,
    ],
    ['Period', `${esc(when(inputs.since))} – ${esc(when(inputs.until))}`],
    ['Stage scheduled', esc(stage?.startsAt ? when(stage.startsAt) : 'not scheduled (set by hand)')],
    [
      'Flag now',
      esc(
        inputs.flag
          ? `${inputs.flag.on ? 'on' : 'off (everyone on v1)'}, active stage ${inputs.flag.activeStage ?? 'none'}${inputs.flag.killed.length ? `, killed: ${inputs.flag.killed.join(', ')}` : ''}`
          : 'unknown',
      ),
    ],
    ['Gate', decision],
    [
      'Events',
      esc(
        `${inputs.summary.events.toLocaleString('en')} in the period${inputs.summary.firstAt ? ` (${when(inputs.summary.firstAt)} – ${when(inputs.summary.lastAt ?? inputs.summary.firstAt)})` : ''}`,
      ),
    ],
  ];
  return `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function users(inputs: ReportInputs): string {
  const rows = inputs.summary.regions.map((r) => [
    esc(r.region),
    ...[r.treatment, r.control, r.ineligible, r.v1, r.v2, r.mixed].map(String),
  ]);
  const compared = inputs.gate?.users
    ? `<p>Compared by the gate: <strong>${inputs.gate.users.treatment}</strong> treatment and <strong>${inputs.gate.users.control}</strong> control users${inputs.gate.users.fellBack ? ` (${inputs.gate.users.fellBack} treated users fell back to v1 and still count as treatment)` : ''}.</p>`
    : '';
  return `${compared}${rows.length ? table(['Region', 'treatment', 'control', 'ineligible', 'rendered v1', 'rendered v2', 'rendered mixed'], rows, [1, 2, 3, 4, 5, 6]) : none('No events in this period.')}<p class="note">Groups are the users' assignment (intention to treat); the rendered arms count a user once per version their pages showed.</p>`;
}

function metrics(inputs: ReportInputs): string {
  const gate = inputs.gate;
  if (!gate) return none(`No gate report: ${inputs.gateError ?? 'not available'}.`);
  const cards = gate.metrics.map((m) => {
    const { trigger, margin } = harmSide(m);
    const iv = m.interval
      ? `[${effect(m, m.interval.lower)}, ${effect(m, m.interval.upper)}]`
      : 'no interval yet';
    return `<figure class="metric" data-metric="${esc(m.metric)}"><figcaption><strong>${esc(m.label)}</strong> ${badge(m.status.kind, m.status.kind)}${m.inGate ? ' <span class="tag">in this stage\'s gate</span>' : ''}</figcaption>${comparisonChart(m)}<p>v2 − control ${esc(effect(m, m.estimate))} ${esc(iv)}; roll back beyond ${esc(effect(m, trigger))}, target within ${esc(effect(m, margin))}${m.control && m.treatment ? `; n ${m.control.n} / ${m.treatment.n}` : ''}. ${esc(m.status.reason)}</p></figure>`;
  });
  const levels = (gate.levels ?? []).map((l) => {
    const target = PLAN_LEVELS.find((p) => p.id === l.id)?.target.value ?? null;
    return `<figure class="metric" data-level="${esc(l.id)}"><figcaption><strong>${esc(l.label)}</strong> ${badge(l.status.kind, l.status.kind)} ${badge(`target ${l.target.kind}`, l.target.kind)}</figcaption>${levelChart(l, target)}<p>${esc(levelValue(l, l.value))}. ${esc(l.status.reason)}</p></figure>`;
  });
  return `<h3>v2 against the control</h3>${cards.join('') || none('No comparisons.')}${levels.length ? `<h3>The plan's table (v2's own numbers)</h3>${levels.join('')}` : ''}`;
}

function entryRow(e: AuditEntry): string[] {
  const versions = e.before && e.after ? `v${e.before.flagVersion} → v${e.after.flagVersion}` : '';
  return [
    String(e.seq),
    esc(when(e.at)),
    esc(`${e.actor}${e.by ? ` (${e.by})` : ''}`),
    esc(e.source),
    `${badge(e.kind, e.kind === 'rollback' ? 'rollback' : e.kind === 'advance' ? 'met' : 'pending')} ${esc(e.action)} ${esc(e.target)}`,
    esc(e.changes.join('; ')),
    esc(versions),
    esc(e.reason ?? '(none given)'),
  ];
}

function decisions(inputs: ReportInputs): string {
  const gate = inputs.gate;
  const now = gate
    ? `<p>Now: ${badge(gate.decision.kind, gate.decision.kind === 'rollback' ? 'rollback' : gate.decision.kind === 'advance' ? 'met' : 'pending')}</p><ul>${gate.decision.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>${gate.successGate ? `<p>Success gate: ${esc(gate.successGate.description)} — ${gate.successGate.met ? 'met' : 'not met yet'}.</p>` : ''}`
    : none(`No gate report: ${inputs.gateError ?? 'not available'}.`);
  const made = inputs.audit.filter(
    (e) => e.kind === 'advance' || e.kind === 'rollback' || e.kind === 'approval',
  );
  return `${now}<h3>Made in the period</h3>${made.length ? table(['#', 'When', 'Actor', 'Source', 'Action', 'Changes', 'Versions', 'Reason'], made.map(entryRow)) : none('No advance, rollback or approval in this period.')}`;
}

function rollbacks(inputs: ReportInputs): string {
  const list = rollbacksOf(inputs.audit);
  if (list.length === 0) return none('No rollback in this period.');
  const rows = list.map(({ rollback, verdict }) => {
    const check = verdict?.evidence as RecoveryCheck | undefined;
    const r = check?.results[0];
    return [
      String(rollback.seq),
      esc(when(rollback.at)),
      esc(`${rollback.action} ${rollback.target}`),
      esc(rollback.reason ?? '(none given)'),
      verdict
        ? badge(
            check?.status === 'recovered' ? 'recovered' : 'not recovered',
            check?.status === 'recovered' ? 'met' : 'rollback',
          )
        : badge('not verified', 'pending'),
      esc(
        r
          ? `${r.switched}/${r.seenAfter} on v1${r.share === null ? '' : ` (${(r.share * 100).toFixed(0)} %)`}`
          : '–',
      ),
      esc(r?.secondsToTarget != null ? `${r.secondsToTarget} s` : '–'),
      esc(r?.metric ? r.metric.detail : '–'),
    ];
  });
  return `${table(['#', 'When', 'Rollback', 'Reason', 'Recovery', 'Returning treated users', 'Time to 95 %', 'Triggering metric'], rows)}<p class="note">No CDN purge is part of a rollback: token files are content-hashed and immutable, so a flip changes which file pages link, never a file's content.</p>`;
}

function bugs(inputs: ReportInputs): string {
  const p1 = inputs.bugs.filter((b) => b.severity === 'P1');
  if (p1.length === 0) return none('No P1 bug reported in this period.');
  return table(
    ['Id', 'Title', 'Reported', 'Status'],
    p1.map((b) => [
      b.link ? `<a href="${esc(b.link)}">${esc(b.id)}</a>` : esc(b.id),
      esc(b.title),
      esc(when(b.reportedAt)),
      esc(b.withdrawnAt ? `withdrawn ${when(b.withdrawnAt)}` : 'open'),
    ]),
  );
}

function fallbacks(inputs: ReportInputs): string {
  const rows = inputs.summary.fallbacks.map((f) => [
    esc(f.family),
    esc(f.reason),
    String(f.events),
    String(f.users),
  ]);
  const rates = (inputs.gate?.families ?? []).filter((f) => f.fallbackRate && f.fallbackRate.mean !== null);
  const killed = (inputs.gate?.families ?? []).filter((f) => f.kill).map((f) => f.family);
  const share = rates.length
    ? `<p>Share of treated users whose pages fell back to v1: ${rates.map((f) => `${esc(f.family)} ${((f.fallbackRate?.mean ?? 0) * 100).toFixed(2)} %`).join(', ')}.${killed.length ? ` The gate's per-family error comparison says kill: ${esc(killed.join(', '))}.` : ''}</p>`
    : '';
  return `${share}${rows.length ? table(['Family', 'Reason', 'Events', 'Users'], rows, [2, 3]) : none('No fallback in this period.')}`;
}

function tokens(inputs: ReportInputs): string {
  if (!inputs.manifest) return none('No token manifest given (--manifest FILE|URL).');
  const t = tokenTotals(inputs.manifest);
  const rows = t.files.map((f) => [
    esc(f.version),
    esc(f.family),
    `<code>${esc(f.file)}</code>`,
    kb(f.bytes),
    kb(f.gzipBytes),
  ]);
  return `${bytesChart(t.v1.bytes, t.v2.bytes)}<p>v2, whole site: <strong>${kb(t.v2.bytes)}</strong> (${kb(t.v2.gzip)} gzip) against v1's ${kb(t.v1.bytes)}; the plan's target is &lt; 30 KB, its rollback level &gt; 40 KB.</p>${table(['Version', 'Family', 'File (content-hashed)', 'Bytes', 'Gzip'], rows, [3, 4])}`;
}

function next(inputs: ReportInputs): string {
  const stage = nextStageOf(inputs);
  const head = stage
    ? `<p>Next: <strong>${esc(stage.name)}</strong> · ${stage.percentage} % · regions ${esc(stage.regions.join(', '))} · ${esc(stage.components.join(', '))}${stage.startsAt ? ` · scheduled ${esc(when(stage.startsAt))}` : ''}</p>`
    : '';
  return `${head}<ol>${nextStageNeeds(inputs)
    .map((n) => `<li>${esc(n)}</li>`)
    .join('')}</ol>`;
}

const RENDER: Record<SectionId, (inputs: ReportInputs) => string> = {
  summary,
  users,
  metrics,
  decisions,
  rollbacks,
  audit: (inputs) =>
    inputs.audit.length
      ? table(
          ['#', 'When', 'Actor', 'Source', 'Action', 'Changes', 'Versions', 'Reason'],
          inputs.audit.map(entryRow),
        )
      : none('No audit entry in this period.'),
  bugs,
  fallbacks,
  tokens,
  next,
};

/** The report as one HTML page. */
export function renderReportHtml(inputs: ReportInputs): string {
  const title = `Design tokens v2 · ${inputs.stage} status · ${when(inputs.since).slice(0, 10)} – ${when(inputs.until).slice(0, 10)}`;
  const sections = SECTIONS.map(
    ([id, heading]) =>
      `<section id="${id}" data-section="${id}"><h2>${esc(heading)}</h2>${RENDER[id](inputs)}</section>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(title)}</h1><p>Weekly status report, generated ${esc(when(inputs.generatedAt))} from ${esc(inputs.source)}.</p><nav>${SECTIONS.map(([id, h]) => `<a href="#${id}">${esc(h)}</a>`).join(' · ')}</nav></header>
${sections}
<footer>token-rollout report · self-contained: no script, no external request.</footer>
</main>
</body>
</html>
`;
}

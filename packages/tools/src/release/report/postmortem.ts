// The incident post-mortem (the plan's "4. Incident post-mortem (24 hrs)"), drafted from the audit trail
// and the report's numbers: the timeline, what triggered the rollback, how fast pages switched, and the
// questions only people can answer, left as prompts. Pure Markdown (docs/runbook.md shows the template).
import type { AuditEntry } from '../../audit/types.js';
import type { RecoveryCheck } from '../watcher.js';
import type { ReportInputs } from './inputs.js';
import { effect, rollbacksOf, when } from './model.js';

const TODO = '_(to fill in)_';

function line(e: AuditEntry): string {
  const who = `${e.actor}${e.by ? ` (${e.by})` : ''} via ${e.source}`;
  return `- ${when(e.at)} — #${e.seq} **${e.kind}** ${e.action} ${e.target}${e.changes.length ? ` (${e.changes.join('; ')})` : ''} by ${who}: ${e.reason ?? 'no reason given'}`;
}

/** A post-mortem draft for the period's rollbacks (one document; each rollback gets its own block). */
export function renderPostMortem(inputs: ReportInputs): string {
  const rollbacks = rollbacksOf(inputs.audit);
  const triggered = (inputs.gate?.metrics ?? []).filter((m) => m.status.kind === 'rollback');
  const out = [
    `# Post-mortem: design tokens v2, ${inputs.stage}, ${when(inputs.since).slice(0, 10)}`,
    '',
    `Drafted by \`token-rollout report --postmortem\` at ${when(inputs.generatedAt)} from ${inputs.source}; the timeline is the audit trail, the numbers are the status report's. Due within 24 hours of the rollback.`,
    '',
    '## Summary',
    '',
    `- **What happened:** ${TODO}`,
    `- **Users affected:** ${inputs.gate?.users ? `${inputs.gate.users.treatment} treated users in ${inputs.stage}` : TODO} (regions: ${inputs.summary.regions.map((r) => r.region).join(', ') || 'none seen'})`,
    `- **Detected by:** ${rollbacks[0] ? `${rollbacks[0].rollback.source} (${rollbacks[0].rollback.reason ?? 'no reason recorded'})` : TODO}`,
    `- **Rolled back:** ${rollbacks.map(({ rollback }) => `${when(rollback.at)} (${rollback.action} ${rollback.target})`).join('; ') || 'no rollback in this period'}`,
    '',
    '## Timeline (audit trail)',
    '',
    ...(inputs.audit.length ? inputs.audit.map(line) : ['_No audit entries in the period._']),
    '',
    '## Trigger',
    '',
    ...(triggered.length
      ? triggered.map(
          (m) =>
            `- ${m.label}: v2 − control ${effect(m, m.estimate)}${m.interval ? ` [${effect(m, m.interval.lower)}, ${effect(m, m.interval.upper)}]` : ''}, trigger ${effect(m, m.worse === 'higher' ? m.trigger : -m.trigger)}: ${m.status.reason}`,
        )
      : [
          `- ${inputs.gate ? `The gate now says ${inputs.gate.decision.kind}: ${inputs.gate.decision.reasons.join('; ')}` : TODO}`,
        ]),
    ...inputs.bugs
      .filter((b) => b.severity === 'P1')
      .map((b) => `- P1 ${b.id}: ${b.title} (${when(b.reportedAt)})`),
    '',
    "## Recovery (verified from the pages' events)",
    '',
  ];
  for (const { rollback, verdict } of rollbacks) {
    const check = verdict?.evidence as RecoveryCheck | undefined;
    const r = check?.results[0];
    out.push(
      `- Rollback #${rollback.seq}: ${check ? `**${check.status}**` : '**not verified**'}${r ? ` — ${r.switched} of ${r.seenAfter} returning treated users on v1${r.secondsToTarget !== null ? `, 95 % after ${r.secondsToTarget} s` : ''}${r.metric ? `; ${r.metric.label}: ${r.metric.detail}` : ''}` : ''}`,
    );
  }
  if (rollbacks.length === 0) out.push('_No rollback in the period._');
  out.push(
    '- CDN: no purge was needed (token files are content-hashed and immutable).',
    '',
    '## Root cause',
    '',
    TODO,
    '',
    '## What went well / what did not',
    '',
    `- ${TODO}`,
    '',
    '## Actions',
    '',
    '| Action | Owner | Due |',
    '| --- | --- | --- |',
    `| ${TODO} | | |`,
    '',
  );
  return out.join('\n');
}

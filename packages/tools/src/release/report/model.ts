// The report's derived facts, shared by the HTML and Markdown renderers: number formats, token byte
// totals against the plan's levels, rollbacks with their recovery verdicts, and what the next stage needs.
// Pure.
import type { AuditEntry } from '../../audit/types.js';
import { successGateOf } from '../../gate/thresholds.js';
import type { ReportInputs, ReportLevel, ReportMetric, ReportStage } from './inputs.js';

/** The plan's bundle levels (v2 token CSS, whole site; KB of 1000 bytes, as gate/levels.ts counts). */
export const BUNDLE = { baseline: 121_000, target: 30_000, trigger: 40_000 };

/** The section ids, in order: the e2e test checks each renders. */
export const SECTIONS = [
  ['summary', 'Stage and dates'],
  ['users', 'Users per arm and region'],
  ['metrics', 'Metrics against their triggers and targets'],
  ['decisions', 'Decisions'],
  ['rollbacks', 'Rollbacks and recovery'],
  ['audit', 'Audit trail of the period'],
  ['bugs', 'P1 bugs'],
  ['fallbacks', 'Fallbacks per family'],
  ['tokens', 'Token bytes'],
  ['next', 'What the next stage needs'],
] as const;

/** `2025-02-17 09:30 UTC`. */
export function when(ms: number | string): string {
  const d = typeof ms === 'string' ? new Date(ms) : new Date(ms);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An effect in the metric's units: points for rates, percent for relative changes. */
export function effect(m: Pick<ReportMetric, 'scale'>, value: number | null): string {
  if (value === null) return '–';
  const text = (Math.abs(value) * 100).toFixed(m.scale === 'absolute' ? 2 : 1);
  // No sign on what rounds to zero ("−0.0 %" reads as a harm that is not there).
  const sign = Number(text) === 0 ? '' : value > 0 ? '+' : '−';
  return `${sign}${text} ${m.scale === 'absolute' ? 'pt' : '%'}`;
}

/** The trigger and margin as signed effects (harm is positive for "higher is worse", negative otherwise). */
export function harmSide(m: ReportMetric): { trigger: number; margin: number } {
  const s = m.worse === 'higher' ? 1 : -1;
  return { trigger: s * m.trigger, margin: s * m.margin };
}

/** A level's value in its unit. */
export function levelValue(l: Pick<ReportLevel, 'unit'>, value: number | null): string {
  if (value === null) return '–';
  if (l.unit === 'share') return `${(value * 100).toFixed(2)} %`;
  if (l.unit === 'bytes') return `${(value / 1000).toFixed(1)} KB`;
  if (l.unit === 'ms') return `${Math.round(value)} ms`;
  return String(Math.round(value));
}

/** `12.3 KB`. */
export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

/** The manifest's bytes: v1 (the monolith) and v2 (core + families), and v2 per family. */
export function tokenTotals(manifest: NonNullable<ReportInputs['manifest']>) {
  const sum = (version: 'v1' | 'v2', key: 'bytes' | 'gzipBytes') =>
    manifest.files.filter((f) => f.version === version).reduce((n, f) => n + f[key], 0);
  return {
    v1: { bytes: sum('v1', 'bytes'), gzip: sum('v1', 'gzipBytes') },
    v2: { bytes: sum('v2', 'bytes'), gzip: sum('v2', 'gzipBytes') },
    files: [...manifest.files].sort((a, b) => a.version.localeCompare(b.version) || b.bytes - a.bytes),
  };
}

/** Each rollback of the period with its recovery verdict, if one was recorded. */
export function rollbacksOf(
  audit: readonly AuditEntry[],
): { rollback: AuditEntry; verdict: AuditEntry | null }[] {
  return audit
    .filter((e) => e.kind === 'rollback')
    .map((rollback) => ({
      rollback,
      verdict:
        audit.find(
          (e) =>
            e.action === 'verify-recovery' &&
            (e.evidence as { rollbackSeq?: unknown } | null)?.rollbackSeq === rollback.seq,
        ) ?? null,
    }));
}

/** The stage after `stage` in the flag's order, or null. */
export function nextStageOf(inputs: ReportInputs): ReportStage | null {
  const stages = inputs.flag?.stages ?? [];
  const at = stages.findIndex((s) => s.name === inputs.stage);
  return at >= 0 ? (stages[at + 1] ?? null) : null;
}

/** What must be true before the next stage may start, one line each. */
export function nextStageNeeds(inputs: ReportInputs): string[] {
  const next = nextStageOf(inputs);
  if (!next) return [`${inputs.stage} is the last stage: the rollout is complete once its gate is met.`];
  const needs: string[] = [];
  const gate = inputs.gate;
  if (!gate) needs.push(`The gate's verdict on ${inputs.stage} (${inputs.gateError ?? 'no gate report'}).`);
  else if (gate.decision.kind === 'rollback')
    needs.push(`Resolve the rollback first: ${gate.decision.reasons.join('; ')}.`);
  else if (gate.decision.kind === 'hold') {
    for (const r of gate.decision.reasons) needs.push(`${inputs.stage}'s gate: ${r}.`);
    if (gate.decision.usersNeeded)
      needs.push(`About ${gate.decision.usersNeeded.toLocaleString('en')} users in the comparison.`);
  } else needs.push(`${inputs.stage}'s success gate is met (${gate.successGate?.description ?? 'advance'}).`);
  const approval = inputs.release?.approvalStages;
  if (approval === 'all' || approval?.includes(next.name)) {
    const given = inputs.release?.approvals.filter((a) => a.stage === next.name) ?? [];
    needs.push(
      given.length > 0
        ? `Approval for ${next.name}: given by ${given.map((a) => a.by ?? 'someone').join(', ')}.`
        : `An approval for ${next.name}: token-rollout approve --stage ${next.name} --by NAME.`,
    );
  }
  const at = Math.max(next.startsAt ? Date.parse(next.startsAt) : 0, inputs.generatedAt);
  const freeze = (inputs.release?.freezes ?? []).find(
    (w) => Date.parse(w.from) <= at && at < Date.parse(w.until),
  );
  if (freeze)
    needs.push(
      `No freeze in force: "${freeze.name}" blocks advancing until ${when(freeze.until)} (${freeze.reason}).`,
    );
  needs.push(`Then ${next.name}'s own success gate: ${successGateOf(next.name).description}.`);
  return needs;
}

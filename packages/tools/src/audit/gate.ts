// What the gate sends with a change so that the audit trail records why: for the local flag server, the
// admin request's `reason`, `source` and `evidence` fields (`gateAuditFields`); for LaunchDarkly, the same
// reason as the semantic patch's `comment` (LaunchDarkly's own audit log keeps it), and the patch reported
// to the local audit trail with `launchDarklyAuditBody` (POST /admin/audit). Narrow input types: any
// `GateReport` (gate/report.ts) fits.
import { MAX_REASON_LENGTH } from './meta.js';

/** The parts of the gate's decision read here. */
export interface GateDecisionLike {
  kind: 'rollback' | 'advance' | 'hold';
  reasons: readonly string[];
  scope?: 'flag' | 'families';
  families?: readonly string[];
  nextStage?: string | null;
}

/** The parts of the gate's report read here (all but `decision` optional). */
export interface GateReportLike {
  stage?: string | null;
  decision: GateDecisionLike;
  metrics?: readonly {
    metric: string;
    label: string;
    estimate: number | null;
    interval: { lower: number; upper: number } | null;
    trigger: number;
    margin: number;
    status: { kind: string; reason: string };
  }[];
  users?: { treatment: number; control: number };
  p1Bugs?: number;
}

/** The evidence the audit entry keeps: the decision and each comparison's numbers, a few KB at most. */
export interface GateEvidence {
  stage: string | null;
  decision: GateDecisionLike['kind'];
  scope: 'flag' | 'families' | null;
  families: string[];
  reasons: string[];
  /** The metrics whose comparison said roll back: the recovery check watches the first. */
  triggers: string[];
  metrics: {
    metric: string;
    estimate: number | null;
    lower: number | null;
    upper: number | null;
    trigger: number;
    margin: number;
    status: string;
  }[];
  users: { treatment: number; control: number } | null;
  p1Bugs: number | null;
}

/** The one-line reason: the decision, its scope and stage, and its reasons. */
export function gateReason(report: GateReportLike): string {
  const d = report.decision;
  const what =
    d.kind === 'rollback'
      ? d.scope === 'families'
        ? `kill ${(d.families ?? []).join(', ')}`
        : 'roll back (flag off)'
      : d.kind === 'advance'
        ? `advance to ${d.nextStage ?? 'the next stage'}`
        : 'hold';
  const text = `token-rollout gate: ${what} at ${report.stage ?? 'no stage'}: ${d.reasons.join('; ')}`;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}

/** The decision's evidence, compact enough for an audit line. */
export function gateEvidence(report: GateReportLike): GateEvidence {
  const d = report.decision;
  const metrics = (report.metrics ?? []).map((m) => ({
    metric: m.metric,
    estimate: m.estimate,
    lower: m.interval?.lower ?? null,
    upper: m.interval?.upper ?? null,
    trigger: m.trigger,
    margin: m.margin,
    status: `${m.status.kind}: ${m.status.reason}`,
  }));
  return {
    stage: report.stage ?? null,
    decision: d.kind,
    scope: d.kind === 'rollback' ? (d.scope ?? 'flag') : null,
    families: [...(d.families ?? [])],
    reasons: [...d.reasons],
    triggers: (report.metrics ?? []).filter((m) => m.status.kind === 'rollback').map((m) => m.metric),
    metrics,
    users: report.users ? { treatment: report.users.treatment, control: report.users.control } : null,
    p1Bugs: report.p1Bugs ?? null,
  };
}

/** The fields to add to every admin request the gate's `--apply` sends: `{...change, ...gateAuditFields(report)}`. */
export function gateAuditFields(report: GateReportLike): {
  reason: string;
  source: 'gate';
  evidence: GateEvidence;
} {
  return { reason: gateReason(report), source: 'gate', evidence: gateEvidence(report) };
}

/** A LaunchDarkly semantic patch as the gate builds it (gate/launchdarkly.ts `ApiRequest`). */
export interface LaunchDarklyPatchLike {
  url: string;
  body?: unknown;
}

/**
 * The body of `POST /admin/audit` that records a LaunchDarkly patch the gate sent: the flag key from the
 * URL, the patch's `comment` as the reason, its environment and instructions as the evidence.
 */
export function launchDarklyAuditBody(
  request: LaunchDarklyPatchLike,
  evidence: GateEvidence | null = null,
): {
  action: 'launchdarkly-patch';
  source: 'launchdarkly';
  target: string;
  reason: string | null;
  evidence: unknown;
} {
  const body = (request.body ?? {}) as {
    comment?: unknown;
    environmentKey?: unknown;
    instructions?: unknown;
  };
  const path = new URL(request.url).pathname.split('/').filter(Boolean);
  const target = decodeURIComponent(path[path.length - 1] ?? 'unknown');
  return {
    action: 'launchdarkly-patch',
    source: 'launchdarkly',
    target,
    reason: typeof body.comment === 'string' ? body.comment : null,
    evidence: {
      url: request.url,
      environmentKey: body.environmentKey ?? null,
      instructions: body.instructions ?? [],
      ...(evidence ? { gate: evidence } : {}),
    },
  };
}

// What the dashboard shows of the gate: its decision for the active stage and, per comparison, the
// estimate with its always-valid interval and the threshold it is judged against. Served by GET /api/gate
// (endpoint.ts); the dashboard reads these types.

/** The gate's verdict as the dashboard labels it. */
export type GateDecision = 'advance' | 'hold' | 'rollback' | 'none';

/** One v2-against-v1 comparison. `estimate`, `lower`, `upper` and `threshold` share `unit`. */
export interface GateComparison {
  /** A stable id for charts, e.g. `error-rate` or `fcp:cards`. */
  id: string;
  label: string;
  unit: string;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  threshold: number | null;
  n: { v1: number; v2: number };
  verdict: string;
}

/** `GET /api/gate`. */
export interface GateView {
  stage: string | null;
  decision: GateDecision;
  reason: string;
  comparisons: GateComparison[];
  /** The sample ratio check (gate/stats/sample-ratio.ts): whether the groups are the sizes they should be. */
  sampleRatio?: { mismatch: boolean; text: string };
  /** Set when the gate could not be evaluated (no data yet, or the collector is unreachable). */
  error?: string;
}

/** The parts of the gate's report the dashboard reads (structurally `GateReport` from gate/report.ts). */
export interface GateReportLike {
  stage: string | null;
  decision:
    | { kind: 'rollback'; scope: 'flag'; reasons: string[] }
    | { kind: 'rollback'; scope: 'families'; families: string[]; reasons: string[] }
    | { kind: 'advance'; nextStage: string | null; reasons: string[] }
    | { kind: 'hold'; reasons: string[] };
  metrics: readonly {
    metric: string;
    label: string;
    scale: 'absolute' | 'relative';
    worse: 'higher' | 'lower';
    v1: { n: number };
    v2: { n: number };
    estimate: number | null;
    interval: { lower: number; upper: number } | null;
    trigger: number;
    status: { kind: string; reason: string };
  }[];
  sampleRatio?:
    | { kind: 'not-checked'; reason: string }
    | { kind: 'checked'; mismatch: boolean; reason: string };
}

/** Turns the gate's report into what the dashboard shows: percentages and points, signed triggers. */
export function gateViewOf(report: GateReportLike): GateView {
  const { decision } = report;
  let reason = decision.reasons.join('; ');
  if (decision.kind === 'rollback' && decision.scope === 'families') {
    reason = `kill ${decision.families.join(', ')}: ${reason}`;
  } else if (decision.kind === 'rollback') {
    reason = `turn the flag off: ${reason}`;
  } else if (decision.kind === 'advance') {
    reason = `${decision.nextStage ? `advance to ${decision.nextStage}` : 'rollout complete'}: ${reason}`;
  }
  const scaled = (value: number | null | undefined) => (value == null ? null : value * 100);
  const ratio = report.sampleRatio;
  return {
    stage: report.stage,
    decision: decision.kind,
    reason,
    ...(ratio
      ? {
          sampleRatio:
            ratio.kind === 'checked'
              ? { mismatch: ratio.mismatch, text: ratio.reason }
              : { mismatch: false, text: `not checked: ${ratio.reason}` },
        }
      : {}),
    comparisons: report.metrics.map((m) => ({
      id: m.metric,
      label: m.label,
      unit: m.scale === 'absolute' ? 'pp' : '%',
      estimate: scaled(m.estimate),
      lower: scaled(m.interval?.lower),
      upper: scaled(m.interval?.upper),
      threshold: (m.worse === 'higher' ? 1 : -1) * m.trigger * 100,
      n: { v1: m.v1.n, v2: m.v2.n },
      verdict: `${m.status.kind}: ${m.status.reason}`,
    })),
  };
}

/** The view when there is nothing to judge yet (no events, or none in a stage). */
export function emptyGateView(stage: string | null, message: string): GateView {
  return { stage, decision: 'none', reason: message, comparisons: [] };
}

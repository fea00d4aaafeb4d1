// What the weekly status report is built from, as narrow types: the gate's report (any `GateReport` from
// gate/report.ts fits `ReportGate`; only these fields are read, so the gate can grow without breaking it),
// the flag and release state, the audit entries and P1 bugs of the period, the token manifest, and a
// summary of the period's events (`summarizeEvents`, pure).
import type { AuditEntry } from '../../audit/types.js';

/** One v2-vs-control comparison of the gate (gate/report.ts `MetricEvidence`). */
export interface ReportMetric {
  metric: string;
  label: string;
  scale: 'absolute' | 'relative';
  worse: 'higher' | 'lower';
  estimate: number | null;
  interval: { lower: number; upper: number } | null;
  trigger: number;
  margin: number;
  inGate?: boolean;
  status: { kind: string; reason: string };
  control?: { n: number };
  treatment?: { n: number };
}

/** One row of the plan's table, judged (gate/absolute.ts `LevelCheck`). */
export interface ReportLevel {
  id: string;
  label: string;
  unit: 'bytes' | 'ms' | 'share' | 'score';
  baseline: number | null;
  rollbackLevel: { direction: 'above' | 'below'; value: number } | null;
  targetText: string;
  value: number | null;
  status: { kind: string; reason: string };
  target: { kind: string; reason: string };
}

/** The gate's report, as far as the status report reads it. */
export interface ReportGate {
  stage: string | null;
  decision: {
    kind: 'rollback' | 'advance' | 'hold';
    reasons: readonly string[];
    scope?: 'flag' | 'families';
    families?: readonly string[];
    nextStage?: string | null;
    usersNeeded?: number | null;
    cannotBeShown?: readonly string[];
  };
  successGate?: {
    description: string;
    met: boolean;
    checks?: readonly { name: string; met: boolean; reason: string }[];
  };
  users?: { treatment: number; control: number; ineligible?: number; fellBack?: number };
  metrics: readonly ReportMetric[];
  levels?: readonly ReportLevel[];
  families?: readonly { family: string; kill: boolean; fallbackRate?: { n: number; mean: number | null } }[];
  cannotKnow?: readonly string[];
  notes?: readonly string[];
}

/** One stage as the admin state lists it. */
export interface ReportStage {
  name: string;
  percentage: number;
  regions: readonly string[];
  components: readonly string[];
  startsAt: string | null;
}

/** A bug as `GET /bugs` lists it. */
export interface ReportBug {
  id: string;
  severity: string;
  title: string;
  link: string | null;
  reportedAt: number;
  withdrawnAt: number | null;
}

/** A token manifest (tokens/manifest.ts): the files the page can load. */
export interface ReportManifest {
  files: readonly { family: string; version: 'v1' | 'v2'; file: string; bytes: number; gzipBytes: number }[];
}

/** The period's events, summarised. */
export interface EventSummary {
  events: number;
  /** Distinct users per region: by assignment group, and by the arm their pages rendered (a user may count in two arms). */
  regions: {
    region: string;
    treatment: number;
    control: number;
    ineligible: number;
    v1: number;
    v2: number;
    mixed: number;
  }[];
  /** Fallback events per family and reason, with the distinct users they came from. */
  fallbacks: { family: string; reason: string; events: number; users: number }[];
  firstAt: number | null;
  lastAt: number | null;
}

/** Everything the report is made of. */
export interface ReportInputs {
  stage: string;
  since: number;
  until: number;
  generatedAt: number;
  /** Where the data came from (the server URL or files), for the footer. */
  source: string;
  flag: {
    on: boolean;
    activeStage: string | null;
    stages: readonly ReportStage[];
    killed: readonly string[];
  } | null;
  release: {
    freezes: readonly { name: string; from: string; until: string; reason: string; active: boolean }[];
    approvalStages: readonly string[] | 'all';
    approvals: readonly { stage: string; by: string | null; at: string }[];
  } | null;
  gate: ReportGate | null;
  /** Why the gate report is missing, when it is. */
  gateError?: string;
  summary: EventSummary;
  audit: readonly AuditEntry[];
  bugs: readonly ReportBug[];
  manifest: ReportManifest | null;
}

/** The event fields the summary reads (a `MetricEvent` fits). */
export interface SummaryEvent {
  name: string;
  value: number | string;
  arm: 'v1' | 'v2' | 'mixed';
  family?: string;
  stage: string | null;
  region: string;
  user: string;
  assignment?: 'treatment' | 'control' | 'ineligible';
  ts: number;
  receivedAt?: number;
}

/** Summarises the events of `stage` received in [since, until). Pure. */
export function summarizeEvents(
  events: Iterable<SummaryEvent>,
  stage: string,
  since: number,
  until: number,
): EventSummary {
  const regions = new Map<
    string,
    Record<'treatment' | 'control' | 'ineligible' | 'v1' | 'v2' | 'mixed', Set<string>>
  >();
  const fallbacks = new Map<string, { family: string; reason: string; events: number; users: Set<string> }>();
  let count = 0;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  for (const e of events) {
    const t = e.receivedAt ?? e.ts;
    if (e.stage !== stage || t < since || t >= until) continue;
    count++;
    firstAt = firstAt === null ? t : Math.min(firstAt, t);
    lastAt = lastAt === null ? t : Math.max(lastAt, t);
    const region = e.region || '??';
    let row = regions.get(region);
    if (!row) {
      row = {
        treatment: new Set(),
        control: new Set(),
        ineligible: new Set(),
        v1: new Set(),
        v2: new Set(),
        mixed: new Set(),
      };
      regions.set(region, row);
    }
    if (e.assignment) row[e.assignment].add(e.user);
    // An exposure's arm is one family's version, not what the page rendered.
    if (e.name !== 'exposure') row[e.arm].add(e.user);
    if (e.name === 'fallback') {
      const family = e.family ?? 'page';
      const reason = String(e.value);
      const key = `${family}\u0000${reason}`;
      const f = fallbacks.get(key) ?? { family, reason, events: 0, users: new Set<string>() };
      f.events++;
      f.users.add(e.user);
      fallbacks.set(key, f);
    }
  }
  return {
    events: count,
    regions: [...regions.entries()]
      .map(([region, r]) => ({
        region,
        treatment: r.treatment.size,
        control: r.control.size,
        ineligible: r.ineligible.size,
        v1: r.v1.size,
        v2: r.v2.size,
        mixed: r.mixed.size,
      }))
      .sort((a, b) => a.region.localeCompare(b.region)),
    fallbacks: [...fallbacks.values()]
      .map((f) => ({ family: f.family, reason: f.reason, events: f.events, users: f.users.size }))
      .sort((a, b) => a.family.localeCompare(b.family) || b.events - a.events),
    firstAt,
    lastAt,
  };
}

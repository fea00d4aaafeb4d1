// The gate's output: a decision with its reason, and the evidence behind it (what --json prints and the
// dashboard shows).
import type { Family } from 'token-rollout/core';
import type { ControlSource } from './control.js';
import type { MetricStatus } from './decide.js';
import type { Interval } from './stats/confidence-sequence.js';
import type { EffectScale } from './stats/effect.js';
import type { Summary } from './stats/summary.js';
import type { PageMetric } from './thresholds.js';

/** What to do with the rollout, and why. */
export type GateDecision =
  | { kind: 'rollback'; scope: 'flag'; reasons: string[] }
  | { kind: 'rollback'; scope: 'families'; families: Family[]; reasons: string[] }
  | { kind: 'advance'; nextStage: string | null; reasons: string[] }
  | { kind: 'hold'; reasons: string[]; usersNeeded: number | null };

/** The evidence for one comparison. */
export interface MetricEvidence {
  metric: PageMetric;
  label: string;
  scale: EffectScale;
  worse: 'higher' | 'lower';
  v1: Summary;
  v2: Summary;
  estimate: number | null;
  se: number | null;
  interval: Interval | null;
  trigger: number;
  margin: number;
  /** Part of this stage's success gate. */
  inGate: boolean;
  status: MetricStatus;
}

/** A family's evidence: its error-rate comparison and its fallback share. */
export interface FamilyEvidence {
  family: Family;
  errorsTagged: boolean;
  comparison: MetricEvidence;
  fallbackRate: Summary;
  kill: boolean;
}

/** Everything one evaluation found. */
export interface GateReport {
  stage: string | null;
  decision: GateDecision;
  successGate: { description: string; metrics: PageMetric[]; met: boolean };
  alpha: { total: number; perComparison: number; comparisons: number; method: 'bonferroni' };
  targetUsers: number;
  users: { v1: number; v2: number; optedOut: number; outsideRegions: number };
  regions: string[];
  durationMs: number;
  minUsersPerArm: number;
  minDurationMs: number;
  monitorEveryMinutes: number;
  p1Bugs: number;
  metrics: MetricEvidence[];
  families: FamilyEvidence[];
  stagesInData: string[];
  /** Whose v1 users were the control: the stage's own, or an earlier stage's when it has none (100 %). */
  control: ControlSource;
}

// The gate's output: a decision with its reasons, and the evidence behind it (what --json prints and the
// dashboard shows).
import type { Family } from 'token-rollout/core';
import type { LevelCheck } from './absolute.js';
import type { UserCounts } from './aggregate.js';
import type { ControlSource } from './control.js';
import type { MetricStatus } from './decide.js';
import type { Knowability } from './knowable.js';
import type { P1Summary } from './p1.js';
import type { Clock, Exclusion } from './screen.js';
import type { Interval } from './stats/confidence-sequence.js';
import type { EffectScale } from './stats/effect.js';
import type { SampleRatio } from './stats/sample-ratio.js';
import type { Summary } from './stats/summary.js';
import type { PageMetric } from './thresholds.js';

/** What to do with the rollout, and why. */
export type GateDecision =
  | { kind: 'rollback'; scope: 'flag'; reasons: string[] }
  | { kind: 'rollback'; scope: 'families'; families: Family[]; reasons: string[] }
  | { kind: 'advance'; nextStage: string | null; reasons: string[] }
  | {
      kind: 'hold';
      reasons: string[];
      /** Users (both groups) at which the gate's pending comparisons would decide, when that is known. */
      usersNeeded: number | null;
      /** Gate checks the data of this stage cannot decide: a person has to (extend, accept or stop). */
      cannotBeShown: string[];
    };

/** How the stage that was judged was chosen. */
export type StageSource =
  | { kind: 'option' }
  | { kind: 'flag-server'; url: string }
  | { kind: 'launchdarkly'; environment: string }
  | { kind: 'latest-data' };

/** The evidence for one comparison, treatment against control (by assignment). */
export interface MetricEvidence {
  metric: PageMetric;
  label: string;
  scale: EffectScale;
  worse: 'higher' | 'lower';
  /** The control group's per-user values (capped), unweighted. */
  control: Summary;
  /** The treatment group's per-user values (capped), unweighted. */
  treatment: Summary;
  /** Same as `control`: the name the dashboard reads. */
  v1: Summary;
  /** Same as `treatment`: the name the dashboard reads. */
  v2: Summary;
  /** The post-stratified effect, its standard error and always-valid interval. */
  estimate: number | null;
  se: number | null;
  interval: Interval | null;
  trigger: number;
  margin: number;
  /** Part of this stage's success gate. */
  inGate: boolean;
  status: MetricStatus;
  /** The winsorizing cap applied to per-user values (continuous metrics), else null. */
  cap: number | null;
  stratification: {
    strata: string[];
    merged: string[];
    dropped: string[];
    /** The standard error without stratification, and var(stratified) / var(unstratified). */
    unstratifiedSe: number | null;
    varianceRatio: number | null;
  };
  knowable: Knowability;
}

/** A family's evidence: its error-rate comparison and its fallback share. */
export interface FamilyEvidence {
  family: Family;
  errorsTagged: boolean;
  comparison: MetricEvidence;
  fallbackRate: Summary;
  kill: boolean;
}

/** One check of the stage's success gate. */
export interface GateCheck {
  name: string;
  met: boolean;
  reason: string;
  /** The data of this stage is not expected to decide it. */
  cannotBeShown: boolean;
}

/** What was read and what was left out. */
export interface InputSummary {
  /** Lines of the NDJSON input that were not events (skipped). */
  badLines: number;
  badLineSamples: string[];
  /** Events read, and how many the comparison could not use, by reason. */
  events: number;
  excluded: Record<Exclusion, number>;
  excludedSamples: string[];
  clock: Clock;
  /** Events timed by the client's `ts` (only with the client clock). */
  clientTimed: number;
}

/** Everything one evaluation found. */
export interface GateReport {
  stage: string | null;
  stageSource: StageSource;
  decision: GateDecision;
  successGate: {
    description: string;
    definition: string;
    metrics: PageMetric[];
    checks: GateCheck[];
    met: boolean;
  };
  alpha: { total: number; perComparison: number; comparisons: number; method: 'bonferroni' };
  targetUsers: number;
  input: InputSummary;
  users: UserCounts;
  regions: string[];
  durationMs: number;
  minUsersPerArm: number;
  minDurationMs: number;
  monitorEveryMinutes: number;
  /** P1 bugs counted (the number the trigger compares with 3). */
  p1Bugs: number;
  p1: P1Summary;
  metrics: MetricEvidence[];
  families: FamilyEvidence[];
  /** The plan's table: absolute rollback levels and targets on v2's own numbers. */
  levels: LevelCheck[];
  /** Per comparison or level that this stage cannot decide: how many users it would need. */
  cannotKnow: string[];
  stagesInData: string[];
  /** Whose users were the control: the stage's own, an earlier stage's (at 100 %), or none. */
  control: ControlSource;
  /** Whether the stage's groups are the sizes its percentage gives (a mismatch holds the stage). */
  sampleRatio: SampleRatio;
  /** Caveats the reader must know (historical control, client clocks, how the stage was chosen). */
  notes: string[];
}

// From the evidence to one decision, in the plan's order of severity: P1 bugs, then the relative rollback
// triggers and the table's absolute levels (flag off), then a family's own errors (its kill switch), then
// the stage's success gate (advance), else hold with what is missing, including what this stage's data
// cannot decide at all. A sample ratio mismatch holds: the comparisons are biased, so they cannot show
// v2 safe, but a rollback they show still stands (rolling back is the safe side).
import type { LevelCheck } from './absolute.js';
import type { UserCounts } from './aggregate.js';
import type { ControlSource } from './control.js';
import type { P1Summary } from './p1.js';
import type { FamilyEvidence, GateCheck, GateDecision, MetricEvidence } from './report.js';
import type { SampleRatio } from './stats/sample-ratio.js';
import { P1_BUG_LIMIT, successGateOf } from './thresholds.js';

/** Everything the decision reads. */
export interface DecisionInput {
  stage: string;
  metrics: MetricEvidence[];
  families: FamilyEvidence[];
  levels: LevelCheck[];
  checks: GateCheck[];
  p1: P1Summary;
  control: ControlSource;
  users: UserCounts;
  sampleRatio: SampleRatio;
  durationMs: number;
  minUsersPerArm: number;
  minDurationMs: number;
  stageOrder: readonly string[];
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

/** The decision and its reasons. */
export function decideFrom(input: DecisionInput): GateDecision {
  if (input.p1.count >= P1_BUG_LIMIT) {
    const listed = input.p1.bugs.map((b) => b.id).join(', ');
    return {
      kind: 'rollback',
      scope: 'flag',
      reasons: [
        `${input.p1.count} P1 bugs reported in the last ${input.p1.windowHours} h${listed ? ` (${listed})` : ''} (${P1_BUG_LIMIT}+ is a hard stop; ${input.p1.source})`,
      ],
    };
  }
  const triggered = [
    ...input.metrics.filter((m) => m.status.kind === 'rollback').map((m) => `${m.label}: ${m.status.reason}`),
    ...input.levels
      .filter((l) => l.status.kind === 'exceeded')
      .map((l) => `${l.label} (plan level): ${l.status.reason}`),
  ];
  if (triggered.length > 0) return { kind: 'rollback', scope: 'flag', reasons: triggered };
  const killed = input.families.filter((f) => f.kill);
  if (killed.length > 0) {
    return {
      kind: 'rollback',
      scope: 'families',
      families: killed.map((f) => f.family),
      reasons: killed.map((f) => `${f.family} errors: ${f.comparison.status.reason}`),
    };
  }
  const waiting: string[] = [];
  const cannotBeShown: string[] = [];
  let usersNeeded: number | null = null;
  for (const check of input.checks) {
    if (check.met) continue;
    if (check.cannotBeShown) {
      waiting.push(
        `${check.name}: ${check.reason}; decide by hand (extend the stage, or accept the risk and advance)`,
      );
      cannotBeShown.push(check.name);
    } else waiting.push(`${check.name}: ${check.reason}`);
  }
  for (const m of input.metrics) {
    if (!m.inGate || m.status.kind === 'within-margin') continue;
    const k = m.knowable;
    const needed = k.kind === 'reachable' || k.kind === 'not-in-this-stage' ? k.usersNeeded : null;
    if (needed !== null) usersNeeded = Math.max(usersNeeded ?? 0, needed);
  }
  if (input.control.kind === 'none') waiting.push(`no control group: ${input.control.reason}`);
  if (input.sampleRatio.kind === 'checked' && input.sampleRatio.mismatch) {
    waiting.push(`${input.sampleRatio.reason}; find where users are lost before advancing`);
  }
  const smaller = Math.min(input.users.control, input.users.treatment);
  if (smaller < input.minUsersPerArm) {
    waiting.push(
      `minimum sample: ${input.minUsersPerArm} users per group (control ${input.users.control}, treatment ${input.users.treatment})`,
    );
  }
  if (input.durationMs < input.minDurationMs) {
    waiting.push(
      `minimum duration: ${hours(input.minDurationMs)} (stage data spans ${hours(input.durationMs)}, server time)`,
    );
  }
  if (waiting.length > 0) {
    const total = input.users.control + input.users.treatment;
    if (usersNeeded !== null && usersNeeded > total) {
      const share = total > 0 ? input.users.treatment / total : 0;
      waiting.push(
        `about ${usersNeeded - total} more users (≈ ${Math.ceil((usersNeeded - total) * share)} treated) at the current split and variance`,
      );
    }
    return { kind: 'hold', reasons: waiting, usersNeeded, cannotBeShown };
  }
  const at = input.stageOrder.indexOf(input.stage);
  const nextStage = at >= 0 ? (input.stageOrder[at + 1] ?? null) : null;
  return {
    kind: 'advance',
    nextStage,
    reasons: [
      `success gate met (${successGateOf(input.stage).description})`,
      ...input.checks.map((c) => `${c.name}: ${c.reason}`),
    ],
  };
}

// evaluateGate: events in, decision and evidence out. Pure: no I/O, no clock (the stage's duration is the
// span of its own events), so the CLI, the dashboard and the simulation all run the same code.
import type { MetricEvent } from 'token-rollout/core';
import { aggregateStage, type StageAggregate, stagesIn } from './aggregate.js';
import { withControl } from './control.js';
import { type CompareSettings, compare } from './decide.js';
import { GateInputError } from './events.js';
import type { FamilyEvidence, GateDecision, GateReport, MetricEvidence } from './report.js';
import { sequentialRho } from './stats/confidence-sequence.js';
import type { Summary } from './stats/summary.js';
import {
  METRIC_RULES,
  monitorEveryOf,
  P1_BUG_LIMIT,
  PAGE_METRICS,
  type PageMetric,
  PLAN_STAGES,
  successGateOf,
} from './thresholds.js';

/** Options of one evaluation; every field has a default. */
export interface GateOptions {
  /** The stage to judge; default the stage with the latest event. */
  stage?: string;
  /** P1 bugs reported (3+ rolls back regardless of the data). */
  p1Bugs?: number;
  /** Total false-alarm budget, split across comparisons (default 0.05). */
  alpha?: number;
  /** Total users (both arms) at which the sequences are tightest: GrowthBook's tuning parameter (default 100000). */
  targetUsers?: number;
  /** Users per arm before advancing (default 1000). */
  minUsersPerArm?: number;
  /** Stage duration before advancing, in ms (default 24 h: one full daily cycle). */
  minDurationMs?: number;
  /** Stage order for naming the next stage (default week1 … week4). */
  stageOrder?: readonly string[];
}

const HOUR = 3_600_000;

/** Defaults of GateOptions, exported for the CLI's help text. */
export const GATE_DEFAULTS = {
  alpha: 0.05,
  targetUsers: 100_000,
  minUsersPerArm: 1000,
  minDurationMs: 24 * HOUR,
} as const;

function evidence(
  metric: PageMetric,
  v1: Summary,
  v2: Summary,
  settings: CompareSettings,
  inGate: boolean,
): MetricEvidence {
  const rule = METRIC_RULES[metric];
  const result = compare(rule, v1, v2, settings);
  return {
    metric,
    label: rule.label,
    scale: rule.scale,
    worse: rule.worse,
    v1,
    v2,
    estimate: result.effect?.estimate ?? null,
    se: result.effect?.se ?? null,
    interval: result.interval,
    trigger: rule.trigger,
    margin: rule.margin,
    inGate,
    status: result.status,
  };
}

function hours(ms: number): string {
  return `${(ms / HOUR).toFixed(1)} h`;
}

/** Decides from an already aggregated stage (the simulation calls this directly). */
export function decideStage(
  aggregate: StageAggregate,
  options: GateOptions = {},
  stagesInData: string[] = [],
): GateReport {
  const alphaTotal = options.alpha ?? GATE_DEFAULTS.alpha;
  const targetUsers = options.targetUsers ?? GATE_DEFAULTS.targetUsers;
  const minUsersPerArm = options.minUsersPerArm ?? GATE_DEFAULTS.minUsersPerArm;
  const minDurationMs = options.minDurationMs ?? GATE_DEFAULTS.minDurationMs;
  const p1Bugs = options.p1Bugs ?? 0;
  const stage = aggregate.stage;
  const gate = successGateOf(stage);
  // Bonferroni: every comparison that can trigger a decision gets an equal share of alpha.
  const comparisons = PAGE_METRICS.length + aggregate.families.length;
  const alpha = alphaTotal / comparisons;
  const settings: CompareSettings = { alpha, rho: sequentialRho(alpha, targetUsers) };
  const metrics = PAGE_METRICS.map((m) =>
    evidence(m, aggregate.metrics[m].v1, aggregate.metrics[m].v2, settings, gate.metrics.includes(m)),
  );
  const families: FamilyEvidence[] = aggregate.families.map((f) => {
    const comparison = evidence('error-rate', f.errorRate.v1, f.errorRate.v2, settings, false);
    return {
      family: f.family,
      errorsTagged: f.errorsTagged,
      comparison,
      fallbackRate: f.fallbackRate,
      kill: comparison.status.kind === 'rollback',
    };
  });
  const durationMs = Math.max(0, aggregate.lastTs - aggregate.firstTs);
  const gateMet = metrics.filter((m) => m.inGate).every((m) => m.status.kind === 'within-margin');
  const decision = decideFrom({
    stage,
    metrics,
    families,
    p1Bugs,
    gateMet,
    users: aggregate.users,
    durationMs,
    minUsersPerArm,
    minDurationMs,
    stageOrder: options.stageOrder ?? PLAN_STAGES,
  });
  return {
    stage,
    decision,
    successGate: { description: gate.description, metrics: [...gate.metrics], met: gateMet },
    alpha: { total: alphaTotal, perComparison: alpha, comparisons, method: 'bonferroni' },
    targetUsers,
    users: aggregate.users,
    regions: aggregate.regions,
    durationMs,
    minUsersPerArm,
    minDurationMs,
    monitorEveryMinutes: monitorEveryOf(stage),
    p1Bugs,
    metrics,
    families,
    stagesInData,
    control: { kind: 'concurrent' },
  };
}

interface DecisionInput {
  stage: string;
  metrics: MetricEvidence[];
  families: FamilyEvidence[];
  p1Bugs: number;
  gateMet: boolean;
  users: { v1: number; v2: number };
  durationMs: number;
  minUsersPerArm: number;
  minDurationMs: number;
  stageOrder: readonly string[];
}

function decideFrom(input: DecisionInput): GateDecision {
  if (input.p1Bugs >= P1_BUG_LIMIT) {
    return {
      kind: 'rollback',
      scope: 'flag',
      reasons: [`${input.p1Bugs} P1 bugs reported (${P1_BUG_LIMIT}+ is a hard stop)`],
    };
  }
  const triggered = input.metrics.filter((m) => m.status.kind === 'rollback');
  if (triggered.length > 0) {
    return {
      kind: 'rollback',
      scope: 'flag',
      reasons: triggered.map((m) => `${m.label}: ${m.status.reason}`),
    };
  }
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
  let usersNeeded: number | null = null;
  for (const m of input.metrics) {
    if (!m.inGate || m.status.kind === 'within-margin') continue;
    waiting.push(`${m.label}: ${m.status.reason}`);
    if (m.status.kind === 'pending' && m.status.usersNeeded !== null) {
      // The estimate counts users with a value for this metric (e.g. only users who switched theme);
      // scale it to all users at the metric's current coverage.
      const covered = m.v1.n + m.v2.n;
      const all = input.users.v1 + input.users.v2;
      const overall = covered > 0 ? Math.ceil((m.status.usersNeeded * all) / covered) : m.status.usersNeeded;
      usersNeeded = Math.max(usersNeeded ?? 0, overall);
    }
  }
  const smaller = Math.min(input.users.v1, input.users.v2);
  if (smaller < input.minUsersPerArm) {
    waiting.push(
      `minimum sample: ${input.minUsersPerArm} users per arm (v1 ${input.users.v1}, v2 ${input.users.v2})`,
    );
  }
  if (input.durationMs < input.minDurationMs) {
    waiting.push(
      `minimum duration: ${hours(input.minDurationMs)} (stage data spans ${hours(input.durationMs)})`,
    );
  }
  if (waiting.length > 0) {
    const total = input.users.v1 + input.users.v2;
    if (usersNeeded !== null && usersNeeded > total) {
      const share = total > 0 ? input.users.v2 / total : 0;
      waiting.push(
        `about ${usersNeeded - total} more users (≈ ${Math.ceil((usersNeeded - total) * share)} on v2) at the current split and variance`,
      );
    }
    return { kind: 'hold', reasons: waiting, usersNeeded };
  }
  const at = input.stageOrder.indexOf(input.stage);
  const nextStage = at >= 0 ? (input.stageOrder[at + 1] ?? null) : null;
  const shown = input.metrics.filter((m) => m.inGate).map((m) => `${m.label}: ${m.status.reason}`);
  return {
    kind: 'advance',
    nextStage,
    reasons: [`success gate met (${successGateOf(input.stage).description})`, ...shown],
  };
}

/**
 * Evaluates the gate on raw events: picks the stage (default: the one with the latest event), aggregates
 * per user, compares v2 with v1 with confidence sequences and decides rollback / advance / hold.
 */
export function evaluateGate(events: readonly MetricEvent[], options: GateOptions = {}): GateReport {
  const stages = stagesIn(events);
  if (options.p1Bugs !== undefined && !(Number.isInteger(options.p1Bugs) && options.p1Bugs >= 0)) {
    throw new GateInputError(`p1Bugs must be a whole number >= 0, got ${options.p1Bugs}`);
  }
  const stage = options.stage ?? stages[stages.length - 1];
  const hardStop = (options.p1Bugs ?? 0) >= P1_BUG_LIMIT;
  // 3+ P1 bugs roll back even when there is no data to judge (an empty collector must not block it).
  if (hardStop && (stage === undefined || !stages.includes(stage))) {
    return decideStage(aggregateStage(events, stage ?? 'unknown'), options, stages);
  }
  if (stage === undefined) {
    throw new GateInputError(
      'no events with a stage: nothing to judge (were the events recorded while a stage was active?)',
    );
  }
  if (options.stage !== undefined && !stages.includes(options.stage)) {
    throw new GateInputError(
      `stage "${options.stage}" has no events; stages in the data: ${stages.length > 0 ? stages.join(', ') : 'none'}`,
    );
  }
  const current = aggregateStage(events, stage);
  const before = stages.indexOf(stage) - 1;
  const previous = before >= 0 ? aggregateStage(events, stages[before]!) : null;
  const { aggregate, control } = withControl(current, previous);
  return { ...decideStage(aggregate, options, stages), control };
}

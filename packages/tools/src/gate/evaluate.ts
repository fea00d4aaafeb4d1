// evaluateGate: events in, decision and evidence out. Pure: no I/O and no clock of its own (durations are
// the span of the stage's server receive times), so the CLI, the dashboard and the simulation all run it.
// decideStage is the same decision from sufficient statistics alone (aggregate.ts), which is what the
// simulation and, later, the event store's SQL feed it.

import { checkLevels, type LevelCheck, type LevelInputs, STATISTICAL_LEVELS } from './absolute.js';
import { aggregateStage, type StageAggregate } from './aggregate.js';
import { type CompareSettings, compare } from './decide.js';
import { decideFrom } from './decision.js';
import { GateInputError } from './events.js';
import { decisionUsers, type Knowability, knowability, type Pace } from './knowable.js';
import { type P1Source, p1Summary } from './p1.js';
import type {
  FamilyEvidence,
  GateCheck,
  GateReport,
  InputSummary,
  MetricEvidence,
  StageSource,
} from './report.js';
import type { Clock } from './screen.js';
import { sequentialRho } from './stats/confidence-sequence.js';
import { effectOf } from './stats/effect.js';
import { SRM_ALPHA, sampleRatio } from './stats/sample-ratio.js';
import { pooled, type StratumMoments, stratify } from './stats/stratify.js';
import { type Moments, summaryOfMoments } from './stats/summary.js';
import { addAllToTally, createTally, type StageTally, stagesByLatest, type Tally } from './tally.js';
import {
  METRIC_RULES,
  type MetricRule,
  monitorEveryOf,
  PAGE_METRICS,
  type PageMetric,
  PLAN_STAGES,
  PLANNED_STAGE_MS,
  successGateOf,
} from './thresholds.js';

/** Options of one evaluation; every field has a default. */
export interface GateOptions {
  /** The stage to judge; default the stage with the latest data (by server time). */
  stage?: string;
  /** How `stage` was chosen, for the report (default: 'option' when `stage` is set, else 'latest-data'). */
  stageSource?: StageSource;
  /** The P1 bugs: from the bug service, or a typed count. */
  p1?: P1Source;
  /** A typed P1 count (3+ rolls back); overrides `p1`. */
  p1Bugs?: number;
  /** Whose clock times events: 'server' (receivedAt, default) or 'client' (ts when receivedAt is missing). */
  clock?: Clock;
  /** The manifest's v2 bytes and a recorded Lighthouse run, for the table's rows the events cannot give. */
  levels?: Partial<LevelInputs>;
  /** Total false-alarm budget, split across comparisons (default 0.05). */
  alpha?: number;
  /** Total users (both groups) at which the sequences are tightest: GrowthBook's tuning parameter (default 100000). */
  targetUsers?: number;
  /** Users per group before advancing (default 1000). */
  minUsersPerArm?: number;
  /** Stage duration before advancing, in ms (default 24 h: one full daily cycle). */
  minDurationMs?: number;
  /** The stage's planned length, against which "users needed" is weighed (default 5 days). */
  plannedStageMs?: number;
  /** Stage order for naming the next stage and finding an earlier stage's control (default week1 … week4). */
  stageOrder?: readonly string[];
  /** False-alarm level of the sample ratio check over the whole stage (default 0.001). */
  srmAlpha?: number;
}

const HOUR = 3_600_000;

/** Defaults of GateOptions, exported for the CLI's help text. */
export const GATE_DEFAULTS = {
  alpha: 0.05,
  targetUsers: 100_000,
  minUsersPerArm: 1000,
  minDurationMs: 24 * HOUR,
  plannedStageMs: PLANNED_STAGE_MS,
  srmAlpha: SRM_ALPHA,
} as const;

function addMoments(list: readonly Moments[]): Moments {
  const m = { n: 0, sum: 0, sumSquares: 0 };
  for (const x of list) {
    m.n += x.n;
    m.sum += x.sum;
    m.sumSquares += x.sumSquares;
  }
  return m;
}

/** Group summaries as shown: all users of the group, unweighted. */
function shown(strata: readonly StratumMoments[]) {
  return {
    control: summaryOfMoments(addMoments(strata.map((s) => s.control))),
    treatment: summaryOfMoments(addMoments(strata.map((s) => s.treatment))),
  };
}

interface EvidenceContext {
  settings: CompareSettings;
  unmatched: 'merge' | 'drop';
  pace: Pace;
  stage: string;
  /** Users in the comparison (both groups), to scale a metric's own "users needed" to everyone. */
  allUsers: number;
}

function evidence(
  rule: MetricRule,
  strata: readonly StratumMoments[],
  cap: number | null,
  inGate: boolean,
  ctx: EvidenceContext,
  label = rule.label,
): MetricEvidence {
  const s = stratify(strata, rule.binary, ctx.unmatched);
  const plain = pooled(strata, rule.binary, ctx.unmatched);
  const result = compare(rule, s.groups.control, s.groups.treatment, ctx.settings);
  const plainEffect = effectOf(plain.control, plain.treatment, rule.scale);
  const effect = result.effect;
  // Shown over the users the estimate used: regions a historical control never covered are left out.
  const { control, treatment } = shown(strata.filter((x) => !s.dropped.includes(x.stratum)));
  let needed: number | null | 'too-few' = 'too-few';
  if (effect !== null && effect.se > 0) {
    const harm = (rule.worse === 'higher' ? 1 : -1) * effect.estimate;
    const n = s.groups.control.n + s.groups.treatment.n;
    const halfwidth = result.interval
      ? (result.interval.upper - result.interval.lower) / 2
      : Number.POSITIVE_INFINITY;
    const own = decisionUsers(rule, harm, effect.se, n, halfwidth, ctx.settings);
    needed = own === null ? null : Math.ceil((own * Math.max(ctx.allUsers, n)) / n);
  }
  const decided = result.status.kind === 'rollback' || result.status.kind === 'within-margin';
  const knowable: Knowability = knowability(label, ctx.stage, decided, needed, ctx.pace);
  return {
    metric: rule.metric,
    label,
    scale: rule.scale,
    worse: rule.worse,
    control,
    treatment,
    v1: control,
    v2: treatment,
    estimate: effect?.estimate ?? null,
    se: effect?.se ?? null,
    interval: result.interval,
    trigger: rule.trigger,
    margin: rule.margin,
    inGate,
    status: result.status,
    cap,
    stratification: {
      strata: s.strata,
      merged: s.merged,
      dropped: s.dropped,
      unstratifiedSe: plainEffect?.se ?? null,
      varianceRatio:
        effect && plainEffect && plainEffect.se > 0
          ? (effect.se * effect.se) / (plainEffect.se * plainEffect.se)
          : null,
    },
    knowable,
  };
}

/**
 * Whether the data can decide one side of a plan level (its rollback level, or its target): null when that
 * side is decided or not a sample. Levels count treatment users (or those with v2 loads): the pace is theirs.
 */
function levelKnowability(
  check: LevelCheck,
  side: 'status' | 'target',
  stage: string,
  pace: Pace,
): Knowability | null {
  const open = side === 'status' ? check.status : check.target;
  if (open.kind !== 'not-shown' || check.n === null) return null;
  const needed = open.usersNeeded === null || check.n < 30 ? 'too-few' : Math.ceil(open.usersNeeded);
  return knowability(check.label, stage, false, needed, { ...pace, users: check.n });
}

/** The success gate's checks: relative comparisons within margin, and plan targets shown met. */
function gateChecks(
  stage: string,
  metrics: MetricEvidence[],
  levels: LevelCheck[],
  targetKnown: readonly (Knowability | null)[],
): GateCheck[] {
  const gate = successGateOf(stage);
  const checks: GateCheck[] = [];
  for (const m of metrics) {
    if (!gate.metrics.includes(m.metric)) continue;
    const cannot = m.knowable.kind === 'not-in-this-stage';
    checks.push({
      name: m.label,
      met: m.status.kind === 'within-margin',
      reason: cannot ? m.knowable.reason.replace(`${m.label}: `, '') : m.status.reason,
      cannotBeShown: cannot,
    });
  }
  for (const id of gate.targets) {
    const at = levels.findIndex((x) => x.id === id);
    const l = levels[at]!;
    const known = targetKnown[at];
    const beyondStage = l.target.kind === 'not-shown' && known?.kind === 'not-in-this-stage';
    checks.push({
      name: `${l.label} target ${l.targetText}`,
      met: l.target.kind === 'met',
      reason: beyondStage ? known.reason.replace(`${l.label}: `, '') : l.target.reason,
      cannotBeShown: l.target.kind === 'not-measured' || beyondStage,
    });
  }
  return checks;
}

/** Context of a decision that the sufficient statistics do not carry. */
export interface DecideContext {
  stagesInData?: string[];
  input?: InputSummary;
}

/** What a read of no input says (every count 0, server time); a fresh object each call. */
export function emptyInput(): InputSummary {
  return {
    badLines: 0,
    badLineSamples: [],
    events: 0,
    excluded: { invalid: 0, 'no-assignment': 0, 'no-server-time': 0, 'no-stage': 0 },
    excludedSamples: [],
    clock: 'server',
    clientTimed: 0,
  };
}

function p1Source(options: GateOptions): P1Source {
  if (options.p1Bugs !== undefined) return { kind: 'override', count: options.p1Bugs };
  return options.p1 ?? { kind: 'not-checked', reason: 'no bug service given (--bugs URL)' };
}

function notesFor(aggregate: StageAggregate, source: StageSource, input: InputSummary): string[] {
  const notes: string[] = [];
  const c = aggregate.control;
  if (c.kind === 'historical') {
    notes.push(
      `control: ${aggregate.stage} has no concurrent control (everyone eligible is treated); the control group of ${c.stage} (${c.users} users) stands in. A historical control is weaker: whatever changed between the stages is mixed into the effects.`,
    );
    if (c.regionsWithout.length > 0) {
      notes.push(
        `regions without a historical control: ${c.regionsWithout.join(', ')}; they are left out of the comparisons and judged by the plan's absolute levels only`,
      );
    }
  } else if (c.kind === 'none') {
    notes.push(`control: none (${c.reason}); only the plan's absolute levels can be judged`);
  }
  if (input.clock === 'client') {
    notes.push(
      `times: ${input.clientTimed} events had no server receive time and were timed by the client's ts (client clock chosen): durations and "latest stage" are only as good as those clocks`,
    );
  }
  if (source.kind === 'latest-data') {
    notes.push(
      "stage: the one with the latest data (server time), as no flag source was given; --admin URL or --launchdarkly judges the flag's current stage",
    );
  }
  const excluded = Object.entries(input.excluded).filter(([, n]) => n > 0);
  if (excluded.length > 0) {
    notes.push(`events not used: ${excluded.map(([r, n]) => `${n} ${r}`).join(', ')} (of ${input.events})`);
  }
  if (input.badLines > 0) notes.push(`input lines skipped (not events): ${input.badLines}`);
  if (aggregate.users.assignmentChanged > 0) {
    notes.push(
      `${aggregate.users.assignmentChanged} users seen in both groups (config changed) are left out`,
    );
  }
  return notes;
}

/** Decides from sufficient statistics (the simulation calls this directly). */
export function decideStage(
  aggregate: StageAggregate,
  options: GateOptions = {},
  context: DecideContext = {},
): GateReport {
  const alphaTotal = options.alpha ?? GATE_DEFAULTS.alpha;
  const targetUsers = options.targetUsers ?? GATE_DEFAULTS.targetUsers;
  const minUsersPerArm = options.minUsersPerArm ?? GATE_DEFAULTS.minUsersPerArm;
  const minDurationMs = options.minDurationMs ?? GATE_DEFAULTS.minDurationMs;
  const stage = aggregate.stage;
  const gate = successGateOf(stage);
  // Bonferroni: every comparison that can trigger a decision gets an equal share of alpha.
  const comparisons = PAGE_METRICS.length + aggregate.families.length + STATISTICAL_LEVELS.length;
  const alpha = alphaTotal / comparisons;
  const settings: CompareSettings = { alpha, rho: sequentialRho(alpha, targetUsers) };
  const durationMs = Math.max(0, aggregate.lastAt - aggregate.firstAt);
  const allUsers = aggregate.users.control + aggregate.users.treatment;
  const pace: Pace = {
    users: allUsers,
    durationMs,
    plannedMs: options.plannedStageMs ?? GATE_DEFAULTS.plannedStageMs,
  };
  const ctx: EvidenceContext = {
    settings,
    unmatched: aggregate.control.kind === 'historical' ? 'drop' : 'merge',
    pace,
    stage,
    allUsers,
  };
  const metrics = PAGE_METRICS.map((m: PageMetric) =>
    evidence(
      METRIC_RULES[m],
      aggregate.metrics[m].strata,
      aggregate.metrics[m].cap,
      gate.metrics.includes(m),
      ctx,
    ),
  );
  const families: FamilyEvidence[] = aggregate.families.map((f) => {
    const comparison = evidence(METRIC_RULES['error-rate'], f.errors, null, false, ctx, `${f.family} errors`);
    return {
      family: f.family,
      errorsTagged: f.errorsTagged,
      comparison,
      fallbackRate: summaryOfMoments(f.fallbacks),
      kill: comparison.status.kind === 'rollback',
    };
  });
  const levels = checkLevels(
    aggregate.levels,
    { bundle: options.levels?.bundle ?? null, lighthouse: options.levels?.lighthouse ?? null },
    settings,
  );
  const levelKnown = levels.map((l) => levelKnowability(l, 'status', stage, pace));
  const targetKnown = levels.map((l) => levelKnowability(l, 'target', stage, pace));
  const cannotKnow = [
    ...metrics.map((m) => m.knowable),
    ...levelKnown.filter((k): k is Knowability => k !== null),
  ]
    .filter((k) => k.kind === 'not-in-this-stage')
    .map((k) => k.reason);
  const checks = gateChecks(stage, metrics, levels, targetKnown);
  const p1 = p1Summary(p1Source(options));
  const ratio = sampleRatio(aggregate.split, options.srmAlpha ?? GATE_DEFAULTS.srmAlpha);
  const decision = decideFrom({
    stage,
    metrics,
    families,
    levels,
    checks,
    p1,
    control: aggregate.control,
    users: aggregate.users,
    sampleRatio: ratio,
    durationMs,
    minUsersPerArm,
    minDurationMs,
    stageOrder: options.stageOrder ?? PLAN_STAGES,
  });
  const input = context.input ?? emptyInput();
  const stageSource =
    options.stageSource ?? (options.stage !== undefined ? { kind: 'option' } : { kind: 'latest-data' });
  return {
    stage,
    stageSource,
    decision,
    successGate: {
      description: gate.description,
      definition: gate.definition,
      metrics: [...gate.metrics],
      checks,
      met: checks.every((c) => c.met),
    },
    alpha: { total: alphaTotal, perComparison: alpha, comparisons, method: 'bonferroni' },
    targetUsers,
    input,
    users: aggregate.users,
    regions: aggregate.regions,
    durationMs,
    minUsersPerArm,
    minDurationMs,
    monitorEveryMinutes: monitorEveryOf(stage),
    p1Bugs: p1.count,
    p1,
    metrics,
    families,
    levels,
    cannotKnow,
    stagesInData: context.stagesInData ?? [],
    control: aggregate.control,
    sampleRatio: ratio,
    notes: notesFor(aggregate, stageSource, input),
  };
}

/** Stages before `stage` to take a historical control from, nearest first (plan order, then by time). */
function earlierStages(tally: Tally, stage: string, order: readonly string[]): StageTally[] {
  const result: StageTally[] = [];
  const at = order.indexOf(stage);
  for (let i = at - 1; i >= 0; i--) {
    const s = tally.stages.get(order[i]!);
    if (s) result.push(s);
  }
  const current = tally.stages.get(stage);
  const others = [...tally.stages.values()]
    .filter((s) => s.stage !== stage && !result.includes(s) && !order.includes(s.stage))
    .filter((s) => current === undefined || s.lastAt <= current.firstAt)
    .sort((a, b) => b.lastAt - a.lastAt);
  return [...result, ...others];
}

/** An empty stage: what a decision without data is made from (here and in store/gate-report.ts). */
export function emptyStage(stage: string): StageTally {
  return {
    stage,
    users: new Map(),
    ineligible: new Set(),
    familyErrorsTagged: false,
    v2Values: { fcp: [], 'theme-switch': [] },
    firstAt: 0,
    lastAt: 0,
    events: 0,
  };
}

/** What a tally read (for the report), given how many input lines were skipped before it. */
export function inputOf(tally: Tally, badLines = 0, badLineSamples: string[] = []): InputSummary {
  return {
    badLines,
    badLineSamples,
    events: tally.events,
    excluded: { ...tally.excluded },
    excludedSamples: [...tally.samples],
    clock: tally.clock,
    clientTimed: tally.clientTimed,
  };
}

/**
 * Evaluates a tally (events already screened and aggregated per user): picks the stage, aggregates it
 * against its control and decides. The simulation keeps one tally and calls this at every look.
 */
export function evaluateTally(
  tally: Tally,
  options: GateOptions = {},
  input: InputSummary = inputOf(tally),
): GateReport {
  const stages = stagesByLatest(tally);
  if (options.p1Bugs !== undefined && !(Number.isInteger(options.p1Bugs) && options.p1Bugs >= 0)) {
    throw new GateInputError(`p1Bugs must be a whole number >= 0, got ${options.p1Bugs}`);
  }
  const source: StageSource =
    options.stageSource ?? (options.stage !== undefined ? { kind: 'option' } : { kind: 'latest-data' });
  const stage = options.stage ?? stages[stages.length - 1];
  if (stage === undefined) {
    if (p1Summary(p1Source(options)).count >= 3) {
      return decideStage(
        aggregateStage(emptyStage('unknown')),
        { ...options, stageSource: source },
        { stagesInData: stages, input },
      );
    }
    throw new GateInputError(
      'no usable events in a stage: nothing to judge (were they recorded while a stage was active, with an assignment and a receive time?)',
    );
  }
  const data = tally.stages.get(stage);
  if (data === undefined && source.kind === 'option' && p1Summary(p1Source(options)).count < 3) {
    throw new GateInputError(
      `stage "${stage}" has no usable events; stages in the data: ${stages.length > 0 ? stages.join(', ') : 'none'}`,
    );
  }
  const order = options.stageOrder ?? PLAN_STAGES;
  const aggregate = aggregateStage(data ?? emptyStage(stage), earlierStages(tally, stage, order));
  return decideStage(aggregate, { ...options, stageSource: source }, { stagesInData: stages, input });
}

/**
 * Evaluates the gate on raw events (anything: each is checked against the contract first): aggregates per
 * user by assignment, compares treatment with control with confidence sequences, judges the plan's
 * absolute levels and P1 bugs, and decides rollback / advance / hold.
 */
export function evaluateGate(
  events: Iterable<unknown>,
  options: GateOptions = {},
  input?: Partial<InputSummary>,
): GateReport {
  const tally = addAllToTally(createTally(options.clock ?? 'server'), events);
  return evaluateTally(tally, options, {
    ...inputOf(tally),
    ...input,
    events: tally.events,
    excluded: { ...tally.excluded },
  });
}

// From per-user records (per-user.ts) to the sufficient statistics every decision is made from: per metric,
// per group × region, n, Σx and Σx² of the per-user values (continuous ones capped, capping.ts); per plan
// level, the treatment group's rates and the per-user counts behind the share of v2 page loads beyond a
// level. These are all the statistics see, so the event store can compute them in SQL and call the same
// `decideStage`.
import type { Family } from 'token-rollout/core';
import { capOf } from './capping.js';
import { type ControlSource, chooseControl } from './control.js';
import { CONTINUOUS, type ContinuousMetric, type Side, type UserRecord } from './per-user.js';
import { addPair, emptyRatioMoments, type RatioMoments } from './stats/ratio.js';
import type { SampleRatioInput } from './stats/sample-ratio.js';
import { selectQuantile } from './stats/select-quantile.js';
import type { StratumMoments } from './stats/stratify.js';
import { addValue, emptyMoments, type Moments } from './stats/summary.js';
import type { StageTally } from './tally.js';
import { PAGE_METRICS, type PageMetric } from './thresholds.js';

/** One metric's statistics: the cap applied (continuous metrics) and the moments per region. */
export interface MetricStatistics {
  cap: number | null;
  strata: StratumMoments[];
}

/** One family's error comparison (users exposed to it, by group) and its fallback share (evidence). */
export interface FamilyStatistics {
  family: Family;
  errorsTagged: boolean;
  errors: StratumMoments[];
  /** Treatment users exposed to the family with a fallback tagged with it. */
  fallbacks: Moments;
}

/** A page measure's level inputs: per user (over(k), v2 loads) for each PAGE_THRESHOLDS level. */
export interface PageLevelStatistics {
  users: number;
  loads: number;
  /** [rollback level, target], as RatioMoments of (loads beyond, loads) per user. */
  beyond: [RatioMoments, RatioMoments];
  /** The p75 of the v2 page loads (shown, not judged: the judging uses `beyond`). */
  p75: number | null;
}

/** What the absolute checks need: treatment users' rates and v2 page loads. */
export interface LevelStatistics {
  pages: Record<'fcp' | 'theme-switch', PageLevelStatistics>;
  errorRate: Moments;
  conversion: Moments;
}

/** Who was counted, and who was left out and why. */
export interface UserCounts {
  treatment: number;
  control: number;
  /** Users seen only as ineligible (flag off, no stage, region outside the stage): never compared. */
  ineligible: number;
  /** Users seen in both groups (config changes): excluded. */
  assignmentChanged: number;
  optedOut: { treatment: number; control: number };
  /** Treatment users the SDK moved to v1 (fallback): still counted as treatment. */
  fellBack: number;
  /** Conversion events with a negative value (refunds), which count as no conversion. */
  refunds: number;
}

/** Everything a decision about one stage is made from. */
export interface StageAggregate {
  stage: string;
  metrics: Record<PageMetric, MetricStatistics>;
  families: FamilyStatistics[];
  levels: LevelStatistics;
  users: UserCounts;
  /** Regions of the compared users. */
  regions: string[];
  firstAt: number;
  lastAt: number;
  control: ControlSource;
  /** The stage's own treated and control users and their bucket bounds: the sample ratio check's input. */
  split: SampleRatioInput;
}

/** The compared users (treatment first) with each one's region index, built once per analysis. */
interface Population {
  users: UserRecord[];
  /** Users [0, treated) are treatment, the rest control. */
  treated: number;
  stratum: Uint16Array;
  regions: string[];
}

function population(treatment: UserRecord[], control: UserRecord[]): Population {
  const users = treatment.concat(control);
  const index = new Map<string, number>();
  const stratum = new Uint16Array(users.length);
  for (let i = 0; i < users.length; i++) {
    const region = users[i]!.region;
    let k = index.get(region);
    if (k === undefined) {
      k = index.size;
      index.set(region, k);
    }
    stratum[i] = k;
  }
  // Regions in sorted order for a stable report: renumber.
  const regions = [...index.keys()].sort();
  const order = new Uint16Array(regions.length);
  for (const [r, k] of index) order[k] = regions.indexOf(r);
  for (let i = 0; i < users.length; i++) stratum[i] = order[stratum[i]!]!;
  return { users, treated: treatment.length, stratum, regions };
}

const sideOf = (pop: Population, i: number): Side => (i < pop.treated ? 'treatment' : 'control');

function emptyStrata(regions: readonly string[]): StratumMoments[] {
  return regions.map((stratum) => ({ stratum, control: emptyMoments(), treatment: emptyMoments() }));
}

/** Moments per region of a 0/1 (or any) per-user value; users where `pick` is null are skipped. */
function binaryStatistics(pop: Population, pick: (u: UserRecord) => number | null): StratumMoments[] {
  const strata = emptyStrata(pop.regions);
  for (let i = 0; i < pop.users.length; i++) {
    const v = pick(pop.users[i]!);
    if (v !== null) addValue(strata[pop.stratum[i]!]![sideOf(pop, i)], v);
  }
  return strata.filter((s) => s.control.n + s.treatment.n > 0);
}

/** Capped moments per region of a continuous metric's per-user means. */
function continuousStatistics(pop: Population, metric: ContinuousMetric): MetricStatistics {
  const values = new Float64Array(pop.users.length);
  const who = new Int32Array(pop.users.length);
  const m = CONTINUOUS.indexOf(metric);
  let length = 0;
  for (let i = 0; i < pop.users.length; i++) {
    const u = pop.users[i]!;
    const count = u.counts[m]!;
    if (count === 0) continue;
    values[length] = u.sums[m]! / count;
    who[length] = i;
    length++;
  }
  if (length === 0) return { cap: null, strata: [] };
  const cap = capOf(metric, values.slice(0, length), length);
  const strata = emptyStrata(pop.regions);
  for (let k = 0; k < length; k++) {
    const i = who[k]!;
    const u = pop.users[i]!;
    addValue(strata[pop.stratum[i]!]![sideOf(pop, i)], Math.min(u.sums[m]! / u.counts[m]!, cap));
  }
  return { cap, strata: strata.filter((s) => s.control.n + s.treatment.n > 0) };
}

function pageLevels(treatment: readonly UserRecord[], which: 'fcp' | 'theme-switch', values: number[]) {
  const beyond: [RatioMoments, RatioMoments] = [emptyRatioMoments(), emptyRatioMoments()];
  let users = 0;
  let loads = 0;
  for (const u of treatment) {
    const l = which === 'fcp' ? u.fcpLoads : u.themeLoads;
    if (l[0] === 0) continue;
    users++;
    loads += l[0]!;
    addPair(beyond[0], l[1]!, l[0]!);
    addPair(beyond[1], l[2]!, l[0]!);
  }
  const p75 = values.length === 0 ? null : selectQuantile(Float64Array.from(values), values.length, 0.75);
  return { users, loads, beyond, p75 };
}

function families(pop: Population, tagged: boolean, treatment: readonly UserRecord[]): FamilyStatistics[] {
  const names = new Set<Family>();
  for (const u of treatment)
    if (u.exposures) for (const [f, arm] of u.exposures) if (arm === 'v2') names.add(f);
  return [...names].sort().map((family) => {
    const errors = binaryStatistics(pop, (u) => {
      if (!u.exposures?.has(family)) return null;
      const hit = tagged ? (u.familyErrors?.has(family) ?? false) : u.errored;
      return hit ? 1 : 0;
    });
    const fallbacks = emptyMoments();
    for (const u of treatment) {
      if (u.exposures?.has(family)) addValue(fallbacks, u.familyFallbacks?.has(family) ? 1 : 0);
    }
    return { family, errorsTagged: tagged, errors, fallbacks };
  });
}

/** The stage's users in `side`, leaving out those seen in both groups. */
function usable(stage: StageTally, side: Side): UserRecord[] {
  const list: UserRecord[] = [];
  for (const u of stage.users.values()) if (u.group === side && !u.conflicted) list.push(u);
  return list;
}

/** The stage's own split (whatever control it is compared with): group sizes and bucket bounds. */
function splitOf(treatment: readonly UserRecord[], control: readonly UserRecord[]): SampleRatioInput {
  let treatmentMaxBucket: number | null = null;
  let controlMinBucket: number | null = null;
  for (const u of treatment) treatmentMaxBucket = Math.max(treatmentMaxBucket ?? 0, u.bucketMax);
  for (const u of control) controlMinBucket = Math.min(controlMinBucket ?? 1, u.bucketMin);
  return { treatment: treatment.length, control: control.length, treatmentMaxBucket, controlMinBucket };
}

/**
 * The sufficient statistics of `stage`, compared with its own control group, or with the control group
 * of the nearest of `earlier` (nearest first) when it has none (see control.ts).
 */
export function aggregateStage(stage: StageTally, earlier: readonly StageTally[] = []): StageAggregate {
  const { source, from } = chooseControl(stage, earlier);
  const treatment = usable(stage, 'treatment');
  const control = from === null ? [] : usable(from, 'control');
  // A historical control covers only its own stage's regions: treated users elsewhere have nobody to be
  // compared with, so they leave the comparisons (not the plan's levels, which need no control).
  const without = source.kind === 'historical' ? new Set(source.regionsWithout) : null;
  const compared = without ? treatment.filter((u) => !without.has(u.region)) : treatment;
  const pop = population(compared, control);
  const metrics = {} as Record<PageMetric, MetricStatistics>;
  for (const m of PAGE_METRICS) {
    if ((CONTINUOUS as readonly string[]).includes(m))
      metrics[m] = continuousStatistics(pop, m as ContinuousMetric);
    else if (m === 'error-rate')
      metrics[m] = { cap: null, strata: binaryStatistics(pop, (u) => (u.errored ? 1 : 0)) };
    else metrics[m] = { cap: null, strata: binaryStatistics(pop, (u) => (u.converted ? 1 : 0)) };
  }
  const errorRate = emptyMoments();
  const conversion = emptyMoments();
  let fellBack = 0;
  let refunds = 0;
  const optedOut = { treatment: 0, control: 0 };
  for (const u of treatment) {
    addValue(errorRate, u.errored ? 1 : 0);
    addValue(conversion, u.converted ? 1 : 0);
    if (u.fellBack) fellBack++;
    if (u.optedOut) optedOut.treatment++;
    refunds += u.refunds;
  }
  for (const u of control) {
    if (u.optedOut) optedOut.control++;
    refunds += u.refunds;
  }
  let conflicted = 0;
  for (const u of stage.users.values()) if (u.conflicted) conflicted++;
  let ineligible = 0;
  for (const user of stage.ineligible) if (!stage.users.has(user)) ineligible++;
  return {
    stage: stage.stage,
    metrics,
    families: families(pop, stage.familyErrorsTagged, compared),
    levels: {
      pages: {
        fcp: pageLevels(treatment, 'fcp', stage.v2Values.fcp),
        'theme-switch': pageLevels(treatment, 'theme-switch', stage.v2Values['theme-switch']),
      },
      errorRate,
      conversion,
    },
    users: {
      treatment: treatment.length,
      control: control.length,
      ineligible,
      assignmentChanged: conflicted,
      optedOut,
      fellBack,
      refunds,
    },
    regions: pop.regions,
    firstAt: stage.firstAt,
    lastAt: stage.lastAt,
    control: source,
    split: splitOf(treatment, from === stage ? control : usable(stage, 'control')),
  };
}

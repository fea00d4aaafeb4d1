// THE PER-USER AGGREGATION: what one user contributes to the gate's comparisons. Every statistic the
// gate computes is a function of these records; the event store (issue 15) computes the same in SQL, so
// this comment is the definition and the code below follows it line by line.
//
// Population of stage S: events admitted by screen.ts (contract-valid, with an assignment, with a time:
//   `receivedAt`, or `ts` only when the caller chose the client clock) whose `stage` = S and whose
//   `assignment` is `treatment` or `control`. `ineligible` events never enter (they are counted).
// Unit: the `user` hash. A user whose events in S carry both `treatment` and `control` (possible only
//   across config versions, e.g. a percentage change) is excluded and counted, as GrowthBook excludes
//   users exposed to several variations; who they are does not depend on the outcome, so no bias.
// Per user u in S:
//   group(u)     = the assignment on u's events (intention to treat: never what the page rendered)
//   region(u)    = `region` of u's earliest event by time (ties: the first in input order); '' = unknown
//   errored(u)   = 1 if u has at least one `js-error` event, else 0
//   converted(u) = 1 if u has at least one `conversion` event with value > 0, else 0 (a refund, value < 0,
//                  or a zero is not a conversion)
//   fcp(u), memory(u), theme(u) = the mean of u's `fcp` / `memory` / `theme-switch` values; undefined when
//                  u has none (u is then not in that metric's sample)
//   v2loads(u, m) = u's `m` events (m = fcp or theme-switch) on pages that rendered v2 tokens (arm v2 or
//                  mixed), and over(u, m, k) how many of them are beyond the k-th PAGE_THRESHOLDS[m] level
//                  (strictly above the rollback level; at or above the target) — the p75 checks' inputs
//   evidence only: optedOut(u) (an `opt-out` with value 1), fellBack(u) (any `fallback`), the rendered arm
//                  of u's first `exposure` per family, family-tagged `js-error`s and `fallback`s.
//   bucketMin(u), bucketMax(u) = the lowest and highest `bucket` on u's events (one value unless the flag's
//                  salt changed): the sample ratio check's bounds on the percentage (stats/sample-ratio.ts)
// Then aggregate.ts caps fcp, memory and theme per metric at the CAP_PERCENTILES percentile of the values
// of all users in the comparison (both groups), and reduces every metric to n, Σx, Σx² per group × region.
import type { Arm, Family, MetricEvent } from 'token-rollout/core';
import { PAGE_THRESHOLDS } from './levels.js';

/** The continuous metrics: a per-user mean, winsorized before the comparison. */
export const CONTINUOUS = ['fcp', 'memory', 'theme-switch'] as const;

/** One of the continuous metrics. */
export type ContinuousMetric = (typeof CONTINUOUS)[number];

/** The two groups the comparison uses. */
export type Side = 'treatment' | 'control';

/** One user's contribution to a stage (see the file header for each field's definition). */
export interface UserRecord {
  group: Side;
  /** Seen with both groups: excluded from every comparison. */
  conflicted: boolean;
  region: string;
  firstAt: number;
  errored: boolean;
  converted: boolean;
  refunds: number;
  /** Sum and count per continuous metric, indexed like CONTINUOUS. */
  sums: Float64Array;
  counts: Uint32Array;
  /** v2 page loads per page metric and how many are beyond each PAGE_THRESHOLDS level: [n, over0, over1]. */
  fcpLoads: Uint32Array;
  themeLoads: Uint32Array;
  optedOut: boolean;
  fellBack: boolean;
  /** Rendered arm of the first exposure per family, when the user had any (lazily created). */
  exposures: Map<Family, Arm> | null;
  familyErrors: Set<Family> | null;
  familyFallbacks: Set<Family> | null;
  bucketMin: number;
  bucketMax: number;
}

/** A user first seen in `group`, `region` at time `at`, with `bucket`. */
export function newUserRecord(group: Side, region: string, at: number, bucket: number): UserRecord {
  return {
    group,
    conflicted: false,
    region,
    firstAt: at,
    errored: false,
    converted: false,
    refunds: 0,
    sums: new Float64Array(CONTINUOUS.length),
    counts: new Uint32Array(CONTINUOUS.length),
    fcpLoads: new Uint32Array(3),
    themeLoads: new Uint32Array(3),
    optedOut: false,
    fellBack: false,
    exposures: null,
    familyErrors: null,
    familyFallbacks: null,
    bucketMin: bucket,
    bucketMax: bucket,
  };
}

function countLoad(loads: Uint32Array, thresholds: readonly [number, number], value: number): void {
  loads[0]! += 1;
  if (value > thresholds[0]) loads[1]! += 1;
  if (value >= thresholds[1]) loads[2]! += 1;
}

/** Adds one admitted event of the user's stage (group `group`, time `at`) to the record, in place. */
export function addToUser(user: UserRecord, event: MetricEvent, group: Side, at: number): void {
  if (group !== user.group) user.conflicted = true;
  if (event.bucket < user.bucketMin) user.bucketMin = event.bucket;
  if (event.bucket > user.bucketMax) user.bucketMax = event.bucket;
  if (at < user.firstAt) {
    user.firstAt = at;
    user.region = event.region;
  }
  const v2Page = event.arm === 'v2' || event.arm === 'mixed';
  switch (event.name) {
    case 'js-error':
      user.errored = true;
      if (event.family) {
        user.familyErrors ??= new Set();
        user.familyErrors.add(event.family);
      }
      break;
    case 'conversion':
      if (typeof event.value === 'number' && event.value > 0) user.converted = true;
      else if (typeof event.value === 'number' && event.value < 0) user.refunds += 1;
      break;
    case 'fcp':
    case 'memory':
    case 'theme-switch': {
      if (typeof event.value !== 'number') break;
      const i = event.name === 'fcp' ? 0 : event.name === 'memory' ? 1 : 2;
      user.sums[i]! += event.value;
      user.counts[i]! += 1;
      if (v2Page && event.name === 'fcp') countLoad(user.fcpLoads, PAGE_THRESHOLDS.fcp, event.value);
      if (v2Page && event.name === 'theme-switch') {
        countLoad(user.themeLoads, PAGE_THRESHOLDS['theme-switch'], event.value);
      }
      break;
    }
    case 'opt-out':
      // 1 = opted out, 0 = back in: evidence only, the user stays in their group (intention to treat).
      if (event.value === 1) user.optedOut = true;
      break;
    case 'fallback':
      user.fellBack = true;
      if (event.family) {
        user.familyFallbacks ??= new Set();
        user.familyFallbacks.add(event.family);
      }
      break;
    case 'exposure':
      if (event.family) {
        user.exposures ??= new Map();
        if (!user.exposures.has(event.family)) user.exposures.set(event.family, event.arm);
      }
      break;
    default:
      break;
  }
}

/** The user's per-user mean of a continuous metric, or null when they have no value for it. */
export function userMean(user: UserRecord, metric: ContinuousMetric): number | null {
  const i = CONTINUOUS.indexOf(metric);
  const count = user.counts[i]!;
  return count === 0 ? null : user.sums[i]! / count;
}

// Per-user aggregation of one stage's events, the unit the gate compares (users, not page views, so a
// heavy user cannot outvote others and the per-unit values are independent).
//
// Arms: a user is TREATED when their first page-level event of the stage was on a v2 or `mixed` page, and
// CONTROL when it was on v1. `mixed` counts as treated because in weeks 1-3 only the stage's families are
// on v2, so every treated page is mixed; excluding mixed would exclude the treatment itself. The first arm
// wins (intention to treat): the SDK's local fallback moves struggling v2 users to v1, and counting their
// later v1 pages as v1 would make v2 look better than it is.
// Control is restricted to the regions where treated users were seen: users outside the stage's regions
// are on v1 for another reason and are not a comparable baseline. Users who opted out are excluded, as
// the design asks (experiment metrics leave them out); both counts are reported.
import type { Family, MetricEvent } from 'token-rollout/core';
import { type Summary, summarize } from './stats/summary.js';
import type { PageMetric } from './thresholds.js';

/** The two sides of every comparison. */
export type Side = 'v1' | 'v2';

interface UserRecord {
  side: Side;
  firstTs: number;
  region: string;
  errored: boolean;
  converted: boolean;
  optedOut: boolean;
  sums: Record<'fcp' | 'memory' | 'theme-switch', { sum: number; count: number }>;
  exposures: Map<Family, Side>;
  familyErrors: Set<Family>;
  familyFallbacks: Set<Family>;
}

/** Per-arm summaries of one set of users. */
export type ArmSummaries = Record<PageMetric, Record<Side, Summary>>;

/** One family's users (by the version their first exposure showed) and their family-level outcomes. */
export interface FamilyAggregate {
  family: Family;
  /** Error rate among users exposed to the family: family-tagged js-errors when the data has any. */
  errorRate: Record<Side, Summary>;
  /** Share of v2-exposed users with a fallback tagged with this family (evidence only). */
  fallbackRate: Summary;
  errorsTagged: boolean;
}

/** What the gate needs from one stage's events. */
export interface StageAggregate {
  stage: string;
  metrics: ArmSummaries;
  families: FamilyAggregate[];
  users: { v1: number; v2: number; optedOut: number; outsideRegions: number };
  regions: string[];
  firstTs: number;
  lastTs: number;
}

const PAGE_EVENT_EXCLUDED = new Set(['exposure', 'fallback', 'opt-out']);
const MEANS = ['fcp', 'memory', 'theme-switch'] as const;

function newUser(side: Side, ts: number, region: string): UserRecord {
  return {
    side,
    firstTs: ts,
    region,
    errored: false,
    converted: false,
    optedOut: false,
    sums: { fcp: { sum: 0, count: 0 }, memory: { sum: 0, count: 0 }, 'theme-switch': { sum: 0, count: 0 } },
    exposures: new Map(),
    familyErrors: new Set(),
    familyFallbacks: new Set(),
  };
}

/** The stages present in the events, latest activity last. */
export function stagesIn(events: readonly MetricEvent[]): string[] {
  const last = new Map<string, number>();
  for (const e of events) {
    if (e.stage === null) continue;
    last.set(e.stage, Math.max(last.get(e.stage) ?? Number.NEGATIVE_INFINITY, e.ts));
  }
  return [...last.entries()].sort((a, b) => a[1] - b[1]).map(([stage]) => stage);
}

/** Aggregates one stage's events per user and summarises every metric per arm. */
export function aggregateStage(events: readonly MetricEvent[], stage: string): StageAggregate {
  const own = events.filter((e) => e.stage === stage).sort((a, b) => a.ts - b.ts);
  const users = new Map<string, UserRecord>();
  // First pass: the arm of each user from their first page-level event.
  for (const e of own) {
    if (PAGE_EVENT_EXCLUDED.has(e.name) || users.has(e.user)) continue;
    users.set(e.user, newUser(e.arm === 'v1' ? 'v1' : 'v2', e.ts, e.region));
  }
  let familyErrorsTagged = false;
  for (const e of own) {
    const user = users.get(e.user);
    if (!user) continue;
    switch (e.name) {
      case 'js-error':
        user.errored = true;
        if (e.family) {
          user.familyErrors.add(e.family);
          familyErrorsTagged = true;
        }
        break;
      case 'conversion':
        user.converted = true;
        break;
      case 'opt-out':
        // The SDK sends 1 when the user opts out and 0 when they opt back in; anyone who opted out during
        // the stage is left out (their experience was not one arm's).
        if (e.value === 1) user.optedOut = true;
        break;
      case 'exposure':
        if (e.family && !user.exposures.has(e.family) && e.arm !== 'mixed')
          user.exposures.set(e.family, e.arm);
        break;
      case 'fallback':
        if (e.family) user.familyFallbacks.add(e.family);
        break;
      case 'fcp':
      case 'memory':
      case 'theme-switch':
        if (typeof e.value === 'number') {
          user.sums[e.name].sum += e.value;
          user.sums[e.name].count += 1;
        }
        break;
      default:
        break;
    }
  }
  const treatedRegions = new Set<string>();
  for (const u of users.values()) if (u.side === 'v2' && !u.optedOut) treatedRegions.add(u.region);
  let optedOut = 0;
  let outsideRegions = 0;
  const kept: UserRecord[] = [];
  for (const u of users.values()) {
    if (u.optedOut) optedOut++;
    else if (!treatedRegions.has(u.region)) outsideRegions++;
    else kept.push(u);
  }
  const values = (side: Side, pick: (u: UserRecord) => number | null): Summary => {
    const list: number[] = [];
    for (const u of kept) {
      if (u.side !== side) continue;
      const v = pick(u);
      if (v !== null) list.push(v);
    }
    return summarize(list);
  };
  const both = (pick: (u: UserRecord) => number | null): Record<Side, Summary> => ({
    v1: values('v1', pick),
    v2: values('v2', pick),
  });
  const mean = (name: (typeof MEANS)[number]) => (u: UserRecord) =>
    u.sums[name].count === 0 ? null : u.sums[name].sum / u.sums[name].count;
  const metrics: ArmSummaries = {
    'error-rate': both((u) => (u.errored ? 1 : 0)),
    conversion: both((u) => (u.converted ? 1 : 0)),
    fcp: both(mean('fcp')),
    memory: both(mean('memory')),
    'theme-switch': both(mean('theme-switch')),
  };
  const familyNames = new Set<Family>();
  for (const u of kept) for (const [family, side] of u.exposures) if (side === 'v2') familyNames.add(family);
  const families: FamilyAggregate[] = [...familyNames].sort().map((family) => {
    const exposedOn = (side: Side) => kept.filter((u) => u.exposures.get(family) === side);
    const errorOf = (u: UserRecord) =>
      (familyErrorsTagged ? u.familyErrors.has(family) : u.errored) ? 1 : 0;
    return {
      family,
      errorRate: { v1: summarize(exposedOn('v1').map(errorOf)), v2: summarize(exposedOn('v2').map(errorOf)) },
      fallbackRate: summarize(exposedOn('v2').map((u) => (u.familyFallbacks.has(family) ? 1 : 0))),
      errorsTagged: familyErrorsTagged,
    };
  });
  return {
    stage,
    metrics,
    families,
    users: {
      v1: kept.filter((u) => u.side === 'v1').length,
      v2: kept.filter((u) => u.side === 'v2').length,
      optedOut,
      outsideRegions,
    },
    regions: [...treatedRegions].sort(),
    firstTs: own[0]?.ts ?? 0,
    lastTs: own[own.length - 1]?.ts ?? 0,
  };
}

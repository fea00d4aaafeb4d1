// Groups of users as contract events, for the gate's unit tests: each cohort is a number of users of one
// group (by assignment) and region, spread evenly over a stage, with the outcomes the test needs.
import type { Arm, Family, MetricEvent } from 'token-rollout/core';
import { eventFor, type UserContext } from './event-builder.js';

/** Monday Feb 10, 2026, 00:00 UTC: week 1's start in the plan. */
export const T0 = Date.UTC(2026, 1, 10, 0, 0, 0);
/** One hour in ms. */
export const HOUR = 3_600_000;

/** One group of users and what they did. */
export interface Cohort {
  group: 'treatment' | 'control' | 'ineligible';
  users: number;
  /** What their pages rendered; default mixed for treatment, v1 otherwise. */
  arm?: Arm;
  region?: string;
  stage?: string;
  /** How many of them (the first ones) had a js-error / converted / asked for a refund. */
  errors?: number;
  conversions?: number;
  refunds?: number;
  errorFamily?: Family;
  /** Users (counted from the end) with an untagged js-error: page-level noise. */
  noiseErrors?: number;
  /** Page loads of user i (one fcp event each). */
  fcp?: (i: number) => number | number[];
  themeSwitch?: (i: number) => number | null;
  memory?: (i: number) => number;
  exposures?: { family: Family; arm: 'v1' | 'v2' }[];
}

/** Where the ids and times start, and how long the stage runs. */
export interface CohortOptions {
  hours?: number;
  t0?: number;
  firstId?: number;
}

/** Users of every cohort spread evenly over `hours`, each with a page view and their outcomes. */
export function cohorts(list: readonly Cohort[], options: CohortOptions = {}): MetricEvent[] {
  const hours = options.hours ?? 25;
  const t0 = options.t0 ?? T0;
  const events: MetricEvent[] = [];
  let id = options.firstId ?? 1;
  for (const c of list) {
    const arm = c.arm ?? (c.group === 'treatment' ? 'mixed' : 'v1');
    for (let i = 0; i < c.users; i++) {
      const user: UserContext = {
        id: id++,
        arm,
        stage: c.stage ?? 'week1',
        region: c.region ?? 'AU',
        assignment: c.group,
        bucket: c.group === 'treatment' ? 0.01 : 0.99,
      };
      const ts = t0 + Math.floor((i / c.users) * hours * HOUR);
      events.push(eventFor(user, 'page-view', 1, ts));
      const loads = c.fcp?.(i);
      for (const [k, v] of (loads === undefined ? [] : Array.isArray(loads) ? loads : [loads]).entries()) {
        events.push(eventFor({ ...user, session: `s${user.id}-${k}` }, 'fcp', v, ts + 10 + k));
      }
      const theme = c.themeSwitch?.(i);
      if (theme !== undefined && theme !== null) events.push(eventFor(user, 'theme-switch', theme, ts + 15));
      if (c.memory) events.push(eventFor(user, 'memory', c.memory(i), ts + 16));
      if (i < (c.errors ?? 0)) {
        events.push(eventFor(user, 'js-error', 1, ts + 20, c.errorFamily ? { family: c.errorFamily } : {}));
      }
      if (i >= c.users - (c.noiseErrors ?? 0)) events.push(eventFor(user, 'js-error', 1, ts + 25));
      // Conversions are spread over the cohort rather than bunched at its start.
      const conv = c.conversions ?? 0;
      if (conv > 0 && i % Math.floor(c.users / conv) === 0 && i / Math.floor(c.users / conv) < conv) {
        events.push(eventFor(user, 'conversion', 1, ts + 30));
      }
      if (i < (c.refunds ?? 0)) events.push(eventFor(user, 'conversion', -49.9, ts + 31));
      for (const x of c.exposures ?? [])
        events.push(eventFor(user, 'exposure', 1, ts + 1, { family: x.family, arm: x.arm }));
    }
  }
  return events;
}

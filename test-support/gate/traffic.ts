// Event-level traffic for the gate's scenarios: users arrive in regions, get a bucket and a group the way
// the SDK decides them (eligible region and bucket < percentage: treatment; eligible and outside:
// control; region outside the stage: ineligible), render what their group and device allow (a treated
// user on a slow device may fall back to v1 before any event), and send contract events stamped with the
// collector's receive time, their client clock possibly wrong. Everything goes through the gate's real
// pipeline (screen, per-user records, capping, stratification, decision).
import type { Arm, Family, MetricEvent } from 'token-rollout/core';
import { normalQuantile } from '../../packages/tools/src/gate/stats/normal.js';
import type { Random } from '../random.js';
import { eventFor, type UserContext } from './event-builder.js';
import { type ArmTruth, poisson, THEME_SIGMA } from './simulate.js';

/** One region's traffic and how slow its pages are (FCP factor on the truth's median). */
export interface RegionTraffic {
  code: string;
  usersPerHour: number;
  /** In the stage's regions. */
  eligible: boolean;
  fcpFactor: number;
}

/** One stage's traffic. */
export interface TrafficScenario {
  stage: string;
  percentage: number;
  regions: readonly RegionTraffic[];
  /** What treated users render: `mixed` (weeks 1-3), `v2` (week 4), `v1` (an A/A with v1 everywhere). */
  treatedArm: Arm;
  /** Outcomes of pages rendered on v1 and on v2. */
  v1: ArmTruth;
  v2: ArmTruth;
  families: readonly Family[];
  /** The slowest devices' share of treated users whose guard falls back to v1 before any event. */
  fallbackSlowestShare: number;
  /** Share of ineligible users whose pages render v2 anyway (a stale cache, a QA override). */
  strayV2Share: number;
  /** Share of treated users whose pages send nothing (v2 pages failing, or left, before they report). */
  unreportedTreatedShare: number;
  /** One control user (the n-th to arrive) whose first page load reports this FCP. */
  outlier: { nthControlUser: number; fcpMs: number } | null;
  /** Share of users whose client clock is off, and by how much (one offset per user, cycled). */
  clockSkew: { share: number; offsetsMs: readonly number[] } | null;
  sessionsMean: number;
  themeSwitchShare: number;
}

/** Per-user spread of page speed (the device) and per-session spread: together about the sigma 0.35 of simulate.ts. */
const USER_SIGMA = 0.3;
const SESSION_SIGMA = 0.18;

/** A scenario's defaults: week 1's shape, A/A, no fallback, no skew. */
export function trafficScenario(
  overrides: Partial<TrafficScenario> &
    Pick<TrafficScenario, 'stage' | 'percentage' | 'regions' | 'v1' | 'v2'>,
): TrafficScenario {
  return {
    treatedArm: 'mixed',
    families: ['buttons', 'cards'],
    fallbackSlowestShare: 0,
    strayV2Share: 0,
    unreportedTreatedShare: 0,
    outlier: null,
    clockSkew: null,
    sessionsMean: 1.6,
    themeSwitchShare: 0.2,
    ...overrides,
  };
}

/** A stream of one stage's users: `until(ms)` returns the events of the users who arrived by then. */
export interface Traffic {
  until(at: number): MetricEvent[];
  /** Users generated so far, by group. */
  users: { treatment: number; control: number; ineligible: number };
}

/** Starts a stage's traffic at server time `t0`; user ids start at `idBase` (keep streams apart). */
export function createTraffic(random: Random, s: TrafficScenario, t0: number, idBase: number): Traffic {
  const total = s.regions.reduce((n, r) => n + r.usersPerHour, 0);
  const slowZ =
    s.fallbackSlowestShare > 0 ? normalQuantile(1 - s.fallbackSlowestShare) : Number.POSITIVE_INFINITY;
  let now = t0;
  let id = idBase;
  let skewed = 0;
  let debt = 0;
  const users = { treatment: 0, control: 0, ineligible: 0 };
  const pickRegion = () => {
    let x = random.uniform() * total;
    for (const r of s.regions) {
      x -= r.usersPerHour;
      if (x < 0) return r;
    }
    return s.regions[s.regions.length - 1]!;
  };
  const userEvents = (arrival: number, out: MetricEvent[]) => {
    const region = pickRegion();
    const z = random.normal();
    const bucket = random.uniform();
    const group = !region.eligible ? 'ineligible' : bucket < s.percentage / 100 ? 'treatment' : 'control';
    users[group]++;
    // Drawn only when set, so the other scenarios' streams stay as they were.
    if (group === 'treatment' && s.unreportedTreatedShare > 0 && random.uniform() < s.unreportedTreatedShare)
      return;
    const fellBack = group === 'treatment' && z > slowZ;
    const rendered: Arm =
      group === 'treatment'
        ? fellBack
          ? 'v1'
          : s.treatedArm
        : group === 'ineligible' && random.uniform() < s.strayV2Share
          ? 'v2'
          : 'v1';
    const truth = rendered === 'v1' ? s.v1 : s.v2;
    const offset =
      s.clockSkew && random.uniform() < s.clockSkew.share
        ? s.clockSkew.offsetsMs[skewed++ % s.clockSkew.offsetsMs.length]!
        : 0;
    const user: UserContext = {
      id: ++id,
      arm: rendered,
      stage: s.stage,
      region: region.code,
      assignment: group,
      bucket,
    };
    const at = (server: number) => ({ ts: server + offset, receivedAt: server });
    const push = (
      name: MetricEvent['name'],
      value: number | string,
      server: number,
      extras: { family?: Family; arm?: Arm } = {},
    ) => {
      const t = at(server);
      out.push(eventFor(user, name, value, t.ts, { ...extras, receivedAt: t.receivedAt }));
    };
    if (fellBack) push('fallback', 'budget', arrival, { family: s.families[0]! });
    for (const family of s.families)
      push('exposure', 1, arrival, { family, arm: rendered === 'v1' ? 'v1' : 'v2' });
    const sessions = 1 + poisson(random, s.sessionsMean - 1);
    const median = truth.fcpMedianMs * region.fcpFactor * Math.exp(USER_SIGMA * z);
    for (let k = 0; k < sessions; k++) {
      let fcp = median * Math.exp(SESSION_SIGMA * random.normal());
      if (k === 0 && group === 'control' && s.outlier && users.control === s.outlier.nthControlUser)
        fcp = s.outlier.fcpMs;
      push('fcp', fcp, arrival + k * 1000);
    }
    push('memory', truth.memoryMeanMb * Math.exp(0.2 * random.normal()), arrival + 1);
    if (random.uniform() < s.themeSwitchShare) {
      push('theme-switch', truth.themeSwitchMedianMs * Math.exp(THEME_SIGMA * random.normal()), arrival + 2);
    }
    if (random.uniform() < truth.errorRate) push('js-error', 1, arrival + 3);
    if (random.uniform() < truth.conversionRate) push('conversion', 1, arrival + 4);
  };
  return {
    users,
    until(end) {
      const out: MetricEvent[] = [];
      // Arrivals at the scenario's rate, spread evenly (with a fractional carry) between now and `end`.
      const exact = ((end - now) / 3_600_000) * total + debt;
      const count = Math.floor(exact);
      debt = exact - count;
      for (let i = 0; i < count; i++) userEvents(Math.round(now + ((i + 0.5) / count) * (end - now)), out);
      now = end;
      return out;
    },
  };
}

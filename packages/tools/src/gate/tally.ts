// The gate's running state over events: each admitted event goes to its stage's per-user record
// (per-user.ts), everything else is counted by reason. It can be fed all at once (evaluateGate) or a
// batch at a time (the simulation looks every 15 minutes without re-reading what it has seen).

import { addToUser, newUserRecord, type UserRecord } from './per-user.js';
import { type Clock, EXCLUSIONS, type Exclusion, screenEvent } from './screen.js';

/** One stage's users and its span in time (server time unless the client clock was chosen). */
export interface StageTally {
  stage: string;
  users: Map<string, UserRecord>;
  /** Users seen with `assignment: ineligible` (never compared), by hash. */
  ineligible: Set<string>;
  /** Whether any js-error in the stage names its family (then family comparisons use only those). */
  familyErrorsTagged: boolean;
  /** v2 page-load values of treatment users, for the p75 shown next to the level checks. */
  v2Values: { fcp: number[]; 'theme-switch': number[] };
  firstAt: number;
  lastAt: number;
  events: number;
}

/** Everything read so far. */
export interface Tally {
  clock: Clock;
  stages: Map<string, StageTally>;
  /** Events read (valid or not). */
  events: number;
  excluded: Record<Exclusion, number>;
  /** The first few reasons per exclusion, for the report. */
  samples: string[];
  /** Events timed by the client clock because they had no receivedAt (only with clock 'client'). */
  clientTimed: number;
}

const MAX_SAMPLES = 5;

/** An empty tally; `clock` 'client' lets events without `receivedAt` be timed by their `ts`. */
export function createTally(clock: Clock = 'server'): Tally {
  const excluded = Object.fromEntries(EXCLUSIONS.map((r) => [r, 0])) as Record<Exclusion, number>;
  return { clock, stages: new Map(), events: 0, excluded, samples: [], clientTimed: 0 };
}

function stageOf(tally: Tally, stage: string, at: number): StageTally {
  let s = tally.stages.get(stage);
  if (!s) {
    s = {
      stage,
      users: new Map(),
      ineligible: new Set(),
      familyErrorsTagged: false,
      v2Values: { fcp: [], 'theme-switch': [] },
      firstAt: at,
      lastAt: at,
      events: 0,
    };
    tally.stages.set(stage, s);
  }
  return s;
}

/** Screens one value and adds it to its stage, or counts why not. */
export function addToTally(tally: Tally, value: unknown): void {
  tally.events += 1;
  const screened = screenEvent(value, tally.clock);
  if (!screened.ok) {
    tally.excluded[screened.reason] += 1;
    if (tally.samples.length < MAX_SAMPLES) tally.samples.push(`${screened.reason}: ${screened.detail}`);
    return;
  }
  const { event, group, at } = screened;
  if (event.receivedAt === undefined) tally.clientTimed += 1;
  const stage = stageOf(tally, event.stage!, at);
  stage.events += 1;
  if (at < stage.firstAt) stage.firstAt = at;
  if (at > stage.lastAt) stage.lastAt = at;
  if (group === 'ineligible') {
    stage.ineligible.add(event.user);
    return;
  }
  let user = stage.users.get(event.user);
  if (!user) {
    user = newUserRecord(group, event.region, at, event.bucket);
    stage.users.set(event.user, user);
  }
  addToUser(user, event, group, at);
  if (event.name === 'js-error' && event.family) stage.familyErrorsTagged = true;
  if (
    group === 'treatment' &&
    (event.arm === 'v2' || event.arm === 'mixed') &&
    (event.name === 'fcp' || event.name === 'theme-switch') &&
    typeof event.value === 'number'
  ) {
    stage.v2Values[event.name].push(event.value);
  }
}

/** Adds every value, in order. */
export function addAllToTally(tally: Tally, values: Iterable<unknown>): Tally {
  for (const value of values) addToTally(tally, value);
  return tally;
}

/** Stage names ordered by their latest event (by the tally's clock), latest last. */
export function stagesByLatest(tally: Tally): string[] {
  return [...tally.stages.values()].sort((a, b) => a.lastAt - b.lastAt).map((s) => s.stage);
}

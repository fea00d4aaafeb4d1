// Builds contract-valid events for tests and the simulator, so both speak the same format as the SDK and
// the collector: the SDK's fields (with the user's assignment and bucket) plus the collector's receive time.
import type { Arm, AssignmentGroup, Family, MetricEvent, MetricName } from 'token-rollout/core';
import { createEvent } from 'token-rollout/core';

/** Who and where: the fields every event of one user shares. */
export interface UserContext {
  /** A number, turned into a hex hash-like id. */
  id: number;
  arm: Arm;
  stage: string;
  region: string;
  session?: string;
  /** The user's assignment group; default from `arm`: v1 → control, v2 or mixed → treatment. */
  assignment?: AssignmentGroup;
  /** The user's bucket; default 0 for treatment, 0.99 otherwise (inside / outside any percentage). */
  bucket?: number;
}

/** The event contract's `user`: the simulator's ids written as 12 hex digits, like a hash. */
export function userHash(id: number): string {
  return id.toString(16).padStart(12, '0');
}

/** Optional parts of one event. */
export interface EventExtras {
  family?: Family;
  /** What the page rendered, when it differs from the user's arm (exposures carry the family's version). */
  arm?: Arm;
  /** The collector's receive time: default `ts` (a client with a right clock); null leaves it out. */
  receivedAt?: number | null;
}

/** One event for a user at client time `ts`. */
export function eventFor(
  user: UserContext,
  name: MetricName,
  value: number | string,
  ts: number,
  extras: EventExtras = {},
): MetricEvent {
  const assignment = user.assignment ?? (user.arm === 'v1' ? 'control' : 'treatment');
  const bucket = user.bucket ?? (assignment === 'treatment' ? 0 : 0.99);
  const event = createEvent(
    name,
    value,
    { arm: user.arm, stage: user.stage, configVersion: 'cfg-1', region: user.region, assignment, bucket },
    { user: userHash(user.id), session: user.session ?? `s${user.id}` },
    ts,
    { ...(extras.family ? { family: extras.family } : {}), ...(extras.arm ? { arm: extras.arm } : {}) },
  );
  const receivedAt = extras.receivedAt === undefined ? event.ts : extras.receivedAt;
  if (receivedAt !== null) event.receivedAt = Math.round(receivedAt);
  return event;
}

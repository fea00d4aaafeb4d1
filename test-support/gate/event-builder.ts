// Builds contract-valid events for tests and the simulator, so both speak the same format as the SDK.
import type { Arm, Family, MetricEvent, MetricName } from 'token-rollout/core';
import { createEvent } from 'token-rollout/core';

/** Who and where: the fields every event of one user shares. */
export interface UserContext {
  /** A number, turned into a hex hash-like id. */
  id: number;
  arm: Arm;
  stage: string;
  region: string;
  session?: string;
}

/** The event contract's `user`: the simulator's ids written as 12 hex digits, like a hash. */
export function userHash(id: number): string {
  return id.toString(16).padStart(12, '0');
}

/** One event for a user; `arm` overrides the user's arm (exposures carry the family's version). */
export function eventFor(
  user: UserContext,
  name: MetricName,
  value: number | string,
  ts: number,
  extras: { family?: Family; arm?: Arm } = {},
): MetricEvent {
  return createEvent(
    name,
    value,
    { arm: user.arm, stage: user.stage, configVersion: 'cfg-1', region: user.region },
    { user: userHash(user.id), session: user.session ?? `s${user.id}` },
    ts,
    extras,
  );
}

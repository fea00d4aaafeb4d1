// Builds contract events: every event carries the page's arm, stage, config version and region, and the
// user's assignment group and bucket from the decision that chose the CSS (ARCHITECTURE.md "Assignment").
import type { Family } from '../families.js';
import type { Arm, AssignmentGroup, MetricEvent, MetricName } from './event.js';

/** Where an event happened: the rollout's state when it was recorded. */
export interface EventContext {
  arm: Arm;
  stage: string | null;
  configVersion: string;
  /** Two-letter region code, or '' when unknown. */
  region: string;
  /** The user's group, decided before any fallback, opt-out or load failure. */
  assignment: AssignmentGroup;
  /** The user's bucket that decided `assignment`. */
  bucket: number;
}

/** Who the event is about: the salted user hash and the page session id. */
export interface EventIdentity {
  user: string;
  session: string;
}

/** Optional parts of an event: a family (exposure), a label (conversion name, error), another arm, an id. */
export interface EventExtras {
  family?: Family;
  detail?: string;
  arm?: Arm;
  /** The event's random id (the SDK's monitoring always sets one; see `newEventId`). */
  id?: string;
}

const MAX_DETAIL = 200;

/** One contract event; `detail` is cut to 200 characters so an error message cannot bloat a batch. */
export function createEvent(
  name: MetricName,
  value: number | string,
  context: EventContext,
  identity: EventIdentity,
  ts: number,
  extras: EventExtras = {},
): MetricEvent {
  const event: MetricEvent = {
    name,
    value,
    arm: extras.arm ?? context.arm,
    stage: context.stage,
    configVersion: context.configVersion,
    region: context.region,
    user: identity.user,
    session: identity.session,
    ts: Math.round(ts),
    assignment: context.assignment,
    bucket: context.bucket,
  };
  if (extras.id) event.id = extras.id;
  if (extras.family) event.family = extras.family;
  if (extras.detail !== undefined && extras.detail !== '') event.detail = extras.detail.slice(0, MAX_DETAIL);
  return event;
}

/** A region as events carry it: an upper-case two-letter code, or '' when missing or malformed. */
export function normalizeRegion(region: string | undefined): string {
  const code = (region ?? '').trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) ? code : '';
}

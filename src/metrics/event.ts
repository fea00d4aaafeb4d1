// The metric event: the contract between the SDK's reporters, the collector and the gate.
import type { Family } from '../families.js';

/** Every metric name the SDK emits. */
export const METRIC_NAMES = [
  'page-view',
  'fcp',
  'lcp',
  'inp',
  'cls',
  'ttfb',
  'theme-switch',
  'js-error',
  'memory',
  'conversion',
  'fallback',
  'exposure',
  'opt-out',
] as const;

/** One metric name (see `METRIC_NAMES`). */
export type MetricName = (typeof METRIC_NAMES)[number];

/** The page's token version: `mixed` when its families differ. */
export type Arm = 'v1' | 'v2' | 'mixed';

/**
 * The user's group for the flag at decision time (intention to treat, ARCHITECTURE.md "Assignment"):
 * `treatment` when eligible (a stage is active, the flag is on, the config is valid and the region is
 * in the stage) and the bucket is inside the percentage, `control` when eligible but outside it,
 * `ineligible` otherwise. Set before any fallback, opt-out or load failure, so it never changes for a
 * user within a config version; what was rendered stays in `arm`.
 */
export type AssignmentGroup = 'treatment' | 'control' | 'ineligible';
/** Every assignment group, in order. */
export const ASSIGNMENT_GROUPS: readonly AssignmentGroup[] = ['treatment', 'control', 'ineligible'];

// The limits below are part of the contract. One validator reads them (src/metrics/validate.ts): strict
// for the SDK's own events and the gate, lenient for the collector, so browser and server cannot drift.

/** Every field an event may have (`MetricEvent`'s keys). */
export const EVENT_FIELDS: readonly (keyof MetricEvent)[] = [
  'name',
  'value',
  'arm',
  'family',
  'stage',
  'configVersion',
  'region',
  'user',
  'session',
  'ts',
  'detail',
  'assignment',
  'bucket',
  'receivedAt',
  'id',
];
/** Every arm, in order. */
export const ARMS: readonly Arm[] = ['v1', 'v2', 'mixed'];
/** Metrics whose value may be negative (a refund is a negative conversion); other numbers are >= 0. */
export const SIGNED_METRICS: ReadonlySet<MetricName> = /* @__PURE__ */ new Set<MetricName>(['conversion']);
/** `user` is a salted hash in hex: a plain user key (an email, an id) never matches. */
export const USER_HASH_PATTERN = /^[0-9a-f]{8,64}$/;
/** Longest id (user hash, session, stage, config version) an event may carry. */
export const MAX_ID_LENGTH = 128;
/** Longest `detail` label (an error message or conversion name). */
export const MAX_DETAIL_LENGTH = 500;

/**
 * One event. `user` is a salted hash of the user key (the key never leaves the browser);
 * `session` a random id per page session; `ts` ms since epoch. `value` is a number, except for
 * `fallback` (the reason) and `conversion`/`js-error` which may carry a label in `detail`.
 */
export interface MetricEvent {
  name: MetricName;
  value: number | string;
  arm: Arm;
  family?: Family;
  stage: string | null;
  configVersion: string;
  region: string;
  user: string;
  session: string;
  ts: number;
  detail?: string;
  /** The user's group at decision time (see `AssignmentGroup`). */
  assignment: AssignmentGroup;
  /** The user's bucket in [0, 1] (LaunchDarkly's rollout hash) that decided `assignment`. */
  bucket: number;
  /** Server receive time, ms since epoch: stamped by the collector, never trusted from a client. */
  receivedAt?: number;
  /** The event's id (random, unique per event): lets a store drop a retried duplicate. */
  id?: string;
}

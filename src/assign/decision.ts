// Shared, frozen per-family decisions: a decision is one of a dozen values, so resolveAssignment hands out
// these instead of allocating eight objects per call.
import type { FamilyDecision, Reason } from './types.js';

const REASONS: readonly Reason[] = [
  'in-rollout',
  'flag-off',
  'invalid-config',
  'no-stage',
  'region-unknown',
  'region-excluded',
  'family-not-in-stage',
  'killed',
  'outside-percentage',
  'opted-out',
  'local-fallback',
  'load-failed',
];

/** One shared, frozen decision per reason code: v2 for 'in-rollout', v1 for every other reason. */
export const DECISIONS = Object.fromEntries(
  REASONS.map((reason) => [
    reason,
    Object.freeze({ version: reason === 'in-rollout' ? 'v2' : 'v1', reason }),
  ]),
) as Readonly<Record<Reason, FamilyDecision>>;

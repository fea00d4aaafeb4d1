// resolveAssignment: the pure decision. Per family, v1 or v2 and the one reason that decided it.
//
// Precedence (the first that applies wins; the order a user passes through the funnel):
//   invalid-config > flag-off > opted-out > no-stage > region-unknown | region-excluded
//   > family-not-in-stage > killed > outside-percentage > local-fallback > in-rollout
// Config-wide reasons come first so one cause explains every family; the user's own choice (opted-out)
// outranks the schedule; a kill switch is reported only for families the stage would otherwise cover;
// a local fallback only for families that would otherwise be v2, so its count is the number of users
// it actually moved. opted-out and killed are always v1.

import { regionMatches } from '../config/regions.js';
import { activeStage } from '../config/stage.js';
import type { ParseResult, RolloutConfig, Stage } from '../config/types.js';
import { FAMILIES, type Family, FLAG_KEY } from '../families.js';
import { bucketOf, rolloutThreshold } from './bucket.js';
import { DECISIONS } from './decision.js';
import type { Assignment, AssignmentContext, FamilyDecision, Reason } from './types.js';

/** Per-config work done once: family bitmasks per stage and of killed families. */
interface Prepared {
  stageMasks: Map<Stage, number>;
  killedMask: number;
}

const prepared = new WeakMap<RolloutConfig, Prepared>();

/** Bitmask with one bit per family, in FAMILIES order. */
function maskOf(families: readonly Family[]): number {
  let mask = 0;
  for (let i = 0; i < FAMILIES.length; i++) if (families.includes(FAMILIES[i]!)) mask |= 1 << i;
  return mask;
}

/** The prepared form of `config`, computed on first use and kept while the config object lives. */
function prepare(config: RolloutConfig): Prepared {
  let p = prepared.get(config);
  if (!p) {
    p = {
      stageMasks: new Map(config.stages.map((s) => [s, maskOf(s.families)])),
      killedMask: maskOf(config.killed),
    };
    prepared.set(config, p);
  }
  return p;
}

/** Every family with the same decision. */
function uniform(reason: Reason): Record<Family, FamilyDecision> {
  const d = DECISIONS[reason];
  return { buttons: d, cards: d, forms: d, tables: d, navigation: d, feedback: d, overlays: d, checkout: d };
}

/** True when `region` is already two upper-case letters (skips a string allocation on the hot path). */
function isUpperPair(region: string): boolean {
  if (region.length !== 2) return false;
  const a = region.charCodeAt(0);
  const b = region.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

/** The reason shared by every family at this stage for this user, or null when it is per family. */
function commonReason(config: RolloutConfig, stage: Stage | null, context: AssignmentContext): Reason | null {
  if (!config.enabled) return 'flag-off';
  if (context.optedOut === true) return 'opted-out';
  if (!stage) return 'no-stage';
  if (stage.regions.kind === 'all') return null;
  const region = context.region;
  if (region === undefined || region === '') return 'region-unknown';
  const upper = isUpperPair(region) ? region : region.trim().toUpperCase();
  return regionMatches(stage.regions, upper) ? null : 'region-excluded';
}

/** One family's decision once the config-wide and user-wide reasons have passed. */
function familyDecision(
  family: Family,
  bit: number,
  stageMask: number,
  killedMask: number,
  inside: boolean,
  fallbacks: readonly Family[] | undefined,
): FamilyDecision {
  if ((stageMask & bit) === 0) return DECISIONS['family-not-in-stage'];
  if ((killedMask & bit) !== 0) return DECISIONS.killed;
  if (!inside) return DECISIONS['outside-percentage'];
  if (fallbacks !== undefined && fallbacks.length > 0 && fallbacks.includes(family)) {
    return DECISIONS['local-fallback'];
  }
  return DECISIONS['in-rollout'];
}

/**
 * Decides v1 or v2 for every family. `config` may be a parsed config, a ParseResult (a failed one puts
 * everyone on v1 with 'invalid-config'), or null (no config: the flag is treated as off). `now` picks
 * the active stage. A missing region is v1 ('region-unknown') unless the stage targets "all".
 */
export function resolveAssignment(
  config: RolloutConfig | ParseResult | null,
  context: AssignmentContext,
  now: number,
): Assignment {
  if (config === null) {
    const bucket = bucketOf(FLAG_KEY, FLAG_KEY, context.key);
    return { stage: null, bucket, configVersion: '', families: uniform('flag-off') };
  }
  if ('ok' in config) {
    if (config.ok) return resolveAssignment(config.config, context, now);
    const bucket = bucketOf(FLAG_KEY, FLAG_KEY, context.key);
    return { stage: null, bucket, configVersion: '', families: uniform('invalid-config') };
  }
  const bucket = bucketOf(config.flagKey, config.salt, context.key);
  const stage = activeStage(config, now);
  const common = commonReason(config, stage, context);
  const stageName = stage === null ? null : stage.name;
  if (common !== null || stage === null) {
    return {
      stage: stageName,
      bucket,
      configVersion: config.version,
      families: uniform(common ?? 'no-stage'),
    };
  }
  const p = prepare(config);
  const m = p.stageMasks.get(stage) ?? maskOf(stage.families);
  const k = p.killedMask;
  const inside = bucket < rolloutThreshold(stage.percentage);
  const fb = context.fallbacks;
  // One literal with every key: a stable object shape, and no per-family property additions.
  return {
    stage: stageName,
    bucket,
    configVersion: config.version,
    families: {
      buttons: familyDecision('buttons', 1, m, k, inside, fb),
      cards: familyDecision('cards', 2, m, k, inside, fb),
      forms: familyDecision('forms', 4, m, k, inside, fb),
      tables: familyDecision('tables', 8, m, k, inside, fb),
      navigation: familyDecision('navigation', 16, m, k, inside, fb),
      feedback: familyDecision('feedback', 32, m, k, inside, fb),
      overlays: familyDecision('overlays', 64, m, k, inside, fb),
      checkout: familyDecision('checkout', 128, m, k, inside, fb),
    },
  };
}

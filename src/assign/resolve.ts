// resolveAssignment: the pure decision. Per family, v1 or v2 and the one reason that decided it, and the
// user's assignment group for the comparison (ARCHITECTURE.md "Assignment").
//
// Precedence (the first that applies wins; the order a user passes through the funnel):
//   invalid-config > flag-off > opted-out > no-stage > region-unknown | region-excluded
//   > family-not-in-stage > killed > outside-percentage > local-fallback > in-rollout
// Config-wide reasons come first so one cause explains every family; the user's own choice (opted-out)
// outranks the schedule; a kill switch is reported only for families the stage would otherwise cover;
// a local fallback only for families that would otherwise be v2, so its count is the number of users
// it actually moved. opted-out and killed are always v1.
//
// The group reads only the flag, the stage, the region and the bucket: an opt-out, a kill switch or a
// local fallback changes what is rendered, never which group the user is counted in.
import { regionMatches } from '../config/regions.js';
import { activeStage } from '../config/stage.js';
import type { ParseResult, RolloutConfig, Stage } from '../config/types.js';
import { FAMILIES, type Family, FLAG_KEY } from '../families.js';
import type { AssignmentGroup } from '../metrics/event.js';
import { bucketOf, rolloutThreshold } from './bucket.js';
import { DECISIONS } from './decision.js';
import type { Assignment, AssignmentContext, FamilyDecision, Reason } from './types.js';

/**
 * Per-config work done once: family bitmasks per stage and of killed families, and per stage the two
 * family maps an eligible user without local fallbacks can get (outside / inside the percentage).
 */
interface Prepared {
  stageMasks: Map<Stage, number>;
  killedMask: number;
  decided: Map<Stage, readonly [outside: FamilyDecisions, inside: FamilyDecisions]>;
}

/** Every family's decision; frozen when shared between users. */
type FamilyDecisions = Record<Family, FamilyDecision>;

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
      decided: new Map(),
    };
    prepared.set(config, p);
  }
  return p;
}

const uniformCache = new Map<Reason, FamilyDecisions>();

/** Every family with the same decision (one shared, frozen map per reason). */
function uniform(reason: Reason): FamilyDecisions {
  let families = uniformCache.get(reason);
  if (!families) {
    families = {} as FamilyDecisions;
    for (const family of FAMILIES) families[family] = DECISIONS[reason];
    uniformCache.set(reason, Object.freeze(families));
  }
  return families;
}

/** True when `region` is already two upper-case letters (skips a string allocation on the hot path). */
function isUpperPair(region: string): boolean {
  if (region.length !== 2) return false;
  const a = region.charCodeAt(0);
  const b = region.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

/** Why the user is outside the comparison (flag off, no stage, region), or null when eligible. */
function ineligibility(
  config: RolloutConfig,
  stage: Stage | null,
  region: string | undefined,
): Reason | null {
  if (!config.enabled) return 'flag-off';
  if (!stage) return 'no-stage';
  if (stage.regions.kind === 'all') return null;
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

/** Every family's decision for an eligible user at `stage`. */
function decideFamilies(
  p: Prepared,
  stage: Stage,
  inside: boolean,
  fallbacks: readonly Family[] | undefined,
): FamilyDecisions {
  const stageMask = p.stageMasks.get(stage) ?? maskOf(stage.families);
  const families = {} as FamilyDecisions;
  for (let i = 0; i < FAMILIES.length; i++) {
    const family = FAMILIES[i]!;
    families[family] = familyDecision(family, 1 << i, stageMask, p.killedMask, inside, fallbacks);
  }
  return families;
}

/**
 * The family map for an eligible user: without local fallbacks (nearly everyone) it depends only on the
 * stage and the side of the percentage, so the two maps per stage are built once and shared, frozen.
 */
function perFamily(
  config: RolloutConfig,
  stage: Stage,
  inside: boolean,
  fallbacks: readonly Family[] | undefined,
): FamilyDecisions {
  const p = prepare(config);
  if (fallbacks !== undefined && fallbacks.length > 0) return decideFamilies(p, stage, inside, fallbacks);
  let pair = p.decided.get(stage);
  if (!pair) {
    const outside = Object.freeze(decideFamilies(p, stage, false, undefined));
    pair = [outside, Object.freeze(decideFamilies(p, stage, true, undefined))];
    p.decided.set(stage, pair);
  }
  return pair[inside ? 1 : 0];
}

/**
 * Decides v1 or v2 for every family, and the user's assignment group. `config` may be a parsed config,
 * a ParseResult (a failed one puts everyone on v1 with 'invalid-config'), or null (no config: the flag
 * is treated as off). `now` picks the active stage. A missing region is v1 ('region-unknown') unless
 * the stage targets "all".
 */
export function resolveAssignment(
  config: RolloutConfig | ParseResult | null,
  context: AssignmentContext,
  now: number,
): Assignment {
  if (config === null || 'ok' in config) {
    if (config?.ok) return resolveAssignment(config.config, context, now);
    const bucket = bucketOf(FLAG_KEY, FLAG_KEY, context.key);
    const reason: Reason = config === null ? 'flag-off' : 'invalid-config';
    return { stage: null, bucket, configVersion: '', group: 'ineligible', families: uniform(reason) };
  }
  const bucket = bucketOf(config.flagKey, config.salt, context.key);
  const stage = activeStage(config, now);
  const excluded = ineligibility(config, stage, context.region);
  const inside = stage !== null && bucket < rolloutThreshold(stage.percentage);
  const group: AssignmentGroup = excluded !== null ? 'ineligible' : inside ? 'treatment' : 'control';
  // The user's own choice outranks the schedule, but not a flag that is off.
  const common = excluded !== 'flag-off' && context.optedOut === true ? 'opted-out' : excluded;
  const families =
    common !== null || stage === null
      ? uniform(common ?? 'no-stage')
      : perFamily(config, stage, inside, context.fallbacks);
  // One literal with every key: a stable object shape on this hot path.
  return {
    stage: stage === null ? null : stage.name,
    bucket,
    configVersion: config.version,
    group,
    families,
  };
}

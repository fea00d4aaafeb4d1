// Is a change an advance or a rollback? Judged on the flags before and after it, not on the route it
// came through, so every path (dashboard, API, gate) gets the same answer. An advance exposes more users to
// v2 (the flag turned on, a later stage, a higher percentage, more regions or families, a family restored,
// a stage scheduled earlier); a rollback exposes fewer. A change that does both counts as an advance (the
// freeze and approval rules apply to it); one that does neither (a monitoring interval) is an edit.

import { FLAG_KEY, parseRolloutConfig, type RegionRule, type RolloutConfig } from 'token-rollout/core';
import type { RollbackScope } from '../audit/types.js';
import { configVariationIndex, flagState } from '../flag-server/admin.js';
import type { FlagDefinition } from '../flag-server/definitions.js';

/** The verdict on one change. */
export interface ChangeClass {
  kind: 'advance' | 'rollback' | 'edit';
  /** Each difference in words, widening ones first. */
  changes: string[];
  /** Stages an advance enters or widens (an approval is asked for these). */
  advancedStages: string[];
  scope: RollbackScope;
}

function configOf(flags: readonly FlagDefinition[], flagKey: string): RolloutConfig | null {
  const main = flags.find((f) => f.key === flagKey);
  if (!main) return null;
  const index = configVariationIndex(main);
  if (index < 0) return null;
  const parsed = parseRolloutConfig(main.variations[index]);
  return parsed.ok ? parsed.config : null;
}

/** True when every region `inner` covers, `outer` covers too. */
export function regionsCover(outer: RegionRule, inner: RegionRule): boolean {
  if (outer.kind === 'all') return true;
  if (inner.kind === 'all') return outer.kind === 'all-except' && outer.codes.length === 0;
  if (outer.kind === 'only')
    return inner.kind === 'only' && inner.codes.every((c) => outer.codes.includes(c));
  // outer excludes some codes: inner must avoid them.
  if (inner.kind === 'only') return inner.codes.every((c) => !outer.codes.includes(c));
  return outer.codes.every((c) => inner.codes.includes(c));
}

function regionText(rule: RegionRule): string {
  if (rule.kind === 'all') return 'all';
  if (rule.kind === 'only') return rule.codes.join(', ');
  return `all except ${rule.codes.join(', ')}`;
}

const iso = (ms: number | undefined) => (ms === undefined ? 'none' : new Date(ms).toISOString());

/** Compares the stages both configs have: widenings and narrowings, by stage. */
function compareStages(
  before: RolloutConfig,
  after: RolloutConfig,
  widen: (stage: string | null, text: string) => void,
  narrow: (text: string) => void,
  edit: (text: string) => void,
): void {
  for (const b of before.stages) {
    const a = after.stages.find((s) => s.name === b.name);
    if (!a) continue;
    const name = b.name;
    if (a.percentage > b.percentage) widen(name, `${name} percentage ${b.percentage} → ${a.percentage}`);
    if (a.percentage < b.percentage) narrow(`${name} percentage ${b.percentage} → ${a.percentage}`);
    const grew = !regionsCover(b.regions, a.regions);
    const shrank = !regionsCover(a.regions, b.regions);
    const regions = `${name} regions ${regionText(b.regions)} → ${regionText(a.regions)}`;
    if (grew) widen(name, regions);
    else if (shrank) narrow(regions);
    const added = a.families.filter((f) => !b.families.includes(f));
    const removed = b.families.filter((f) => !a.families.includes(f));
    if (added.length > 0) widen(name, `${name} components + ${added.join(', ')}`);
    if (removed.length > 0) narrow(`${name} components − ${removed.join(', ')}`);
    if (a.startsAt !== b.startsAt) {
      const text = `${name} startsAt ${iso(b.startsAt)} → ${iso(a.startsAt)}`;
      // Scheduled sooner (or newly scheduled) may start exposing users on its own: an advance.
      if (a.startsAt !== undefined && (b.startsAt === undefined || a.startsAt < b.startsAt))
        widen(name, text);
      else edit(text);
    }
    if (a.monitorEveryMinutes !== b.monitorEveryMinutes) {
      edit(`${name} monitorEvery ${b.monitorEveryMinutes ?? 'none'} → ${a.monitorEveryMinutes ?? 'none'}`);
    }
  }
}

/** Classifies the change from `before` to `after` (the served flags), with the active stage judged at `now`. */
export function classifyChange(
  before: readonly FlagDefinition[],
  after: readonly FlagDefinition[],
  now: number,
  flagKey = FLAG_KEY,
): ChangeClass {
  const sb = flagState(before, now, flagKey);
  const sa = flagState(after, now, flagKey);
  const widening: string[] = [];
  const narrowing: string[] = [];
  const edits: string[] = [];
  const stages = new Set<string>();
  const widen = (stage: string | null, text: string) => {
    widening.push(text);
    if (stage !== null) stages.add(stage);
  };
  if (!sb.on && sa.on) widen(sa.activeStage, 'flag off → on');
  if (sb.on && !sa.on) narrowing.push('flag on → off');
  if (sb.activeStage !== sa.activeStage) {
    const order = sa.stages.map((s) => s.name);
    const from = sb.activeStage === null ? -1 : order.indexOf(sb.activeStage);
    const to = sa.activeStage === null ? -1 : order.indexOf(sa.activeStage);
    const text = `stage ${sb.activeStage ?? 'none'} → ${sa.activeStage ?? 'none'}`;
    if (to > from) widen(sa.activeStage, text);
    else narrowing.push(text);
  }
  const cb = configOf(before, flagKey);
  const ca = configOf(after, flagKey);
  if (cb && ca)
    compareStages(
      cb,
      ca,
      widen,
      (t) => narrowing.push(t),
      (t) => edits.push(t),
    );
  const killed = sa.killed.filter((f) => !sb.killed.includes(f));
  const restored = sb.killed.filter((f) => !sa.killed.includes(f));
  for (const f of restored) widen(sa.activeStage, `${f} restored`);
  for (const f of killed) narrowing.push(`${f} killed`);
  const kind = widening.length > 0 ? 'advance' : narrowing.length > 0 ? 'rollback' : 'edit';
  let scope: RollbackScope = { kind: 'partial' };
  if (kind === 'rollback' && sb.on && !sa.on) scope = { kind: 'flag' };
  else if (kind === 'rollback' && killed.length === narrowing.length)
    scope = { kind: 'families', families: killed };
  return { kind, changes: [...widening, ...narrowing, ...edits], advancedStages: [...stages], scope };
}

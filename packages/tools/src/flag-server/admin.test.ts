import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRolloutConfig } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { applyAdminChange, flagState } from './admin.js';
import { type FlagDefinition, validateFlagDefinition } from './definitions.js';

const dir = join(import.meta.dirname, '../../flags');
const FLAGS: FlagDefinition[] = readdirSync(dir).map((f) =>
  validateFlagDefinition(JSON.parse(readFileSync(join(dir, f), 'utf8')), f),
);
const main = (flags: readonly FlagDefinition[]) => flags.find((f) => f.key === 'design-tokens-v2')!;
const NOW = Date.parse('2026-01-01');

describe('the shipped flag definitions', () => {
  it('hold the seed plan at week1 with an explicit stage, and an off variation of null', () => {
    const flag = main(FLAGS);
    expect(flag.variations[flag.offVariation!]).toBeNull();
    const parsed = parseRolloutConfig(flag.variations[flag.fallthrough.variation!]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config.activeStage).toBe('week1');
    expect(parsed.config.stages.map((s) => [s.name, s.percentage])).toEqual([
      ['week1', 5],
      ['week2', 25],
      ['week3', 50],
      ['week4', 100],
    ]);
    expect(parsed.config.stages[0]?.families).toEqual(['buttons', 'cards']);
    expect(parsed.config.stages[3]?.families).toHaveLength(8);
  });

  it('define a client-side boolean kill switch per family, true when allowed', () => {
    const switches = FLAGS.filter((f) => f.key.startsWith('design-tokens-v2.'));
    expect(switches.map((f) => f.key.split('.')[1]).sort()).toEqual(
      ['buttons', 'cards', 'checkout', 'feedback', 'forms', 'navigation', 'overlays', 'tables'].sort(),
    );
    for (const flag of [...switches, main(FLAGS)]) {
      expect(flag.clientSideAvailability).toEqual({ usingEnvironmentId: true, usingMobileKey: true });
    }
    for (const flag of switches) {
      expect(flag.variations[flag.fallthrough.variation!]).toBe(true);
      expect(flag.variations[flag.offVariation!]).toBe(false);
    }
  });
});

describe('applyAdminChange', () => {
  it('never modifies its input and bumps only the flags it changes', () => {
    const before = JSON.stringify(FLAGS);
    const result = applyAdminChange(FLAGS, { kind: 'patch-stage', stage: 'week1', body: { percentage: 10 } });
    expect(JSON.stringify(FLAGS)).toBe(before);
    expect(result.ok && result.changed.map((f) => [f.key, f.version])).toEqual([['design-tokens-v2', 2]]);
  });

  it("patches a stage's components and regions as the engine reads them", () => {
    const result = applyAdminChange(FLAGS, {
      kind: 'patch-stage',
      stage: 'week2',
      body: { components: ['all-except-critical'], regions: ['all-except-US'] },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const config = parseRolloutConfig(main(result.changed).variations[1]);
    expect(config.ok && config.config.stages[1]?.families).toHaveLength(7);
    expect(config.ok && config.config.stages[1]?.regions).toEqual({ kind: 'all-except', codes: ['US'] });
  });

  it('does nothing (no version bump) when the flag is already in the asked state', () => {
    expect(applyAdminChange(FLAGS, { kind: 'flag', body: { on: true } })).toEqual({ ok: true, changed: [] });
  });

  it("kills through the config's `killed` list when no family flag exists, and restores", () => {
    const onlyMain = [main(FLAGS)];
    const killed = applyAdminChange(onlyMain, { kind: 'family', family: 'forms', body: { killed: true } });
    expect(killed.ok).toBe(true);
    if (!killed.ok) return;
    expect(flagState(killed.changed, NOW).killed).toEqual(['forms']);
    const restored = applyAdminChange(killed.changed, {
      kind: 'family',
      family: 'forms',
      body: { killed: false },
    });
    expect(restored.ok && flagState(restored.changed, NOW).killed).toEqual([]);
  });

  it('clears the explicit stage with null, so the schedule decides', () => {
    const result = applyAdminChange(FLAGS, { kind: 'stage', body: { stage: null } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The seed's dates are in 2025: on 2026-01-01 the schedule has reached week4.
    expect(flagState(result.changed, NOW).activeStage).toBe('week4');
  });

  it('refuses unknown fields and empty patches with the body path', () => {
    const unknown = applyAdminChange(FLAGS, { kind: 'patch-stage', stage: 'week1', body: { percent: 5 } });
    expect(unknown).toMatchObject({ ok: false, error: { status: 400, path: '$.percent' } });
    const empty = applyAdminChange(FLAGS, { kind: 'patch-stage', stage: 'week1', body: {} });
    expect(empty).toMatchObject({ ok: false, error: { path: '$', error: /nothing to change/ } });
    const notObject = applyAdminChange(FLAGS, { kind: 'flag', body: [true] });
    expect(notObject).toMatchObject({ ok: false, error: { error: /JSON object/ } });
  });

  it('says so when the rollout flag is not defined', () => {
    const result = applyAdminChange([], { kind: 'flag', body: { on: false } });
    expect(result).toMatchObject({
      ok: false,
      error: { status: 404, error: /"design-tokens-v2" is not defined/ },
    });
    expect(flagState([], NOW).errors).toEqual([{ path: '$', message: 'flag not defined' }]);
  });
});

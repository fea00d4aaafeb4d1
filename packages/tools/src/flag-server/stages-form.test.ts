// The admin API on a config written in the `"stages": {...}` form (src/config/parse.ts accepts it): the
// state lists its stages, and each change edits them there, keeping the form, as the SDK then reads it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  explicitStage,
  parseRolloutConfig,
  regionsAsWritten,
  stageNames,
  withKilled,
  withStage,
  withStageFields,
} from 'token-rollout/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAdminChange, type FlagState, flagState } from './admin.js';
import type { FlagDefinition } from './definitions.js';
import { type FlagServer, startFlagServer } from './server.js';

const CONFIG = {
  stage: 'pilot',
  salt: 'design-tokens-v2',
  killed: [],
  stages: {
    pilot: { percentage: 5, regions: ['AU'], components: ['buttons', 'cards'], startsAt: '2025-02-10' },
    broad: { percentage: 50, regions: ['all-except-US', 'all-except-CA'], components: 'all-except-critical' },
  },
};

const FLAG: FlagDefinition = {
  key: 'design-tokens-v2',
  on: true,
  variations: [null, CONFIG],
  offVariation: 0,
  fallthrough: { variation: 1 },
  targets: [],
  contextTargets: [],
  rules: [],
  prerequisites: [],
  salt: 'design-tokens-v2',
  clientSideAvailability: { usingEnvironmentId: true, usingMobileKey: true },
  version: 1,
} as unknown as FlagDefinition;

let dir: string;
let server: FlagServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stages-form-'));
  await writeFile(join(dir, 'design-tokens-v2.json'), JSON.stringify(FLAG));
  server = await startFlagServer({ flagsDir: dir, dataDir: join(dir, 'data') });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function admin(method: string, path: string, body?: unknown): Promise<FlagState> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as FlagState & { error?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${answer.error}`);
  return answer;
}

/** The config the flag server serves now, as the SDK would parse it. */
function served() {
  const flag = server.service.flags().find((f) => f.key === 'design-tokens-v2');
  const value = flag?.variations[1] as { stages?: Record<string, unknown> } & Record<string, unknown>;
  const parsed = parseRolloutConfig(value);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return { value, config: parsed.config };
}

describe('the admin API on a config in the "stages" form', () => {
  it('lists the stages the SDK reads, in its terms', async () => {
    const state = await admin('GET', '/admin/state');
    expect(state.errors).toEqual([]);
    expect(state.activeStage).toBe('pilot');
    expect(state.stages).toEqual([
      {
        name: 'pilot',
        percentage: 5,
        regions: ['AU'],
        components: ['buttons', 'cards'],
        startsAt: '2025-02-10T00:00:00.000Z',
        monitorEveryMinutes: null,
      },
      {
        name: 'broad',
        percentage: 50,
        regions: ['all-except-CA', 'all-except-US'],
        components: ['buttons', 'cards', 'forms', 'tables', 'navigation', 'feedback', 'overlays'],
        startsAt: null,
        monitorEveryMinutes: null,
      },
    ]);
  });

  it('patches a stage, changes the active stage and kills a family inside "stages", keeping the form', async () => {
    let state = await admin('PATCH', '/admin/stages/pilot', { percentage: 20, regions: ['AU', 'NZ'] });
    expect(state.stages[0]).toMatchObject({ name: 'pilot', percentage: 20, regions: ['AU', 'NZ'] });
    state = await admin('POST', '/admin/stage', { stage: 'broad' });
    expect(state.activeStage).toBe('broad');
    state = await admin('POST', '/admin/families/forms', { killed: true });
    expect(state.killed).toEqual(['forms']);
    const { value, config } = served();
    // Edited where they were written: no stage, nothing else, appeared at the top level.
    expect(Object.keys(value).sort()).toEqual(['killed', 'salt', 'stage', 'stages']);
    expect(value.stages?.pilot).toEqual({
      percentage: 20,
      regions: ['AU', 'NZ'],
      components: ['buttons', 'cards'],
      startsAt: '2025-02-10',
    });
    expect(config.activeStage).toBe('broad');
    expect(config.killed).toEqual(['forms']);
    // The regions the state shows go back through a PATCH unchanged.
    const broad = state.stages.find((s) => s.name === 'broad');
    state = await admin('PATCH', '/admin/stages/broad', {
      regions: broad?.regions,
      components: broad?.components,
    });
    expect(state.stages.find((s) => s.name === 'broad')).toEqual(broad);
  });

  it('refuses a stage that is not in "stages", and a change that would make the config invalid', async () => {
    await expect(admin('PATCH', '/admin/stages/stages', { percentage: 1 })).rejects.toThrow(
      '404 stage "stages" does not exist',
    );
    await expect(admin('POST', '/admin/stage', { stage: 'salt' })).rejects.toThrow('"stage" must be one of');
    await expect(admin('PATCH', '/admin/stages/pilot', { regions: ['Australia'] })).rejects.toThrow(
      /400 the change would make the rollout config invalid: expected an ISO 3166-1 alpha-2 code/,
    );
  });
});

describe('applyAdminChange on the seed\'s wrapped form with "stages"', () => {
  it('keeps the wrapper and edits under it', () => {
    const wrapped = { ...FLAG, variations: [null, { 'design-tokens-v2': CONFIG }] } as FlagDefinition;
    const result = applyAdminChange([wrapped], {
      kind: 'patch-stage',
      stage: 'broad',
      body: { percentage: 75 },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.changed[0]?.variations[1] as { 'design-tokens-v2': typeof CONFIG };
    expect(Object.keys(value)).toEqual(['design-tokens-v2']);
    expect(value['design-tokens-v2'].stages.broad.percentage).toBe(75);
    expect(flagState(result.changed, Date.parse('2026-01-01')).stages[1]?.percentage).toBe(75);
  });
});

describe('the config edit helpers of token-rollout/core, in every form the parser accepts', () => {
  const seed = { 'design-tokens-v2': { week1: { percentage: 5 }, week2: { percentage: 25 } } };
  const bare = { week1: { percentage: 5 }, week2: { percentage: 25 } };

  it('list stages and the named stage whatever the form; nothing for an invalid value', () => {
    for (const value of [seed, bare, CONFIG, { 'design-tokens-v2': CONFIG }]) {
      expect(stageNames(value).length).toBe(2);
    }
    expect(stageNames(CONFIG)).toEqual(['pilot', 'broad']);
    expect(explicitStage(CONFIG)).toBe('pilot');
    expect(explicitStage(seed)).toBeNull();
    expect(stageNames({ week1: { percentage: 500 } })).toEqual([]);
  });

  it('set and clear the stage, keeping the wrapper or the bare form', () => {
    const set = withStage(seed, 'week2');
    expect(set).toMatchObject({ ok: true, value: { 'design-tokens-v2': { stage: 'week2' } } });
    const cleared = withStage(CONFIG, null);
    expect(cleared.ok && 'stage' in (cleared.value as object)).toBe(false);
    expect(withStage(bare, 'week2')).toMatchObject({ ok: true, value: { stage: 'week2', week1: {} } });
    // An unknown stage is the parser's error, with its path in the value.
    expect(withStage(seed, 'week9')).toMatchObject({
      ok: false,
      error: { path: '$["design-tokens-v2"].stage', message: expect.stringContaining('a stage name') },
    });
    expect(withStage(null, 'week1')).toMatchObject({ ok: false, error: { path: '$' } });
  });

  it('edit stage fields and the killed list without touching the input', () => {
    const before = JSON.stringify(CONFIG);
    const edited = withStageFields(CONFIG, 'broad', { percentage: 60 });
    expect(edited.ok && edited.config.stages[1]?.percentage).toBe(60);
    expect(JSON.stringify(CONFIG)).toBe(before);
    expect(withStageFields(CONFIG, 'nope', { percentage: 1 })).toMatchObject({
      ok: false,
      error: { message: 'stage "nope" does not exist' },
    });
    expect(withStageFields(CONFIG, 'pilot', { percentage: 101 })).toMatchObject({
      ok: false,
      error: { path: '$.stages.pilot.percentage' },
    });
    const killed = withKilled(seed, ['forms', 'cards']);
    expect(killed.ok && killed.config.killed).toEqual(['cards', 'forms']);
  });

  it('write region rules back the way a stage lists them', () => {
    expect(regionsAsWritten({ kind: 'all' })).toEqual(['all']);
    expect(regionsAsWritten({ kind: 'only', codes: ['AU', 'NZ'] })).toEqual(['AU', 'NZ']);
    const except = regionsAsWritten({ kind: 'all-except', codes: ['CA', 'US'] });
    expect(except).toEqual(['all-except-CA', 'all-except-US']);
    const parsed = parseRolloutConfig({ s: { percentage: 1, regions: except } });
    expect(parsed.ok && parsed.config.stages[0]?.regions).toEqual({
      kind: 'all-except',
      codes: ['CA', 'US'],
    });
  });
});

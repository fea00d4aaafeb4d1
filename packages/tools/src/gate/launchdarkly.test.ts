import { describe, expect, it } from 'vitest';
import { advanceRequest, turnOffRequests } from './launchdarkly.js';

const target = {
  projectKey: 'web',
  environmentKey: 'production',
  flagKey: 'design-tokens-v2',
  baseUrl: 'https://app.launchdarkly.com',
};

describe('LaunchDarkly requests', () => {
  it('kills each rolled-back family through its own boolean flag', () => {
    const planned = turnOffRequests(
      { kind: 'rollback', scope: 'families', families: ['cards', 'forms'], reasons: [] },
      target,
      'c',
    );
    expect(planned.map((p) => p.request.url)).toEqual([
      'https://app.launchdarkly.com/api/v2/flags/web/design-tokens-v2.cards',
      'https://app.launchdarkly.com/api/v2/flags/web/design-tokens-v2.forms',
    ]);
    expect(planned[0]!.request.body).toEqual({
      environmentKey: 'production',
      comment: 'c',
      instructions: [{ kind: 'turnFlagOff' }],
    });
  });

  it('advances every config form the SDK accepts, the "stages" form included, keeping its form', () => {
    const stages = {
      week1: { percentage: 5, regions: ['AU'] },
      week2: { percentage: 25, regions: ['AU', 'CA'] },
    };
    const forms: Record<string, unknown> = {
      seed: { 'design-tokens-v2': { stage: 'week1', ...stages } },
      bare: { stage: 'week1', ...stages },
      stages: { stage: 'week1', stages },
    };
    for (const [form, value] of Object.entries(forms)) {
      const flag = {
        variations: [
          { _id: 'off', value: null },
          { _id: 'on', value },
        ],
        environments: { production: { fallthrough: { variation: 1 } } },
      };
      const planned = advanceRequest(target, 'week1', null, flag, 'c');
      if ('error' in planned) throw new Error(`${form}: ${planned.error}`);
      const body = planned.request.body as { instructions: { value: unknown }[] };
      const next = body.instructions[0]!.value as Record<string, unknown>;
      const inner = (form === 'seed' ? next['design-tokens-v2'] : next) as Record<string, unknown>;
      expect(inner.stage, form).toBe('week2');
      if (form === 'stages') expect(Object.keys(inner).sort(), form).toEqual(['stage', 'stages']);
    }
  });

  it('without the flag at hand, prints the advance with a placeholder and says how to resolve it', () => {
    const planned = advanceRequest(target, 'week1', 'week2', null, 'c');
    expect('error' in planned).toBe(false);
    if (!('error' in planned)) {
      expect(JSON.stringify(planned.request.body)).toContain('<_id of the variation whose stage is week2>');
      expect(planned.warning).toMatch(/set LD_API_TOKEN/);
    }
    expect(advanceRequest(target, 'week4', null, null, 'c')).toEqual({
      error: 'week4 is the last stage: nothing to advance',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { advanceRequest, stageOfValue, stagesOfValue, turnOffRequests, withStage } from './launchdarkly.js';

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

  it('sets the stage inside the seed wrapper, or at the top of a bare config', () => {
    const seed = { 'design-tokens-v2': { week1: { percentage: 5 }, week2: { percentage: 25 } } };
    expect(withStage(seed, 'week2')).toEqual({
      'design-tokens-v2': { ...seed['design-tokens-v2'], stage: 'week2' },
    });
    expect(withStage({ week1: { percentage: 5 } }, 'week1')).toEqual({
      week1: { percentage: 5 },
      stage: 'week1',
    });
    expect(stagesOfValue(seed)).toEqual(['week1', 'week2']);
    expect(stageOfValue({ stage: 'week3' })).toBe('week3');
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

import { gateViewOf } from 'token-rollout-tools';
import { describe, expect, it } from 'vitest';
import { metric } from '../../test-support/gate-view.js';
import { sampleOf } from './samples.js';

describe('the dashboard chart samples', () => {
  it('turns each comparison into chart samples (estimate, bounds, trigger)', () => {
    const view = gateViewOf({
      stage: 'week1',
      decision: { kind: 'hold', reasons: ['more data'] },
      metrics: [
        metric({ metric: 'fcp', scale: 'relative', estimate: 0.05, interval: { lower: -0.02, upper: 0.12 } }),
      ],
    });
    const sample = sampleOf({
      gate: view,
      aggregates: {
        events: 3,
        arms: [{ arm: 'v1', users: 1, sessions: 2, events: 3 }],
        rates: [],
        metrics: [],
        fallbacks: [],
      },
    });
    expect(sample).toMatchObject({ 'sessions:v1': 2, 'fcp:estimate': 5, 'fcp:lower': -2, 'fcp:upper': 12 });
  });
});

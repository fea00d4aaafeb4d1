import type { MetricEvent } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { eventFor } from '../../../../test-support/gate/event-builder.js';
import { addToUser, newUserRecord, userMean } from './per-user.js';

const T = Date.UTC(2026, 1, 10);
const user = { id: 1, arm: 'mixed' as const, stage: 'week1', region: 'AU' };

function record(events: MetricEvent[]) {
  const first = events[0]!;
  const u = newUserRecord('treatment', first.region, first.receivedAt!, first.bucket);
  for (const e of events)
    addToUser(u, e, e.assignment === 'control' ? 'control' : 'treatment', e.receivedAt!);
  return u;
}

describe('the per-user aggregation', () => {
  it('converted = at least one conversion with value > 0: a refund or a zero is not a conversion', () => {
    expect(record([eventFor(user, 'conversion', -30, T)]).converted).toBe(false);
    expect(record([eventFor(user, 'conversion', 0, T)]).converted).toBe(false);
    const both = record([eventFor(user, 'conversion', -30, T), eventFor(user, 'conversion', 1, T + 1)]);
    expect(both).toMatchObject({ converted: true, refunds: 1 });
  });

  it('means per user; v2 page loads counted against the p75 levels (above 1.3 s, at or above 1.0 s)', () => {
    const u = record([
      eventFor(user, 'fcp', 1000, T),
      eventFor(user, 'fcp', 1300, T + 1),
      eventFor(user, 'fcp', 1301, T + 2),
      eventFor(user, 'fcp', 500, T + 3, { arm: 'v1' }),
    ]);
    expect(userMean(u, 'fcp')).toBeCloseTo((1000 + 1300 + 1301 + 500) / 4, 12);
    // The v1 page load (a fallback) is not a v2 load.
    expect([...u.fcpLoads]).toEqual([3, 1, 3]);
    expect(userMean(u, 'memory')).toBeNull();
  });

  it("takes the region of the user's earliest event, whatever order events arrive in", () => {
    const u = record([
      eventFor({ ...user, region: 'NZ' }, 'page-view', 1, T + 10),
      eventFor(user, 'page-view', 1, T),
    ]);
    expect(u.region).toBe('AU');
  });

  it('marks a user seen in both groups, and keeps opt-outs and fallbacks as evidence only', () => {
    const u = record([
      eventFor(user, 'page-view', 1, T),
      eventFor(user, 'opt-out', 1, T + 1),
      eventFor(user, 'fallback', 'budget', T + 2, { family: 'cards' }),
      eventFor({ ...user, arm: 'v1', assignment: 'control' }, 'page-view', 1, T + 3),
    ]);
    expect(u).toMatchObject({ group: 'treatment', conflicted: true, optedOut: true, fellBack: true });
  });
});

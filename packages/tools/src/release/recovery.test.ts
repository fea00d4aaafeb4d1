import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../test-support/random.js';
import type { EventStore } from '../store/types.js';
import { type RecoveryEvent, verifyRecovery } from './recovery.js';
import { plainMetricComparison } from './recovery-metric.js';
import type { RecoveryEventSource } from './watcher.js';

const FLIP = Date.parse('2025-02-11T10:00:00Z');
const MIN = 60_000;

/**
 * Simulated traffic around a rollback: 200 users, half treated (their pages on v2 before the flip, with a
 * JS error on 30 % of them: the regression). After the flip each user's open page or next visit reports
 * again after an exponential delay (mean `returnMeanMs`); a "stale" share of treated pages never gets the
 * flip (the stream blocked) and keeps rendering v2, with the regression.
 */
function traffic(options: {
  stale: number;
  returnMeanMs: number;
  seed?: number;
  family?: string;
}): RecoveryEvent[] {
  const random = mulberry32(options.seed ?? 7);
  const events: RecoveryEvent[] = [];
  for (let i = 0; i < 200; i++) {
    const user = i.toString(16).padStart(12, '0');
    const treated = i % 2 === 0;
    const stale = treated && random() < options.stale;
    const push = (t: number, arm: 'v1' | 'v2', name = 'page-view', family?: string) =>
      events.push({ name, user, arm, ts: t - 50, receivedAt: t, value: 1, ...(family ? { family } : {}) });
    const before = FLIP - (1 + random() * 30) * MIN;
    push(before, treated ? 'v2' : 'v1');
    push(before, treated ? 'v2' : 'v1', 'exposure', options.family ?? 'buttons');
    if (treated && random() < 0.3) push(before + 1000, 'v2', 'js-error');
    const back = FLIP + -Math.log(1 - random()) * options.returnMeanMs;
    const arm = stale ? 'v2' : 'v1';
    push(back, arm);
    if (options.family) push(back, arm, 'exposure', options.family);
    if (stale && random() < 0.3) push(back + 1000, 'v2', 'js-error');
  }
  return events;
}

describe('verifying a rollback from the data', () => {
  it('recovered within 5 minutes: 95 % of returning treated users on v1, the error rate back within margin', () => {
    const events = traffic({ stale: 0, returnMeanMs: 40_000 });
    const result = verifyRecovery(events, {
      rollbackAt: FLIP,
      scope: { kind: 'flag' },
      now: FLIP + 5 * MIN,
      metric: plainMetricComparison('error-rate'),
    });
    expect(result.status).toBe('recovered');
    expect(result.final).toBe(true);
    expect(result.treatedUsers).toBe(100);
    expect(result.share).toBe(1);
    expect(result.secondsToTarget).toBeGreaterThan(0);
    expect(result.secondsToTarget).toBeLessThan(300);
    expect(result.metric?.withinMargin).toBe(true);
  });

  it('is pending before enough users came back, and recovered as soon as they did', () => {
    const events = traffic({ stale: 0, returnMeanMs: 60_000 });
    const early = verifyRecovery(events, { rollbackAt: FLIP, scope: { kind: 'flag' }, now: FLIP + 500 });
    expect(early.status).toBe('pending');
    const later = verifyRecovery(events, { rollbackAt: FLIP, scope: { kind: 'flag' }, now: FLIP + 2 * MIN });
    expect(later.status).toBe('recovered');
  });

  it('not recovered when pages keep rendering v2 (a stale page, the stream blocked)', () => {
    const events = traffic({ stale: 0.2, returnMeanMs: 40_000 });
    const result = verifyRecovery(events, {
      rollbackAt: FLIP,
      scope: { kind: 'flag' },
      now: FLIP + 5 * MIN,
      metric: plainMetricComparison('error-rate'),
    });
    expect(result.status).toBe('not-recovered');
    expect(result.final).toBe(true);
    expect(result.stillV2).toBeGreaterThan(5);
    expect(result.secondsToTarget).toBeNull();
    expect(result.reasons[0]).toMatch(/still render v2/);
    expect(result.metric?.withinMargin).toBe(false);
  });

  it('not recovered when nobody came back within the window', () => {
    const events = traffic({ stale: 0, returnMeanMs: 3_600_000 });
    const result = verifyRecovery(events, { rollbackAt: FLIP, scope: { kind: 'flag' }, now: FLIP + 5 * MIN });
    expect(result.status).toBe('not-recovered');
    expect(result.reasons[0]).toMatch(/at least 10 are needed/);
  });

  it("a page's reports arriving out of order: its own clock says what it shows last", () => {
    // Ten treated pages, open across the flip. Leaving, each sends its queue in two requests (sendBeacon
    // takes 50 events at a time): the older one, with reports made on v2 before the flip, reaches the
    // collector after the newer one, with the v1 exposure made after it.
    const events: RecoveryEvent[] = [];
    for (let i = 0; i < 10; i++) {
      const user = `u${i}`;
      const session = `s${i}`;
      events.push({
        name: 'exposure',
        user,
        session,
        arm: 'v2',
        ts: FLIP - MIN,
        receivedAt: FLIP - MIN + 50,
      });
      events.push({
        name: 'exposure',
        user,
        session,
        arm: 'v1',
        ts: FLIP + 20_000,
        receivedAt: FLIP + 30_000,
      });
      events.push({ name: 'fcp', user, session, arm: 'v2', ts: FLIP - 500, receivedAt: FLIP + 30_040 });
    }
    const result = verifyRecovery(events, { rollbackAt: FLIP, scope: { kind: 'flag' }, now: FLIP + 2 * MIN });
    expect(result).toMatchObject({ status: 'recovered', seenAfter: 10, switched: 10, stillV2: 0 });
    // A later page of the same user is later whatever its clock says: a new page still on v2 counts.
    const stale = {
      name: 'page-view',
      user: 'u0',
      session: 'later',
      arm: 'v2' as const,
      ts: 0,
      receivedAt: FLIP + 60_000,
    };
    const again = verifyRecovery([...events, stale], {
      rollbackAt: FLIP,
      scope: { kind: 'flag' },
      now: FLIP + 2 * MIN,
    });
    expect(again).toMatchObject({ switched: 9, stillV2: 1 });
  });

  it("a family kill is judged on that family's exposures", () => {
    const events = traffic({ stale: 0, returnMeanMs: 30_000, family: 'checkout' });
    const family = verifyRecovery(events, {
      rollbackAt: FLIP,
      scope: { kind: 'family', family: 'checkout' },
      now: FLIP + 5 * MIN,
    });
    expect(family.status).toBe('recovered');
    const other = verifyRecovery(events, {
      rollbackAt: FLIP,
      scope: { kind: 'family', family: 'forms' },
      now: FLIP + 5 * MIN,
    });
    // Whole-page reports still say something about every family.
    expect(other.treatedUsers).toBe(100);
  });
});

describe('the event source', () => {
  it('the event store fits it (its `events(filter)` is what the watcher reads)', () => {
    const fits = (store: EventStore): RecoveryEventSource => store;
    expect(fits).toBeTypeOf('function');
  });
});

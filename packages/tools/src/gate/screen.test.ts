import { describe, expect, it } from 'vitest';
import { eventFor } from '../../../../test-support/gate/event-builder.js';
import { screenEvent } from './screen.js';

const T = Date.UTC(2026, 1, 10);
const user = { id: 1, arm: 'mixed' as const, stage: 'week1', region: 'AU' };

describe('screenEvent', () => {
  it('admits a contract event with its group and its server receive time (not the client ts)', () => {
    const e = eventFor(user, 'fcp', 900, T - 30 * 3_600_000, { receivedAt: T });
    expect(screenEvent(e, 'server')).toMatchObject({ ok: true, group: 'treatment', at: T });
  });

  it('refuses what the contract forbids, whoever calls the gate: a negative FCP, -1e9, NaN, an unknown metric', () => {
    const e = eventFor(user, 'fcp', 900, T);
    for (const bad of [
      { ...e, value: -1 },
      { ...e, value: -1e9 },
      { ...e, value: Number.NaN },
      { ...e, name: 'latency' },
    ]) {
      expect(screenEvent(bad, 'server')).toMatchObject({ ok: false, reason: 'invalid' });
    }
    expect(screenEvent('not an event', 'server')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('a refund is a valid (signed) conversion: it passes the screen and is judged later', () => {
    expect(screenEvent(eventFor(user, 'conversion', -20, T), 'server').ok).toBe(true);
  });

  it('counts an event without assignment as unusable, apart from invalid ones', () => {
    const { assignment: _a, bucket: _b, ...old } = eventFor(user, 'fcp', 900, T);
    expect(screenEvent(old, 'server')).toMatchObject({ ok: false, reason: 'no-assignment' });
    expect(screenEvent({ ...old, value: -5 }, 'server')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('uses the client ts only when told to, for events without a receive time', () => {
    const e = eventFor(user, 'fcp', 900, T, { receivedAt: null });
    expect(screenEvent(e, 'server')).toMatchObject({ ok: false, reason: 'no-server-time' });
    expect(screenEvent(e, 'client')).toMatchObject({ ok: true, at: T });
  });

  it('leaves out events recorded while no stage was active', () => {
    const e = { ...eventFor(user, 'fcp', 900, T), stage: null, assignment: 'ineligible' as const };
    expect(screenEvent(e, 'server')).toMatchObject({ ok: false, reason: 'no-stage' });
  });
});

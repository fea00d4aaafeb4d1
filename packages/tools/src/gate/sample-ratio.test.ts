// The sample ratio check in the gate: a stage whose treated users go missing (v2 pages that fail, or are
// left, before they report) holds instead of advancing, from events (evaluateGate) and from the event
// store's SQL alike; a rollback the comparisons show still stands; an intact stage says it fits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricEvent } from 'token-rollout/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthyAggregate } from '../../../../test-support/gate/aggregates.js';
import { BASELINE, V2_BASELINE } from '../../../../test-support/gate/simulate.js';
import { createTraffic, trafficScenario } from '../../../../test-support/gate/traffic.js';
import { seededRandom } from '../../../../test-support/random.js';
import { storeGateReport } from '../store/gate-report.js';
import { openStore } from '../store/open.js';
import type { StoredEvent } from '../store/types.js';
import { decideStage, evaluateGate, type GateOptions } from './evaluate.js';
import { formatReport } from './format.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 1, 17);
/** The week-2 gate over a day of data, with the plan's minimum sample lowered to this test's size. */
const OPTIONS: GateOptions = { stage: 'week2', minUsersPerArm: 500 };

/** A day and a bit of a 25 % stage; `unreported` of the treated users send nothing. */
function stageEvents(unreported: number): MetricEvent[] {
  const traffic = createTraffic(
    seededRandom(7),
    trafficScenario({
      stage: 'week2',
      percentage: 25,
      regions: [
        { code: 'AU', usersPerHour: 150, eligible: true, fcpFactor: 1 },
        { code: 'NZ', usersPerHour: 50, eligible: true, fcpFactor: 1.1 },
      ],
      v1: BASELINE,
      v2: V2_BASELINE,
      unreportedTreatedShare: unreported,
    }),
    T0,
    0,
  );
  return traffic.until(T0 + 26 * HOUR);
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gate-srm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the gate with a sample ratio mismatch', () => {
  it('an intact stage: the treated share fits its percentage, and nothing holds for it', () => {
    const report = evaluateGate(stageEvents(0), OPTIONS);
    expect(report.sampleRatio).toMatchObject({ kind: 'checked', mismatch: false });
    const ratio = report.sampleRatio.kind === 'checked' ? report.sampleRatio : null;
    expect(ratio?.expected.lower).toBeLessThan(0.25);
    expect(ratio?.expected.upper).toBeGreaterThanOrEqual(0.25);
    expect(report.decision.reasons.join(' ')).not.toContain('sample ratio');
    expect(formatReport(report)).toMatch(
      /\nsample ratio: treated share 2\d\.\d\d % \(\d+ of \d+\), percentage .*: no mismatch shown/,
    );
  });

  it('15 % of treated users unreported: holds, says so, and the store SQL says the same', async () => {
    const events = stageEvents(0.15);
    const report = evaluateGate(events, OPTIONS);
    expect(report.sampleRatio).toMatchObject({ kind: 'checked', mismatch: true });
    expect(report.decision.kind).toBe('hold');
    expect(report.decision.reasons.join('\n')).toMatch(
      /sample ratio mismatch: \d+ treated of \d+ eligible users \(2\d\.\d\d %\) where the percentage gives 2[45]\.\d\d %( to 2[45]\.\d\d %)?;.*find where users are lost before advancing/,
    );
    expect(formatReport(report)).toMatch(/\nSAMPLE RATIO MISMATCH: \d+ treated of \d+ eligible users/);
    const store = await openStore({ engine: 'duckdb', path: join(dir, 'srm.duckdb') });
    try {
      // As the collector stores them: with an id and the receive time the traffic stamped.
      await store.append(
        events.map((e, i): StoredEvent => ({ ...e, id: `srm-${i}`, receivedAt: e.receivedAt! })),
      );
      const fromStore = await storeGateReport(store, OPTIONS);
      expect(fromStore.sampleRatio).toEqual(report.sampleRatio);
      expect(fromStore.decision).toEqual(report.decision);
    } finally {
      await store.close();
    }
  });

  it('the same stage advances once the mismatch is gone; a rollback the comparisons show is not held back', () => {
    const n = 1_000_000;
    const healthy = healthyAggregate('week2', n);
    expect(decideStage(healthy).decision.kind).toBe('advance');
    const lost = { ...healthy, split: { ...healthy.split, treatment: 950_000 } };
    const held = decideStage(lost);
    expect(held.decision.kind).toBe('hold');
    expect(held.sampleRatio).toMatchObject({ kind: 'checked', mismatch: true });
    // Page loads 20 % slower on v2: past the +10 % trigger.
    const harmful = healthyAggregate('week2', n, {
      fcp: { control: { n, mean: 1200 }, treatment: { n, mean: 1440 } },
    });
    const both = decideStage({ ...harmful, split: lost.split });
    expect(both.decision.kind).toBe('rollback');
  });

  it('takes the alpha of the check from the options', () => {
    const healthy = healthyAggregate('week2', 20_000);
    const slightly = { ...healthy, split: { ...healthy.split, treatment: 19_300 } };
    const strict = decideStage(slightly);
    const loose = decideStage(slightly, { srmAlpha: 0.2 });
    // Evidence between the two thresholds: a mismatch at alpha 0.2, not at the default 0.001.
    const bf = strict.sampleRatio.kind === 'checked' ? strict.sampleRatio.bayesFactor : 0;
    expect(bf).toBeGreaterThan(5);
    expect(bf).toBeLessThan(1000);
    expect(strict.sampleRatio).toMatchObject({ mismatch: false, threshold: 1000 });
    expect(loose.sampleRatio).toMatchObject({ mismatch: true, threshold: 5 });
    expect(strict.decision.kind).toBe('advance');
    expect(loose.decision.kind).toBe('hold');
  });
});

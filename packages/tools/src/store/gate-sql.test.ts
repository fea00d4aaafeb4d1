// The gate's aggregation in SQL equals the gate's aggregation in Node (gate/aggregate.ts over
// gate/per-user.ts records) on the same events, on DuckDB and on a real ClickHouse server: the same
// StageAggregate (numbers to 1e-9, relative: the engines sum in another order) and the same report.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickHouseOrSkipNotice,
  dropTestDatabases,
  testDatabaseUrl,
} from '../../../../test-support/store/clickhouse.js';
import { differences } from '../../../../test-support/store/close.js';
import { gateEvents, inBatches, type StageSpec } from '../../../../test-support/store/gate-events.js';
import { aggregateStage } from '../gate/aggregate.js';
import { evaluateGate, type GateOptions } from '../gate/evaluate.js';
import { addAllToTally, createTally } from '../gate/tally.js';
import { gateReportOf } from './gate-report.js';
import { gateStatistics } from './gate-statistics.js';
import { openStore, type StoreSpec } from './open.js';
import type { EventStore, StoredEvent } from './types.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 1, 10);
let dir = '';
const chUp = await clickHouseOrSkipNotice();
const chDatabases: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gate-sql-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await dropTestDatabases(chDatabases);
}, 60_000);

interface Scenario {
  name: string;
  stages: StageSpec[];
  judged: string;
  /** The stages evaluate.ts offers as earlier controls, nearest first. */
  earlier: string[];
  options?: GateOptions;
}

const scenarios: Scenario[] = [
  {
    name: 'a concurrent control, with ineligible and switching users',
    stages: [{ stage: 'week2', treatment: 260, control: 300, ineligible: 15, switching: 8, t0: T0 }],
    judged: 'week2',
    earlier: ['week1'],
  },
  {
    name: 'a historical control (week 4: everyone treated)',
    stages: [
      { stage: 'week3', treatment: 120, control: 180, t0: T0 },
      { stage: 'week4', treatment: 300, control: 4, t0: T0 + 30 * 24 * HOUR },
    ],
    judged: 'week4',
    earlier: ['week3'],
  },
  {
    name: 'no control anywhere, judged by name',
    stages: [
      { stage: 'week1', treatment: 60, control: 12, t0: T0 + 40 * 24 * HOUR },
      { stage: 'canary', treatment: 40, control: 5, t0: T0 },
    ],
    judged: 'canary',
    earlier: [],
    options: { stage: 'canary' },
  },
];

const engines: { name: string; up: boolean; spec: (label: string) => StoreSpec }[] = [
  { name: 'duckdb', up: true, spec: (label) => ({ engine: 'duckdb', path: join(dir, `${label}.duckdb`) }) },
  {
    name: 'clickhouse',
    up: chUp,
    spec: (label) => {
      const url = testDatabaseUrl(`tr_gate_${label}`);
      chDatabases.push(url);
      return { engine: 'clickhouse', url };
    },
  },
];

/** Node's input: the store's export, in its order (receive time, then the store's order: see dialect.ts). */
async function exported(store: EventStore): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const event of store.events()) out.push(event);
  return out;
}

for (const engine of engines) {
  describe.skipIf(!engine.up)(`the gate in SQL equals the gate in Node: ${engine.name}`, () => {
    scenarios.forEach((scenario, index) => {
      it(scenario.name, async () => {
        const events = gateEvents(100 + index, scenario.stages);
        const store = await openStore(engine.spec(`s${index}`));
        try {
          await Promise.all(inBatches(events, 500).map((batch) => store.append(batch)));
          const sorted = await exported(store);
          expect(sorted).toHaveLength(events.length);
          const tally = addAllToTally(createTally(), sorted);
          const nodeAggregate = aggregateStage(
            tally.stages.get(scenario.judged)!,
            scenario.earlier.flatMap((s) => tally.stages.get(s) ?? []),
          );
          const stats = await gateStatistics(store, { stage: scenario.options?.stage });
          expect(stats.stage).toBe(scenario.judged);
          expect(differences(stats.aggregate, nodeAggregate)).toEqual([]);
          // What the scenario is about really happened.
          expect(nodeAggregate.control.kind).toBe(
            index === 0 ? 'concurrent' : index === 1 ? 'historical' : 'none',
          );
          expect(nodeAggregate.families.length).toBeGreaterThan(0);
          expect(nodeAggregate.metrics.fcp.cap).toBeLessThan(1_000_000);
          if (index === 0) expect(nodeAggregate.users.assignmentChanged).toBeGreaterThan(0);

          for (const options of [scenario.options ?? {}, { ...scenario.options, alpha: 0.2, p1Bugs: 1 }]) {
            const node = evaluateGate(sorted, options);
            const sqlReport = gateReportOf(stats, options);
            expect(differences(sqlReport, node)).toEqual([]);
          }
        } finally {
          await store.close();
        }
      }, 120_000);
    });

    it('says what evaluateGate says when there is nothing to judge', async () => {
      const store = await openStore(engine.spec('empty'));
      try {
        const stats = await gateStatistics(store);
        expect(stats.stage).toBeNull();
        expect(() => gateReportOf(stats)).toThrow(/no usable events in a stage/);
        expect(gateReportOf(stats, { p1Bugs: 3 }).decision.kind).toBe(
          evaluateGate([], { p1Bugs: 3 }).decision.kind,
        );
        await store.append(gateEvents(9, [{ stage: 'week1', treatment: 5, control: 5, t0: T0 }]));
        const named = await gateStatistics(store, { stage: 'week2' });
        expect(() => gateReportOf(named, { stage: 'week2' })).toThrow(
          'stage "week2" has no usable events; stages in the data: week1',
        );
      } finally {
        await store.close();
      }
    });
  });
}

// The gate's statistics come the same from the store itself and from a collector's /gate/statistics, and
// make the same report as `evaluateGate` over the collector's export.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { differences } from '../../../../test-support/store/close.js';
import { gateEvents, inBatches } from '../../../../test-support/store/gate-events.js';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { startCollectorServer } from '../collector/server.js';
import { evaluateGate } from '../gate/evaluate.js';
import { gateReportOf } from './gate-report.js';
import { statisticsFrom } from './gate-source.js';

const dirs = tempDirs('gate-source-');
afterAll(() => dirs.removeAll());

describe('statistics for `token-rollout gate`', () => {
  it('from a collector (with its token) and from the store file give one report, the one evaluateGate gives', async () => {
    const dataDir = dirs.make();
    const token = 'read-token-1';
    const server = await startCollectorServer({ dataDir, token });
    let open = true;
    const events = gateEvents(7, [{ stage: 'week1', treatment: 80, control: 90, t0: Date.UTC(2026, 1, 10) }]);
    try {
      for (const batch of inBatches(events, 200)) {
        const res = await fetch(server.collectUrl, { method: 'POST', body: JSON.stringify(batch) });
        expect(res.status).toBe(200);
      }
      // What the collector stamped (receive times) is what both sides must see: read it back.
      const exported = await (
        await fetch(`${server.url}/events/export`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
      const stored = exported
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown);
      const remote = await statisticsFrom({ kind: 'collector', url: server.url, token }, {});
      await expect(statisticsFrom({ kind: 'collector', url: server.url }, {})).rejects.toThrow(
        `GET ${server.url}/gate/statistics failed: 401`,
      );
      await server.close();
      open = false;
      const local = await statisticsFrom(
        { kind: 'store', spec: `duckdb:${join(dataDir, 'events.duckdb')}` },
        {},
      );
      expect(differences(local, remote)).toEqual([]);
      expect(differences(gateReportOf(remote, {}), evaluateGate(stored, {}))).toEqual([]);
    } finally {
      if (open) await server.close();
    }
    await expect(statisticsFrom({ kind: 'store', spec: 'mysql://x' }, {})).rejects.toThrow(
      '--store mysql://x: expected duckdb:PATH',
    );
  }, 60_000);
});

// Where `token-rollout gate` gets the gate's statistics without reading events into Node: the event store
// itself (`--store SPEC`: the SQL runs there), or a collector (`--collector URL`: GET /gate/statistics,
// which runs the same SQL on the collector's store). Either way the result is `gateReportOf`'s input.
import type { StatisticsRequest, StoreGateStatistics } from './gate-statistics.js';
import { gateStatistics } from './gate-statistics.js';
import { openStore, parseStoreSpec } from './open.js';

/** A store spec (as `--store` takes it) or a collector's base URL (with its read token). */
export type StatisticsSource =
  | { kind: 'store'; spec: string }
  | { kind: 'collector'; url: string; token?: string };

/** The gate's statistics for `request` from `source`; errors name the option or the URL at fault. */
export async function statisticsFrom(
  source: StatisticsSource,
  request: StatisticsRequest,
  fetcher: typeof fetch = fetch,
): Promise<StoreGateStatistics> {
  if (source.kind === 'store') {
    const store = await openStore(parseStoreSpec(source.spec, process.cwd()));
    try {
      return await gateStatistics(store, request);
    } finally {
      await store.close();
    }
  }
  const query = new URLSearchParams();
  if (request.stage !== undefined) query.set('stage', request.stage);
  if (request.prefer) query.set('prefer', request.prefer);
  if (request.stageOrder) query.set('order', request.stageOrder.join(','));
  const url = `${source.url.replace(/\/+$/, '')}/gate/statistics${query.size > 0 ? `?${query}` : ''}`;
  const response = await fetcher(
    url,
    source.token ? { headers: { Authorization: `Bearer ${source.token}` } } : {},
  );
  if (!response.ok) {
    const body = await response.text();
    throw new Error(`GET ${url} failed: ${response.status}${body ? ` ${body.slice(0, 300)}` : ''}`);
  }
  return (await response.json()) as StoreGateStatistics;
}

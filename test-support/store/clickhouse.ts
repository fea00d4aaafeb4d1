// The ClickHouse server the store tests use: TOKEN_ROLLOUT_CLICKHOUSE_URL, else a local server on
// 127.0.0.1:18123 (what .ci/run starts). When neither answers, the ClickHouse cases are skipped and say why.
import { createClient } from '@clickhouse/client';
import { parseClickHouseUrl } from '../../packages/tools/src/store/clickhouse.js';

export const CLICKHOUSE_URL = process.env.TOKEN_ROLLOUT_CLICKHOUSE_URL || 'http://127.0.0.1:18123';

/** Whether a ClickHouse server answers at CLICKHOUSE_URL (checked once, with a short timeout). */
export async function clickHouseAvailable(): Promise<boolean> {
  try {
    const res = await fetch(`${new URL(CLICKHOUSE_URL).origin}/ping`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** clickHouseAvailable(), saying once on the console that the ClickHouse cases are skipped when it is not. */
export async function clickHouseOrSkipNotice(): Promise<boolean> {
  const up = await clickHouseAvailable();
  if (!up) {
    console.warn(
      `ClickHouse cases skipped: no ClickHouse server answers at ${new URL(CLICKHOUSE_URL).origin} (scripts/ensure-clickhouse.sh starts one)`,
    );
  }
  return up;
}

/** A fresh database URL for one test file (dropped by the caller with dropTestDatabases). */
export function testDatabaseUrl(prefix: string): string {
  const url = new URL(CLICKHOUSE_URL);
  url.pathname = `/${prefix}_${process.pid}_${Date.now().toString(36)}`;
  return url.href;
}

/** Drops the databases of these store URLs (test databases, at the end of a file or a benchmark). */
export async function dropTestDatabases(urls: readonly string[]): Promise<void> {
  if (urls.length === 0) return;
  const client = createClient({ url: parseClickHouseUrl(urls[0]!).server });
  try {
    for (const url of urls) {
      await client.command({ query: `DROP DATABASE IF EXISTS ${parseClickHouseUrl(url).database}` });
    }
  } finally {
    await client.close();
  }
}

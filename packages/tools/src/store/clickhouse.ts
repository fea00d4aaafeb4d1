// The event store on ClickHouse, for volumes one machine's file should not hold. Written for ClickHouse
// 18.16 (Debian's package) and up: plain MergeTree tables, JSONEachRow inserts, no query parameters.
// A batch is one INSERT (a MergeTree insert of one block is atomic), acknowledged by the server before
// `append` resolves. Retries are recognised by the batch key; aggregation queries count each event id
// once, which also covers two collectors inserting the same retry at the same moment.
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { pagedEvents } from './paging.js';
import { batchKey, toRow } from './rows.js';
import { readSchema, statements } from './schema.js';
import { sqlString } from './sql.js';
import type { AppendResult, EventStore, Rows, StoredEvent } from './types.js';

export interface ClickHouseStoreOptions {
  /** `http://host:8123/db` (the database is created when missing; `default` when the path is empty). */
  url: string;
}

/** Splits a store URL into the server's URL (credentials kept) and the database name. */
export function parseClickHouseUrl(url: string): { server: string; database: string; shown: string } {
  const parsed = new URL(url.replace(/^clickhouse:/, 'http:'));
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'default';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new Error(`${url}: the database name must be letters, digits and _ (got "${database}")`);
  }
  parsed.pathname = '/';
  const server = parsed.href.replace(/\/$/, '');
  parsed.username = '';
  parsed.password = '';
  return { server, database, shown: `${parsed.href.replace(/\/$/, '')}/${database}` };
}

/** Opens a ClickHouse event store, creating its database and tables when missing. */
export async function openClickHouseStore(options: ClickHouseStoreOptions): Promise<EventStore> {
  const { server, database, shown } = parseClickHouseUrl(options.url);
  const client = createClient({
    url: server,
    request_timeout: 60_000,
    // 64-bit integers as JSON numbers (ClickHouse quotes them by default); counts stay far below 2^53.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    const ddl = (await readSchema('clickhouse')).replaceAll('{db}', database);
    for (const statement of statements(ddl)) await client.command({ query: statement });
  } catch (error) {
    await client.close();
    throw new Error(`ClickHouse at ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const table = `${database}.events`;
  const read = async (sql: string): Promise<Rows> => {
    const result = await client.query({ query: sql, format: 'JSONEachRow' });
    return ((await result.json()) as Record<string, unknown>[]).map(numbersOf);
  };
  let closed = false;

  return {
    engine: 'clickhouse',
    location: shown,
    table,
    async append(events): Promise<AppendResult> {
      if (closed) throw new Error('the event store is closed');
      if (events.length === 0) return { stored: 0, duplicate: false };
      const key = batchKey(events);
      const known = await read(
        `SELECT count() AS n FROM ${database}.batches WHERE batch = ${sqlString(key)}`,
      );
      if (Number(known[0]?.n ?? 0) > 0) return { stored: 0, duplicate: true };
      await insert(client, table, events, key);
      await client.insert({
        table: `${database}.batches`,
        values: [{ batch: key, events: events.length, received_at: Date.now() }],
        format: 'JSONEachRow',
      });
      return { stored: events.length, duplicate: false };
    },
    async count() {
      const rows = await read(`SELECT uniqExact(id) AS n FROM ${table}`);
      return Number(rows[0]?.n ?? 0);
    },
    async bytes() {
      const rows = await read(
        `SELECT sum(bytes_on_disk) AS n FROM system.parts WHERE active AND database = ${sqlString(database)}`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    events: (range) => pagedEvents(read, table, range),
    query: read,
    async close() {
      closed = true;
      await client.close();
    },
  };
}

async function insert(
  client: ClickHouseClient,
  table: string,
  events: readonly StoredEvent[],
  key: string,
): Promise<void> {
  await client.insert({ table, values: events.map((e) => toRow(e, key)), format: 'JSONEachRow' });
}

/** Rows as plain values (nested values, which the schema has none of, as JSON text). */
function numbersOf(row: Record<string, unknown>): Rows[number] {
  const out: Rows[number] = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      value === null || value === undefined
        ? null
        : typeof value === 'number' || typeof value === 'string'
          ? value
          : JSON.stringify(value);
  }
  return out;
}

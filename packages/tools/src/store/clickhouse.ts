// The event store on ClickHouse, for volumes one machine's file should not hold. Written for ClickHouse
// 18.16 (Debian's package) and up: plain MergeTree tables, JSONEachRow inserts, no query parameters.
// Appends are group-committed like DuckDB's (batches.ts): one writer per store decides which events are
// new, then one INSERT of the group's events (one block: all of it or none) and one of its batch keys,
// both acknowledged by the server before `append` resolves. A crash between the two leaves events whose
// key is missing: opening the store puts those keys back, so a retry of them is still recognised.
import { randomUUID } from 'node:crypto';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { groupWriter, knownBatches, RETRY_WINDOW_MS } from './batches.js';
import { pagedEvents } from './paging.js';
import { toRow } from './rows.js';
import { readSchema, statements } from './schema.js';
import { sqlString } from './sql.js';
import type { EventStore, Rows } from './types.js';

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

/** How far back from the latest stored key opening the store looks for events whose key is missing. */
const REPAIR_WINDOW_MS = 10 * 60_000;

/** Opens a ClickHouse event store, creating its database and tables when missing. */
export async function openClickHouseStore(options: ClickHouseStoreOptions): Promise<EventStore> {
  const { server, database, shown } = parseClickHouseUrl(options.url);
  const client = createClient({
    url: server,
    request_timeout: 120_000,
    // 64-bit integers as JSON numbers (ClickHouse quotes them by default); counts stay far below 2^53.
    clickhouse_settings: {
      output_format_json_quote_64bit_integers: 0,
      // A group's lookup lists the first event ids of its batches: larger than the 256 KiB default allows.
      max_query_size: '16777216',
      // The gate's queries over millions of events run for seconds: progress headers every 10 s keep the
      // connection busy through a proxy's idle timeout (and the client stops warning about it). 18.16
      // knows both settings; 10 s keeps the headers far under Node's 16 KiB limit for any real query.
      send_progress_in_http_headers: 1,
      http_headers_progress_interval_ms: '10000',
    },
  });
  const table = `${database}.events`;
  const read = async (sql: string, session_id?: string): Promise<Rows> => {
    const result = await client.query({ query: sql, format: 'JSONEachRow', session_id });
    return ((await result.json()) as Record<string, unknown>[]).map(plainRow);
  };
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    const ddl = (await readSchema('clickhouse')).replaceAll('{db}', database);
    for (const statement of statements(ddl)) await client.command({ query: statement });
    await repairKeys(client, database, read);
  } catch (error) {
    await client.close();
    throw new Error(`ClickHouse at ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let closed = false;

  const writes = groupWriter(
    // By first event id, or by key: a key put back after a crash (repairKeys) may name another first id.
    async (batches) =>
      knownBatches(
        await read(
          `SELECT first_id, batch, events FROM ${database}.batches WHERE received_at >= ${Date.now() - RETRY_WINDOW_MS} ` +
            `AND (first_id IN (${[...new Set(batches.map((b) => sqlString(b.firstId)))].join(', ')}) ` +
            `OR batch IN (${batches.map((b) => sqlString(b.key)).join(', ')}))`,
        ),
        batches,
      ),
    async (plan) => {
      const rows = plan.flatMap(({ pending, from, key }) =>
        pending.events.slice(from).map((event) => toRow(event, key)),
      );
      await client.insert({ table, values: rows, format: 'JSONEachRow' });
      const now = Date.now();
      await client.insert({
        table: `${database}.batches`,
        values: plan.map((p) => ({
          batch: p.key,
          first_id: p.firstId,
          events: p.pending.events.length,
          received_at: now,
        })),
        format: 'JSONEachRow',
      });
    },
  );

  return {
    engine: 'clickhouse',
    location: shown,
    table,
    append(events) {
      if (closed) return Promise.reject(new Error('the event store is closed'));
      return writes.append(events);
    },
    async count() {
      // The parts' row counts: metadata, no scan (a count(*) reads a column of every part).
      const rows = await read(
        `SELECT sum(rows) AS n FROM system.parts WHERE active AND database = ${sqlString(database)} AND table = 'events'`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    async bytes() {
      const rows = await read(
        `SELECT sum(bytes_on_disk) AS n FROM system.parts WHERE active AND database = ${sqlString(database)}`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    events: (filter) => pagedEvents((sql) => read(sql), table, filter, 'id'),
    query: (sql) => read(sql),
    async session(work) {
      // Temporary tables live in a server session; a fresh id per use, so two uses never share one.
      const id = `token-rollout-${randomUUID()}`;
      return work({
        run: async (sql) => {
          await client.command({ query: sql, session_id: id });
        },
        query: (sql) => read(sql, id),
      });
    },
    async close() {
      closed = true;
      await writes.idle();
      await client.close();
    },
  };
}

/**
 * Puts back the keys of batches whose events were inserted but whose key insert was cut off (a crash):
 * such events can only be younger than the latest key stored, so only the last minutes are read.
 */
async function repairKeys(
  client: ClickHouseClient,
  database: string,
  read: (sql: string) => Promise<Rows>,
): Promise<void> {
  const latest = Number((await read(`SELECT max(received_at) AS t FROM ${database}.batches`))[0]?.t ?? 0);
  if (!(latest > 0)) return; // no key stored yet: a new store, or a table a pipeline of the team's fills
  const since = latest - REPAIR_WINDOW_MS;
  await client.command({
    // A grown retry's row here would count only its new events: such a row is then never taken for a
    // prefix (its size is too small to match), so a retry of it is stored again, never lost.
    query: `INSERT INTO ${database}.batches SELECT batch, argMin(id, (received_at, id)), toUInt32(count()), max(received_at) FROM ${database}.events
      WHERE received_at >= ${since}
        AND batch NOT IN (SELECT batch FROM ${database}.batches WHERE received_at >= ${since - REPAIR_WINDOW_MS})
      GROUP BY batch`,
  });
}

/** Rows as plain values (nested values, which the schema has none of, as JSON text). */
function plainRow(row: Record<string, unknown>): Rows[number] {
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

// The embedded event store: one DuckDB file. Appends are group-committed: batches that arrive while a
// transaction is being written join the next one, so fifty concurrent clients cost a commit (one WAL
// sync) per group, not per batch. A batch is all in its transaction or not at all, so a batch torn by a
// crash is never half-stored, and its retry is recognised by its key in `batches`.
import { stat } from 'node:fs/promises';
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { pagedEvents } from './paging.js';
import { batchKey, COLUMNS, type Row, toRow } from './rows.js';
import { readSchema, statements } from './schema.js';
import { sqlString } from './sql.js';
import type { AppendResult, EventStore, Rows, StoredEvent } from './types.js';

export interface DuckDbStoreOptions {
  /** The database file (created when missing); ':memory:' for a throw-away store. */
  path: string;
  /** DuckDB's memory limit, e.g. '256MB' (bounds the collector's memory whatever the store's size). */
  memoryLimit?: string;
  /** DuckDB's worker threads (default 2). */
  threads?: number;
}

interface Pending {
  key: string;
  events: readonly StoredEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Opens (and creates) a DuckDB event store. */
export async function openDuckDbStore(options: DuckDbStoreOptions): Promise<EventStore> {
  const instance = await DuckDBInstance.create(options.path, {
    memory_limit: options.memoryLimit ?? '256MB',
    threads: String(options.threads ?? 2),
  });
  const connection = await instance.connect();
  for (const statement of statements(await readSchema('duckdb'))) await connection.run(statement);
  let rows = await scalar(connection, 'SELECT count(*) AS n FROM events');
  const queue: Pending[] = [];
  let writing: Promise<void> | null = null;
  let closed = false;

  const writeAll = async (): Promise<void> => {
    while (queue.length > 0) {
      const group = queue.splice(0);
      try {
        const results = await commitGroup(connection, group);
        group.forEach((p, i) => {
          rows += results[i]?.stored ?? 0;
          p.resolve(results[i] ?? { stored: 0, duplicate: true });
        });
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
    writing = null;
  };

  return {
    engine: 'duckdb',
    location: options.path,
    table: 'events',
    append(events) {
      if (closed) return Promise.reject(new Error('the event store is closed'));
      if (events.length === 0) return Promise.resolve({ stored: 0, duplicate: false });
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ key: batchKey(events), events, resolve, reject });
        writing ??= writeAll();
      });
    },
    count: async () => rows,
    async bytes() {
      if (options.path === ':memory:') return 0;
      const sizes = await Promise.all(
        [options.path, `${options.path}.wal`].map((p) =>
          stat(p).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      return sizes[0]! + sizes[1]!;
    },
    events: (range) => pagedEvents((sql) => readRows(connection, sql), 'events', range),
    query: (sql) => readRows(connection, sql),
    async close() {
      closed = true;
      await writing;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Commits every new batch of a group in one transaction; batches stored before are skipped. */
async function commitGroup(connection: DuckDBConnection, group: readonly Pending[]): Promise<AppendResult[]> {
  const keys = group.map((p) => sqlString(p.key)).join(', ');
  await connection.run('BEGIN TRANSACTION');
  try {
    const known = await connection.runAndReadAll(`SELECT batch FROM batches WHERE batch IN (${keys})`);
    const seen = new Set(known.getRowsJS().map((r) => String(r[0])));
    const events = await connection.createAppender('events');
    const batches = await connection.createAppender('batches');
    const now = BigInt(Date.now());
    const results = group.map((p): AppendResult => {
      if (seen.has(p.key)) return { stored: 0, duplicate: true };
      seen.add(p.key);
      for (const event of p.events) appendRow(events, toRow(event, p.key));
      batches.appendVarchar(p.key);
      batches.appendInteger(p.events.length);
      batches.appendBigInt(now);
      batches.endRow();
      return { stored: p.events.length, duplicate: false };
    });
    events.closeSync();
    batches.closeSync();
    await connection.run('COMMIT');
    return results;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

const INTEGER_COLUMNS = new Set<string>(['ts', 'received_at']);
const DOUBLE_COLUMNS = new Set<string>(['value_num', 'bucket']);

function appendRow(appender: DuckDBAppender, row: Row): void {
  for (const column of COLUMNS) {
    const value = row[column];
    if (value === null) appender.appendNull();
    else if (INTEGER_COLUMNS.has(column)) appender.appendBigInt(BigInt(Math.round(Number(value))));
    else if (DOUBLE_COLUMNS.has(column)) appender.appendDouble(Number(value));
    else appender.appendVarchar(String(value));
  }
  appender.endRow();
}

async function readRows(connection: DuckDBConnection, sql: string): Promise<Rows> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => {
    const out: Rows[number] = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] =
        value === null || value === undefined
          ? null
          : typeof value === 'bigint' || typeof value === 'number'
            ? Number(value)
            : String(value);
    }
    return out;
  });
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<number> {
  const rows = await readRows(connection, sql);
  return Number(rows[0]?.n ?? 0);
}

// The event store: where the collector keeps events and where the gate's aggregation runs, as SQL, on
// the engine that holds them (ARCHITECTURE.md "Event store"). Two engines implement it: DuckDB (embedded,
// the default) and ClickHouse (for scale). Node never holds the raw events of a stage.
import type { MetricEvent } from 'token-rollout/core';

/** An event as stored: its id and the server receive time are always set. */
export type StoredEvent = MetricEvent & { id: string; receivedAt: number };

/** What an append did: stored the batch, or recognised it as one stored before (a retry). */
export interface AppendResult {
  stored: number;
  duplicate: boolean;
}

/** Rows of a query, as plain objects (numbers as numbers, never bigint). */
export type Rows = Record<string, string | number | null>[];

/** The SQL dialect a query is written in: the two engines differ in a few function names. */
export type Engine = 'duckdb' | 'clickhouse';

export interface EventStore {
  readonly engine: Engine;
  /** Where the events are (a file path, or the server URL without credentials), for messages. */
  readonly location: string;
  /**
   * Appends one batch atomically and durably: it resolves once the whole batch is committed (DuckDB:
   * its transaction; ClickHouse: the acknowledged insert), and rejects having stored none of it. A batch
   * whose key was stored before resolves `{ duplicate: true }` and stores nothing.
   */
  append(events: readonly StoredEvent[]): Promise<AppendResult>;
  /** Events stored, each id counted once. */
  count(): Promise<number>;
  /** Bytes the store takes on disk (the database file, or the tables' parts). */
  bytes(): Promise<number>;
  /** Stored events, each id once, ordered by receive time (paged: memory stays flat). */
  events(range?: { since?: number; until?: number }): AsyncGenerator<StoredEvent>;
  /** Runs a read-only query in the engine's dialect; the table is `events` (see `table`). */
  query(sql: string): Promise<Rows>;
  /** The events table's qualified name in this store's SQL. */
  readonly table: string;
  /** Finishes pending appends and closes the connection. */
  close(): Promise<void>;
}

// The event store: where the collector keeps events and where the gate's aggregation runs, as SQL, on
// the engine that holds them (ARCHITECTURE.md "Event store"). Two engines implement it: DuckDB (embedded,
// the default) and ClickHouse (for scale). Node never holds the raw events of a stage.
import type { Arm, Family, MetricEvent, MetricName } from 'token-rollout/core';

/** An event as stored: its id and the server receive time are always set. */
export type StoredEvent = MetricEvent & { id: string; receivedAt: number };

/**
 * What an append did. `known` events were recognised as stored before (a retried batch, or a retry that
 * the client grew with newer events) and were not stored again; `duplicate` says the whole batch was.
 */
export interface AppendResult {
  stored: number;
  known: number;
  duplicate: boolean;
}

/** Rows of a query, as plain objects (numbers as numbers, never bigint). */
export type Rows = Record<string, string | number | null>[];

/** The SQL dialect a query is written in: the two engines differ in a few function names (dialect.ts). */
export type Engine = 'duckdb' | 'clickhouse';

/** Which stored events to read; a missing field matches everything, `stage: null` events outside a stage. */
export interface EventFilter {
  since?: number;
  until?: number;
  arm?: Arm;
  stage?: string | null;
  family?: Family;
  name?: MetricName;
}

/** A connection's worth of statements: temporary tables made in it live until the session ends. */
export interface StoreSession {
  run(sql: string): Promise<void>;
  query(sql: string): Promise<Rows>;
}

export interface EventStore {
  readonly engine: Engine;
  /** Where the events are (a file path, or the server URL without credentials), for messages. */
  readonly location: string;
  /**
   * Appends one batch atomically and durably: it resolves once the batch is committed (DuckDB: its
   * transaction; ClickHouse: the acknowledged insert), and rejects having stored none of it. Events
   * recognised as stored before (the batch, or its first events as an earlier batch) are not stored again.
   */
  append(events: readonly StoredEvent[]): Promise<AppendResult>;
  /** Events stored: cheap (no scan), so that results can be cached by it. */
  count(): Promise<number>;
  /** Bytes the store takes on disk (the database file and its WAL, or the tables' parts). */
  bytes(): Promise<number>;
  /** Stored events matching `filter`, ordered by (receive time, id), in pages: memory stays flat. */
  events(filter?: EventFilter): AsyncGenerator<StoredEvent>;
  /** Runs a read-only query in the engine's dialect; the table is `table`. */
  query(sql: string): Promise<Rows>;
  /** Runs `work` in one session (its temporary tables are dropped when it ends); one session at a time. */
  session<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  /** The events table's qualified name in this store's SQL. */
  readonly table: string;
  /** Finishes pending appends and closes the connection. */
  close(): Promise<void>;
}

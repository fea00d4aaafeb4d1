// Reads stored events in pages ordered by receive time, then by the store's order of one receive time
// (dialect.ts `tie`: DuckDB's rowid, ClickHouse's id), each page starting after the last row of the one
// before (keyset paging): memory stays flat and no page re-reads the ones before, however many rows.
import { fromRow } from './rows.js';
import { sqlNumber, sqlString } from './sql.js';
import type { EventFilter, Rows, StoredEvent } from './types.js';

const PAGE = 5_000;

/** The WHERE conditions of a filter (empty when it matches everything). */
export function filterConditions(filter: EventFilter): string[] {
  const where: string[] = [];
  if (filter.since !== undefined) where.push(`received_at >= ${sqlNumber(filter.since)}`);
  if (filter.until !== undefined) where.push(`received_at < ${sqlNumber(filter.until)}`);
  if (filter.arm !== undefined) where.push(`arm = ${sqlString(filter.arm)}`);
  if (filter.stage === null) where.push('stage IS NULL');
  else if (filter.stage !== undefined) where.push(`stage = ${sqlString(filter.stage)}`);
  if (filter.family !== undefined) where.push(`family = ${sqlString(filter.family)}`);
  if (filter.name !== undefined) where.push(`name = ${sqlString(filter.name)}`);
  return where;
}

/** Stored events of `table` matching `filter`, oldest first; `tie` orders the rows of one receive time. */
export async function* pagedEvents(
  read: (sql: string) => Promise<Rows>,
  table: string,
  filter: EventFilter = {},
  tie: 'rowid' | 'id' = 'id',
): AsyncGenerator<StoredEvent> {
  const bounds = filterConditions(filter);
  const literal = (v: string | number | null) => (tie === 'id' ? sqlString(String(v)) : sqlNumber(Number(v)));
  let after: { at: number; tie: string | number | null } | null = null;
  for (;;) {
    const where = [...bounds];
    if (after) {
      const at = sqlNumber(after.at);
      where.push(`(received_at > ${at} OR (received_at = ${at} AND ${tie} > ${literal(after.tie)}))`);
    }
    const rows = await read(
      `SELECT *, ${tie} AS tie_ FROM ${table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at, ${tie} LIMIT ${PAGE}`,
    );
    for (const row of rows) yield fromRow(row);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { at: Number(last.received_at), tie: last.tie_ ?? null };
  }
}

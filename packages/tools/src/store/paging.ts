// Reads every stored event in pages ordered by (received_at, id), each page starting after the last row
// of the one before (keyset paging): memory stays flat and each page costs the same, however many rows.
import { fromRow } from './rows.js';
import { sqlNumber, sqlString } from './sql.js';
import type { Rows, StoredEvent } from './types.js';

const PAGE = 5_000;

/** Stored events of `table` in [since, until) by receive time, oldest first. */
export async function* pagedEvents(
  read: (sql: string) => Promise<Rows>,
  table: string,
  range: { since?: number; until?: number } = {},
): AsyncGenerator<StoredEvent> {
  const bounds: string[] = [];
  if (range.since !== undefined) bounds.push(`received_at >= ${sqlNumber(range.since)}`);
  if (range.until !== undefined) bounds.push(`received_at < ${sqlNumber(range.until)}`);
  let after: { at: number; id: string } | null = null;
  for (;;) {
    const where = [...bounds];
    if (after) {
      const at = sqlNumber(after.at);
      where.push(`(received_at > ${at} OR (received_at = ${at} AND id > ${sqlString(after.id)}))`);
    }
    const rows = await read(
      `SELECT * FROM ${table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at, id LIMIT ${PAGE}`,
    );
    for (const row of rows) yield fromRow(row);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { at: Number(last.received_at), id: String(last.id) };
  }
}

// Events <-> table rows: one column per contract field (packages/tools/schema/*.sql), the value split
// into `value_num` and `value_text` so aggregations read a typed column.
import { createHash } from 'node:crypto';
import type { MetricEvent } from 'token-rollout/core';
import type { StoredEvent } from './types.js';

/** The events table's columns, in the DDL's order. */
export const COLUMNS = [
  'id',
  'batch',
  'name',
  'value_num',
  'value_text',
  'arm',
  'assignment',
  'bucket',
  'family',
  'stage',
  'config_version',
  'region',
  'user_hash',
  'session',
  'ts',
  'received_at',
  'detail',
] as const;

export type Column = (typeof COLUMNS)[number];
export type Row = Record<Column, string | number | null>;

/** The row of one event in `batch`. */
export function toRow(event: StoredEvent, batch: string): Row {
  return {
    id: event.id,
    batch,
    name: event.name,
    value_num: typeof event.value === 'number' ? event.value : null,
    value_text: typeof event.value === 'string' ? event.value : null,
    arm: event.arm,
    assignment: event.assignment ?? null,
    bucket: event.bucket ?? null,
    family: event.family ?? null,
    stage: event.stage,
    config_version: event.configVersion,
    region: event.region,
    user_hash: event.user,
    session: event.session,
    ts: event.ts,
    received_at: event.receivedAt,
    detail: event.detail ?? null,
  };
}

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** The event a row holds (the inverse of `toRow`; optional fields absent when NULL). */
export function fromRow(row: Record<string, unknown>): StoredEvent {
  const event = {
    id: String(row.id),
    name: String(row.name),
    value:
      row.value_text === null || row.value_text === undefined
        ? Number(row.value_num)
        : String(row.value_text),
    arm: String(row.arm),
    stage: str(row.stage) ?? null,
    configVersion: String(row.config_version),
    region: String(row.region),
    user: String(row.user_hash),
    session: String(row.session),
    ts: Number(row.ts),
    receivedAt: Number(row.received_at),
  } as StoredEvent;
  const optional: Partial<MetricEvent> = {
    assignment: str(row.assignment) as MetricEvent['assignment'],
    bucket: num(row.bucket),
    family: str(row.family) as MetricEvent['family'],
    detail: str(row.detail),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(event, { [key]: value });
  }
  return event;
}

/**
 * A batch's key: a hash of its event ids, in order. A client that retries a batch sends the same events
 * with the same ids, so the retry has the same key whatever the transport (sendBeacon cannot set a
 * header); a retry grown by newer events starts with the earlier batch, whose key is then that of its
 * first events (batches.ts).
 */
export function batchKey(events: readonly { id: string }[]): string {
  const hash = createHash('sha256');
  for (const event of events) hash.update(event.id).update('\n');
  return hash.digest('base64url').slice(0, 32);
}

/**
 * The id of an event that came without one (a server-side sender, an SDK before ids): a hash of its
 * content, so the same event sent twice is still counted once.
 */
export function contentId(event: MetricEvent): string {
  const { receivedAt: _server, id: _id, ...content } = event;
  return `c-${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 24)}`;
}

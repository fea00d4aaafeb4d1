// Group commit and retry recognition, shared by both engines. Batches that arrive while a group is being
// written wait for the next group, so one writer per store decides, without races, which events are new.
// Stored batches are looked up by their first event's id: a batch whose key is among them is a retry
// (nothing stored); a batch whose first k events are one of them is a retry grown by newer events, as the
// SDK sends it (src/report/beacon.ts `requeue`), and only the rest is stored.
import { batchKey } from './rows.js';
import type { AppendResult, StoredEvent } from './types.js';

/** A stored batch: its key and how many events it had. */
export interface KnownBatch {
  key: string;
  size: number;
}

/** One batch waiting for its group. */
export interface Pending {
  events: readonly StoredEvent[];
  /** The batch's key (`batchKey`). */
  key: string;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** What a group stores of one batch: its events from `from` on, under the batch's key. */
export interface Planned {
  pending: Pending;
  from: number;
  key: string;
  firstId: string;
}

/** How far back a retry is recognised: clients retry within minutes; a day bounds the lookup's reads. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;

/**
 * Decides what each batch of a group stores, given the stored batches by first event id (in order, so a
 * batch and its retry in one group are told apart too). Batches with nothing new are left out of the plan.
 */
export function planGroup(group: readonly Pending[], stored: ReadonlyMap<string, KnownBatch[]>): Planned[] {
  const known = new Map([...stored].map(([id, list]) => [id, [...list]]));
  const plan: Planned[] = [];
  for (const pending of group) {
    const n = pending.events.length;
    const firstId = pending.events[0]!.id;
    const key = pending.key;
    let from = 0;
    // Prefix keys are hashed only for stored batches that start with the same event: rare (retries).
    for (const batch of known.get(firstId) ?? []) {
      if (batch.key === key) from = n;
      else if (
        batch.size < n &&
        batch.size > from &&
        batchKey(pending.events.slice(0, batch.size)) === batch.key
      ) {
        from = batch.size;
      }
    }
    if (from < n) {
      plan.push({ pending, from, key, firstId });
      known.set(firstId, [...(known.get(firstId) ?? []), { key, size: n }]);
    }
  }
  return plan;
}

/** The answer to one batch of a group once its plan (`planned`, when it stored anything) is committed. */
export function resultOf(pending: Pending, planned: Planned | undefined): AppendResult {
  const n = pending.events.length;
  const from = planned ? planned.from : n;
  return { stored: n - from, known: from, duplicate: from === n };
}

/** A pending batch as a lookup sees it: its first event's id and its key. */
export interface BatchRef {
  firstId: string;
  key: string;
}

/**
 * A writer that commits queued batches in groups, one group at a time. `lookup` returns the stored
 * batches that share a first event id (or a key) with `batches`, filed by first event id (`knownBatches`);
 * `commit` writes a group's plan atomically (or throws, storing none of it).
 */
export function groupWriter(
  lookup: (batches: readonly BatchRef[]) => Promise<Map<string, KnownBatch[]>>,
  commit: (plan: readonly Planned[]) => Promise<void>,
): { append(events: readonly StoredEvent[]): Promise<AppendResult>; idle(): Promise<void> } {
  const queue: Pending[] = [];
  let writing: Promise<void> | null = null;
  const writeAll = async (): Promise<void> => {
    while (queue.length > 0) {
      const group = queue.splice(0);
      try {
        const known = await lookup(group.map((p) => ({ firstId: p.events[0]!.id, key: p.key })));
        const plan = planGroup(group, known);
        if (plan.length > 0) await commit(plan);
        const byPending = new Map(plan.map((p) => [p.pending, p]));
        for (const p of group) p.resolve(resultOf(p, byPending.get(p)));
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
    writing = null;
  };
  return {
    append(events) {
      if (events.length === 0) return Promise.resolve({ stored: 0, known: 0, duplicate: false });
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events, key: batchKey(events), resolve, reject });
        writing ??= writeAll();
      });
    },
    idle: async () => {
      await writing;
    },
  };
}

/**
 * Files looked-up rows (`first_id`, `batch`, `events`) by first event id; a row that has the key of one of
 * `batches` is filed under that batch's first id (a key put back after a crash may name another one).
 */
export function knownBatches(
  rows: readonly Record<string, unknown>[],
  batches: readonly BatchRef[] = [],
): Map<string, KnownBatch[]> {
  const firstIdOf = new Map(batches.map((b) => [b.key, b.firstId]));
  const out = new Map<string, KnownBatch[]>();
  for (const row of rows) {
    const id = firstIdOf.get(String(row.batch)) ?? String(row.first_id);
    out.set(id, [...(out.get(id) ?? []), { key: String(row.batch), size: Number(row.events) }]);
  }
  return out;
}

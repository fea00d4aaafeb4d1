// The audit trail on disk: `audit.jsonl` in the flag service's data directory, one JSON entry per line,
// appended and fsynced before the change is answered, never rewritten; a torn last line is kept and
// skipped (the file's rules: ../jsonl.ts).
import { openJsonLines } from '../jsonl.js';
import type { AuditDraft, AuditEntry } from './types.js';

/** The log's file name inside the data directory. */
export const AUDIT_FILE = 'audit.jsonl';

/** The open log: the entries read at start-up plus those appended since. */
export interface AuditLog {
  /** The file's path, for messages. */
  readonly file: string;
  /** Lines that were not entries (a torn last write, a hand edit), skipped when read. */
  readonly skipped: number;
  /** Every entry, oldest first. */
  entries(): readonly AuditEntry[];
  /** Numbers and appends one entry; resolves with it once it is on disk. Appends run one at a time. */
  append(draft: AuditDraft): Promise<AuditEntry>;
  /** Waits for pending appends and closes the file. */
  close(): Promise<void>;
}

function isEntry(value: unknown): value is AuditEntry {
  const v = value as Partial<AuditEntry> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.seq === 'number' &&
    typeof v.at === 'string' &&
    typeof v.action === 'string' &&
    typeof v.kind === 'string' &&
    Array.isArray(v.changes)
  );
}

/** Opens (creating when missing) the audit log in `dataDir`. */
export async function openAuditLog(dataDir: string): Promise<AuditLog> {
  const log = await openJsonLines(dataDir, AUDIT_FILE, (value) => (isEntry(value) ? value : null));
  const entries = log.records;
  let seq = entries.reduce((max, e) => Math.max(max, e.seq), 0);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    file: log.file,
    skipped: log.skipped,
    entries: () => entries,
    append(draft) {
      // Numbered in the order appends are called; a failed write takes no number.
      const run = async () => {
        const entry: AuditEntry = { seq: seq + 1, ...draft };
        await log.append(entry);
        seq = entry.seq;
        entries.push(entry);
        return entry;
      };
      const next = queue.then(run, run);
      queue = next.catch(() => {});
      return next;
    },
    close: () => log.close(),
  };
}

// The audit trail on disk: `audit.jsonl` in the flag service's data directory, one JSON entry per line,
// appended and fsynced before the change is answered, never rewritten. A crash mid-write can leave a last
// line without its newline (the change was never acknowledged): it is kept as it is, skipped when read,
// and the next entry starts on a new line, so even a torn tail is never edited.
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Parses the log's text: the entries and how many lines were skipped. */
export function parseAuditText(text: string): { entries: AuditEntry[]; skipped: number } {
  const entries: AuditEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isEntry(value)) entries.push(value);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { entries, skipped };
}

/** Opens (creating when missing) the audit log in `dataDir`. */
export async function openAuditLog(dataDir: string): Promise<AuditLog> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, AUDIT_FILE);
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { entries, skipped } = parseAuditText(text);
  let seq = entries.reduce((max, e) => Math.max(max, e.seq), 0);
  // A torn last line stays; the next entry must not be glued to it.
  let needsNewline = text !== '' && !text.endsWith('\n');
  const handle = await open(file, 'a', 0o600);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    file,
    skipped,
    entries: () => entries,
    append(draft) {
      const run = async () => {
        const entry: AuditEntry = { seq: seq + 1, ...draft };
        try {
          await handle.write(`${needsNewline ? '\n' : ''}${JSON.stringify(entry)}\n`);
          await handle.datasync();
        } catch (error) {
          // Part of the line may be on disk: the next entry starts on a fresh line.
          needsNewline = true;
          throw error;
        }
        needsNewline = false;
        seq = entry.seq;
        entries.push(entry);
        return entry;
      };
      const next = queue.then(run, run);
      queue = next.catch(() => {});
      return next;
    },
    async close() {
      await queue;
      await handle.close();
    },
  };
}

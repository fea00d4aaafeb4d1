// An append-only JSON Lines file (the bug list's `bugs.jsonl`, the audit trail's `audit.jsonl`): one record
// per line, each written and fsynced before the append resolves, so an acknowledged change survives a crash
// or restart. Nothing is ever rewritten. A crash mid-write can leave a last line without its newline (it was
// never acknowledged): it is kept as it is, skipped when read, and the next record starts on a new line.
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** An open log: the records read at start-up, and appending new ones. */
export interface JsonLines<T> {
  /** The file's path, for messages. */
  readonly file: string;
  /** Records in the file when it was opened, in order. */
  readonly records: T[];
  /** Lines that were not records (a torn last write, a hand edit, a foreign file), skipped when read. */
  readonly skipped: number;
  /** Appends one record; resolves once it is on disk. Appends run one at a time, in call order. */
  append(record: T): Promise<void>;
  /** Waits for pending appends and closes the file. */
  close(): Promise<void>;
}

/** The records of a log's text (`read` returns null for a line that is not one) and the lines skipped. */
export function parseJsonLines<T>(
  text: string,
  read: (value: unknown) => T | null,
): { records: T[]; skipped: number } {
  const records: T[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: T | null = null;
    try {
      record = read(JSON.parse(line));
    } catch {
      record = null;
    }
    if (record === null) skipped++;
    else records.push(record);
  }
  return { records, skipped };
}

/** Opens (creating when missing) the log `name` in `dataDir`; `read` recognises a record. */
export async function openJsonLines<T>(
  dataDir: string,
  name: string,
  read: (value: unknown) => T | null,
): Promise<JsonLines<T>> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, name);
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { records, skipped } = parseJsonLines(text, read);
  // A torn last line stays; the next record must not be glued to it.
  let needsNewline = text !== '' && !text.endsWith('\n');
  const handle = await open(file, 'a', 0o600);
  let queue: Promise<void> = Promise.resolve();
  return {
    file,
    records,
    skipped,
    append(record) {
      const run = async () => {
        try {
          await handle.write(`${needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`);
          await handle.datasync();
        } catch (error) {
          // Part of the line may be on disk: the next record starts on a fresh line.
          needsNewline = true;
          throw error;
        }
        needsNewline = false;
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

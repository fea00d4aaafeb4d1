// The bug list on disk: an append-only JSON Lines file (`bugs.jsonl` in the data directory), one record per
// report or withdrawal, each written and fsynced before the request is answered, so an answered change
// survives a crash or restart. Nothing is rewritten: the history of who reported and withdrew what stays.
// A crash mid-write can leave a last line without its newline: it was never acknowledged, so start-up
// cuts it off (otherwise the next record would be glued to it).
import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { asRecord, type BugRecord } from './bug.js';

/** The log's file name inside the data directory. */
export const BUG_LOG_FILE = 'bugs.jsonl';

/** The records read at start-up, and appending new ones. */
export interface BugLog {
  /** Records in the file when it was opened, in order. */
  records: BugRecord[];
  /** Lines that were not records (hand edits, a foreign file), skipped; and a torn last line cut off. */
  skipped: number;
  truncatedBytes: number;
  /** Appends one record; resolves once it is on disk. Appends run one at a time, in call order. */
  append(record: BugRecord): Promise<void>;
  close(): Promise<void>;
}

/** Opens (creating when missing) the log in `dataDir`. */
export async function openBugLog(dataDir: string): Promise<BugLog> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, BUG_LOG_FILE);
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let truncatedBytes = 0;
  if (text !== '' && !text.endsWith('\n')) {
    const keep = text.lastIndexOf('\n') + 1;
    truncatedBytes = Buffer.byteLength(text.slice(keep));
    text = text.slice(0, keep);
    await truncate(file, Buffer.byteLength(text));
  }
  const records: BugRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const record = asRecord(value);
    if (record) records.push(record);
    else skipped++;
  }
  const handle = await open(file, 'a', 0o600);
  let queue: Promise<void> = Promise.resolve();
  return {
    records,
    skipped,
    truncatedBytes,
    append(record) {
      const run = async () => {
        await handle.write(`${JSON.stringify(record)}\n`);
        await handle.datasync();
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

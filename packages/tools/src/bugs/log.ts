// The bug list on disk: an append-only JSON Lines file (`bugs.jsonl` in the data directory), one record per
// report or withdrawal, fsynced before the request is answered; nothing is rewritten, so the history of who
// reported and withdrew what stays (the file's rules: ../jsonl.ts).
import { type JsonLines, openJsonLines } from '../jsonl.js';
import { asRecord, type BugRecord } from './bug.js';

/** The log's file name inside the data directory. */
export const BUG_LOG_FILE = 'bugs.jsonl';

/** The records read at start-up, and appending new ones. */
export type BugLog = JsonLines<BugRecord>;

/** Opens (creating when missing) the log in `dataDir`. */
export function openBugLog(dataDir: string): Promise<BugLog> {
  return openJsonLines(dataDir, BUG_LOG_FILE, asRecord);
}

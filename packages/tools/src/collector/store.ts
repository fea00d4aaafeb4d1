// The durable event log: checksummed lines appended to numbered segment files in one directory.
// `append` resolves only after the bytes are written and fdatasync'd, so an acknowledged event survives
// kill -9 (and power loss, as far as the disk honours fsync). Appends that arrive while a write is in
// flight are written and synced together (group commit): one fsync per group instead of one per batch.
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { MetricEvent } from 'token-rollout/core';
import { isProcessAlive } from '../process-alive.js';
import { decodeRecord, encodeRecord } from './record.js';

export interface EventStoreOptions {
  /** Directory holding the segment files (created when missing). */
  dir: string;
  /** A new segment starts once the current one would grow past this size. Default 8 MiB. */
  segmentBytes?: number;
  /** Extra wait before each group write to gather more appends; 0 (default) writes as soon as idle. */
  fsyncIntervalMs?: number;
  /** Opens segment files for appending (fs.promises.open); tests pass one that fails to inject faults. */
  openForAppend?: (path: string) => Promise<FileHandle>;
}

/** What start-up found in the directory. */
export interface RecoveryReport {
  segments: number;
  /** Good records read back. */
  records: number;
  /** Complete lines whose checksum or content was wrong: skipped, left in place for inspection. */
  skipped: number;
  /** Bytes of torn (unterminated) tails cut off. */
  truncatedBytes: number;
  /** Where each problem was, e.g. `segment-000002.log@4096: checksum-mismatch` (first 100). */
  problems: string[];
}

export interface EventStore {
  readonly recovery: RecoveryReport;
  /** Appends events durably; resolves once they are on disk, rejects (storing none of them) on failure. */
  append(events: readonly MetricEvent[]): Promise<void>;
  /** Every acknowledged event, oldest first, read back from disk. */
  events(): AsyncGenerator<MetricEvent>;
  /**
   * Acknowledged records, segments, committed bytes, group commits (one fdatasync each) so far, and the
   * fsync failure that stopped the store, if any.
   */
  stats(): { records: number; segments: number; bytes: number; syncs: number; failure: string | null };
  /** Finishes pending appends, closes the file and releases the directory lock. */
  close(): Promise<void>;
}

interface Segment {
  name: string;
  /** Committed (synced) length: readers never look past it. */
  bytes: number;
}

interface Pending {
  data: Buffer;
  count: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const SEGMENT = /^segment-(\d{6,})\.log$/;
const LOCK = 'collector.lock';
const NEWLINE = 0x0a;
const MAX_PROBLEMS = 100;

/** The file name of segment number `n`. */
export function segmentName(n: number): string {
  return `segment-${String(n).padStart(6, '0')}.log`;
}

function syncDir(dir: string): void {
  // Makes a newly created file's directory entry durable too (Linux needs the directory fsync'd).
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Directories this process has open (the LOCK file's pid cannot tell two stores in one process apart). */
const openHere = new Set<string>();

async function takeLock(dir: string): Promise<void> {
  if (openHere.has(resolve(dir))) {
    throw new Error(
      `collector data directory ${dir} is already open in this process; close the other store first`,
    );
  }
  const path = join(dir, LOCK);
  try {
    await writeFile(path, String(process.pid), { flag: 'wx' });
    openHere.add(resolve(dir));
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(owner) && owner !== process.pid && isProcessAlive(owner)) {
    throw new Error(
      `collector data directory ${dir} is in use by process ${owner}; two writers would interleave segments`,
    );
  }
  // The previous owner died (e.g. kill -9, even while still a zombie): take the directory over.
  await writeFile(path, String(process.pid));
  openHere.add(resolve(dir));
}

async function releaseLock(dir: string): Promise<void> {
  await rm(join(dir, LOCK), { force: true });
  openHere.delete(resolve(dir));
}

/** Splits `buffer` into complete lines; returns where the unterminated rest (if any) begins. */
function forEachLine(buffer: Buffer, onLine: (start: number, end: number) => void): number {
  let start = 0;
  for (;;) {
    const end = buffer.indexOf(NEWLINE, start);
    if (end === -1) return start;
    onLine(start, end);
    start = end + 1;
  }
}

/** Reads every segment in `dir`, calling `onRecovered` per good record, and cuts off torn tails. */
async function recoverSegments(
  dir: string,
  onRecovered: (event: MetricEvent) => void,
): Promise<{ recovery: RecoveryReport; segments: Segment[] }> {
  const recovery: RecoveryReport = { segments: 0, records: 0, skipped: 0, truncatedBytes: 0, problems: [] };
  const numbers = (await readdir(dir))
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map((n) => Number.parseInt(n, 10))
    .sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (const n of numbers) {
    const name = segmentName(n);
    const buffer = await readFile(join(dir, name));
    const tail = forEachLine(buffer, (start, end) => {
      const decoded = decodeRecord(buffer.toString('utf8', start, end));
      if (decoded.ok) {
        recovery.records++;
        onRecovered(decoded.event);
      } else {
        recovery.skipped++;
        if (recovery.problems.length < MAX_PROBLEMS)
          recovery.problems.push(`${name}@${start}: ${decoded.problem}`);
      }
    });
    if (tail < buffer.length) {
      // An unterminated tail is a write that never completed, so it was never acknowledged: cut it off
      // so that the next append starts on a clean line.
      const handle = await open(join(dir, name), 'r+');
      try {
        await handle.truncate(tail);
        await handle.sync();
      } finally {
        await handle.close();
      }
      recovery.truncatedBytes += buffer.length - tail;
      if (recovery.problems.length < MAX_PROBLEMS) {
        recovery.problems.push(`${name}@${tail}: torn tail of ${buffer.length - tail} bytes truncated`);
      }
    }
    segments.push({ name, bytes: tail });
  }
  recovery.segments = segments.length;
  return { recovery, segments };
}

/**
 * Opens (or creates) the store in `options.dir`, reads every segment back, calling `onRecovered` per
 * good record, cuts off torn tails, and resumes appending to the last segment.
 */
export async function openEventStore(
  options: EventStoreOptions,
  onRecovered: (event: MetricEvent) => void = () => {},
): Promise<EventStore> {
  const { dir } = options;
  const segmentBytes = options.segmentBytes ?? 8 * 2 ** 20;
  const fsyncIntervalMs = options.fsyncIntervalMs ?? 0;
  const openForAppend = options.openForAppend ?? ((path: string) => open(path, 'a'));
  await mkdir(dir, { recursive: true });
  await takeLock(dir);

  let recovery: RecoveryReport;
  let segments: Segment[];
  let active: Segment;
  let handle: FileHandle;
  try {
    ({ recovery, segments } = await recoverSegments(dir, onRecovered));
    if (segments.length === 0) segments.push({ name: segmentName(1), bytes: 0 });
    active = segments[segments.length - 1] as Segment;
    handle = await openForAppend(join(dir, active.name));
    syncDir(dir);
  } catch (error) {
    await releaseLock(dir);
    throw error;
  }

  let records = recovery.records;
  let syncs = 0;
  let closed = false;
  let failed: Error | null = null;
  let queue: Pending[] = [];
  let draining: Promise<void> | null = null;

  async function rotate(): Promise<void> {
    await handle.close();
    const next = Number.parseInt(SEGMENT.exec(active.name)?.[1] ?? '0', 10) + 1;
    active = { name: segmentName(next), bytes: 0 };
    handle = await openForAppend(join(dir, active.name));
    syncDir(dir);
    segments.push(active);
  }

  async function writeGroup(data: Buffer): Promise<void> {
    if (active.bytes > 0 && active.bytes + data.length > segmentBytes) await rotate();
    try {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
    } catch (error) {
      // Leave no partial group behind, or the next group's first line would be glued to it.
      await handle.truncate(active.bytes).catch(() => {});
      throw error;
    }
    try {
      await handle.datasync();
    } catch (error) {
      // After a failed fsync Linux may drop the dirty pages and report the next fsync as fine, so no
      // later acknowledgement could be trusted: refuse every append until a restart re-reads the disk.
      failed = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
    syncs++;
    active.bytes += data.length;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      if (fsyncIntervalMs > 0) await new Promise((resolve) => setTimeout(resolve, fsyncIntervalMs));
      const group = queue;
      queue = [];
      try {
        await writeGroup(Buffer.concat(group.map((p) => p.data)));
        for (const p of group) {
          records += p.count;
          p.resolve();
        }
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
  }

  function kick(): void {
    if (draining !== null) return;
    draining = drain().finally(() => {
      draining = null;
      if (queue.length > 0) kick();
    });
  }

  return {
    recovery,
    append(events) {
      if (closed) return Promise.reject(new Error('the event store is closed'));
      if (failed !== null) {
        return Promise.reject(
          new Error(`the event store stopped after a failed fsync (${failed.message}); restart it`),
        );
      }
      if (events.length === 0) return Promise.resolve();
      const data = Buffer.from(events.map(encodeRecord).join(''), 'utf8');
      return new Promise<void>((resolve, reject) => {
        queue.push({ data, count: events.length, resolve, reject });
        kick();
      });
    },
    async *events() {
      // Snapshot the committed lengths: events appended during the read are not half-seen.
      const snapshot = segments.map((s) => ({ name: s.name, bytes: s.bytes }));
      for (const segment of snapshot) {
        if (segment.bytes === 0) continue;
        const file = await open(join(dir, segment.name), 'r');
        try {
          const chunk = Buffer.allocUnsafe(2 ** 20);
          let carry = Buffer.alloc(0);
          let position = 0;
          while (position < segment.bytes) {
            const { bytesRead } = await file.read(
              chunk,
              0,
              Math.min(chunk.length, segment.bytes - position),
              position,
            );
            if (bytesRead === 0) break;
            position += bytesRead;
            const buffer = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
            const found: MetricEvent[] = [];
            const rest = forEachLine(buffer, (start, end) => {
              const decoded = decodeRecord(buffer.toString('utf8', start, end));
              if (decoded.ok) found.push(decoded.event);
            });
            carry = Buffer.from(buffer.subarray(rest));
            yield* found;
          }
        } finally {
          await file.close();
        }
      }
    },
    stats() {
      return {
        records,
        segments: segments.length,
        bytes: segments.reduce((sum, s) => sum + s.bytes, 0),
        syncs,
        failure: failed === null ? null : failed.message,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      while (draining !== null) await draining;
      await handle.close();
      await releaseLock(dir);
    },
  };
}

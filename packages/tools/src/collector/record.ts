// One stored event per line: `<crc32 as 8 hex digits>\t<event JSON>\n`. The checksum lets recovery tell
// a torn or damaged line from a good one without trusting anything else in the file.
import { crc32 } from 'node:zlib';
import type { MetricEvent } from 'token-rollout/core';
import { validateStoredEvent } from './validate.js';

/** Why a stored line could not be read back. */
export type RecordProblem = 'no-checksum' | 'checksum-mismatch' | 'bad-json' | 'invalid-event';

/** A decoded line: the event, or what was wrong with it. */
export type DecodedRecord = { ok: true; event: MetricEvent } | { ok: false; problem: RecordProblem };

function checksum(json: string): string {
  return crc32(json).toString(16).padStart(8, '0');
}

/** Encodes one event as a checksummed line, newline included. */
export function encodeRecord(event: MetricEvent): string {
  // JSON.stringify escapes control characters, so the JSON never contains the line separator.
  const json = JSON.stringify(event);
  return `${checksum(json)}\t${json}\n`;
}

/**
 * Decodes one line (without its newline); re-validates the event (strictly: the collector stored it
 * normalized) so that only contract-shaped data comes out, with the `receivedAt` the collector stamped.
 */
export function decodeRecord(line: string): DecodedRecord {
  if (line.length < 10 || line[8] !== '\t') return { ok: false, problem: 'no-checksum' };
  const json = line.slice(9);
  if (line.slice(0, 8) !== checksum(json)) return { ok: false, problem: 'checksum-mismatch' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, problem: 'bad-json' };
  }
  const check = validateStoredEvent(parsed);
  return check.ok ? { ok: true, event: check.event } : { ok: false, problem: 'invalid-event' };
}

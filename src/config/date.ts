// `startsAt`: an ISO 8601 date or date-time. A bare date means midnight UTC (what Date.parse does for it).
// `startsAtMs` is shared by the full parser (parse.ts) and the browser's reader (read.ts), so both read
// the same dates.
import { type IssueSink, reject } from './path.js';

// Date.parse accepts many non-ISO forms depending on the engine, so the shape is checked first.
const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:T\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)?)?$/i;

/** `startsAt` in milliseconds since the epoch, or undefined when it is not an ISO 8601 date. */
export function startsAtMs(value: unknown): number | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  const m = ISO.exec(text);
  if (!m) return undefined;
  // A date-time without an offset would be read in the device's time zone: read it as UTC, so every
  // device switches stage at the same instant.
  const ms = Date.parse(text.length > 10 && !m[4] ? `${text}Z` : text);
  const month = Number(m[2]);
  const day = Number(m[3]);
  // V8 rolls 2026-02-30 over to March 2: check the calendar date itself.
  const real =
    month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
  return real && !Number.isNaN(ms) ? ms : undefined;
}

/** Parses `startsAt` into milliseconds since the epoch; undefined after reporting an error. */
export function parseStartsAt(value: unknown, path: string, sink: IssueSink): number | undefined {
  return (
    startsAtMs(value) ??
    reject(sink, path, 'an ISO 8601 date such as "2026-02-10" or "2026-02-10T00:00:00Z"', value)
  );
}

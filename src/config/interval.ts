// `monitorEvery`: how often the gate checks a stage. The plan says every 15 minutes, 30 minutes, hourly,
// and "standard alerting" for the last week, which is taken as daily (1440 minutes). `monitorMinutes`
// is shared by the full parser (parse.ts) and the browser's reader (read.ts).
import { type IssueSink, reject } from './path.js';

const NAMED: Readonly<Record<string, number>> = { hourly: 60, daily: 1440, standard: 1440 };
const DURATION = /^(\d+(?:\.\d+)?) *(m|min|h|d)[a-z]*$/;
const UNIT: Readonly<Record<string, number>> = { m: 1, h: 60, d: 1440 };

/** `monitorEvery` ("15m", "1h", "hourly", "standard", or minutes as a number) in minutes, or undefined. */
export function monitorMinutes(value: unknown): number | undefined {
  let minutes = typeof value === 'number' ? value : Number.NaN;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    const match = DURATION.exec(text);
    minutes = NAMED[text] ?? (match ? Number(match[1]) * (UNIT[match[2]!.charAt(0)] ?? 1) : Number.NaN);
  }
  return Number.isFinite(minutes) && minutes > 0 ? minutes : undefined;
}

/** Parses `monitorEvery` into minutes; undefined after reporting an error. */
export function parseMonitorEvery(value: unknown, path: string, sink: IssueSink): number | undefined {
  return (
    monitorMinutes(value) ??
    reject(
      sink,
      path,
      'an interval such as "15m", "1h", "hourly", "standard" or a number of minutes above 0',
      value,
    )
  );
}

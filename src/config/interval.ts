// `monitorEvery`: how often the gate checks a stage. The plan says every 15 minutes, 30 minutes, hourly,
// and "standard alerting" for the last week, which is taken as daily (1440 minutes).
import { type IssueSink, reject } from './path.js';

const NAMED: Readonly<Record<string, number>> = { hourly: 60, daily: 1440, standard: 1440 };
const DURATION = /^(\d+(?:\.\d+)?) *(m|min|h|d)[a-z]*$/;
const UNIT: Readonly<Record<string, number>> = { m: 1, h: 60, d: 1440 };

/** Parses `monitorEvery` ("15m", "1h", "hourly", "standard", or minutes as a number) into minutes. */
export function parseMonitorEvery(value: unknown, path: string, sink: IssueSink): number | undefined {
  let minutes = typeof value === 'number' ? value : Number.NaN;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    const match = DURATION.exec(text);
    minutes = NAMED[text] ?? (match ? Number(match[1]) * (UNIT[match[2]!.charAt(0)] ?? 1) : Number.NaN);
  }
  if (Number.isFinite(minutes) && minutes > 0) return minutes;
  return reject(
    sink,
    path,
    'an interval such as "15m", "1h", "hourly", "standard" or a number of minutes above 0',
    value,
  );
}

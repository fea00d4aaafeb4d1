// Reads the calendar file, again whenever it changed (mtime and size), so a release manager can add a
// freeze window without restarting the server. A calendar that cannot be read or parsed refuses every
// advance (naming the file and the JSON path at fault) and never blocks a rollback.
import { readFile, stat } from 'node:fs/promises';
import { type CalendarIssue, EMPTY_CALENDAR, parseCalendar, type ReleaseCalendar } from './calendar.js';

/** The calendar file's name beside the flag definitions. */
export const CALENDAR_FILE = 'release.json';

/** What the file holds now. */
export interface CalendarState {
  /** The file read, or null when there is none. */
  file: string | null;
  calendar: ReleaseCalendar;
  /** Set when the file is broken: advances are refused until it is fixed. */
  error: string | null;
}

/** A calendar read on demand. */
export interface CalendarSource {
  current(): Promise<CalendarState>;
}

function describe(file: string, issues: readonly CalendarIssue[]): string {
  return issues.map((i) => `${file}: ${i.path}: ${i.message}`).join('; ');
}

/**
 * The calendar at `file`. A missing file is an empty calendar unless `required` (given with --calendar),
 * in which case it is an error: a typo in the option must not silently lift a freeze.
 */
export function calendarSource(file: string | null, required: boolean): CalendarSource {
  let key = '';
  let cached: CalendarState = { file: null, calendar: EMPTY_CALENDAR, error: null };
  return {
    async current() {
      if (file === null) return cached;
      let info: { mtimeMs: number; size: number };
      try {
        info = await stat(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && !required) return { file: null, calendar: EMPTY_CALENDAR, error: null };
        return {
          file,
          calendar: EMPTY_CALENDAR,
          error: `${file}: cannot read the calendar (${code ?? 'error'})`,
        };
      }
      const next = `${info.mtimeMs}:${info.size}`;
      if (next === key) return cached;
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        cached = {
          file,
          calendar: EMPTY_CALENDAR,
          error: `${file}: $: not valid JSON (${(error as Error).message})`,
        };
        key = next;
        return cached;
      }
      const parsed = parseCalendar(json);
      cached = parsed.ok
        ? { file, calendar: parsed.calendar, error: null }
        : { file, calendar: EMPTY_CALENDAR, error: describe(file, parsed.issues) };
      key = next;
      return cached;
    },
  };
}

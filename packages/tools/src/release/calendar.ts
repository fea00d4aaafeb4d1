// The release calendar (`release.json` beside the flag definitions, or `--calendar FILE`): freeze windows
// during which no stage may advance (a holiday freeze, a marketing campaign), and which stages need an
// approval before they are entered. Parsing is pure; every error names the file's JSON path.
//
//   {
//     "freezes": [{ "name": "Holiday freeze", "from": "2025-12-19T17:00:00Z", "until": "2026-01-05",
//                   "reason": "no production changes over the holidays" }],
//     "approvals": { "stages": ["week3", "week4"], "approvers": ["dana", "lee"] }
//   }
//
// `from` is inclusive and `until` exclusive; a date without a time is midnight UTC.

/** One freeze window. */
export interface FreezeWindow {
  name: string;
  /** ms since epoch, inclusive. */
  from: number;
  /** ms since epoch, exclusive. */
  until: number;
  reason: string;
}

/** Which advances need an approval, and who may give one. */
export interface ApprovalRule {
  /** Stages that need an approval before they are entered or widened; `all` for every stage. */
  stages: readonly string[] | 'all';
  /** Names allowed to approve; empty: anyone with admin access. */
  approvers: readonly string[];
}

/** A parsed calendar. */
export interface ReleaseCalendar {
  freezes: readonly FreezeWindow[];
  approvals: ApprovalRule;
}

/** A problem in the calendar file, at a JSON path. */
export interface CalendarIssue {
  path: string;
  message: string;
}

/** The calendar with nothing in it: no freezes, no approvals needed. */
export const EMPTY_CALENDAR: ReleaseCalendar = { freezes: [], approvals: { stages: [], approvers: [] } };

// A zone is required: "2025-02-26T09:00" alone would be read in the server's local time.
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function parseDate(value: unknown, path: string, issues: CalendarIssue[]): number | null {
  if (typeof value !== 'string' || !(DATE_ONLY.test(value) || DATE_TIME.test(value))) {
    issues.push({
      path,
      message: `expected an ISO 8601 date ("2025-12-24") or time with a zone ("2025-12-24T17:00:00Z"), got ${JSON.stringify(value)}`,
    });
    return null;
  }
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) {
    issues.push({ path, message: `${JSON.stringify(value)} is not a real date` });
    return null;
  }
  return ms;
}

function stringList(value: unknown, path: string, issues: CalendarIssue[]): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
    issues.push({ path, message: 'expected an array of non-empty strings' });
    return [];
  }
  return value.map((v: string) => v.trim());
}

function parseFreeze(value: unknown, path: string, issues: CalendarIssue[]): FreezeWindow | null {
  const w = record(value);
  if (!w) {
    issues.push({ path, message: 'a freeze window is an object {name, from, until, reason}' });
    return null;
  }
  const known = ['name', 'from', 'until', 'reason'];
  for (const key of Object.keys(w)) {
    if (!known.includes(key))
      issues.push({ path: `${path}.${key}`, message: `unknown field (allowed: ${known.join(', ')})` });
  }
  const count = issues.length;
  if (typeof w.name !== 'string' || w.name.trim() === '') {
    issues.push({ path: `${path}.name`, message: 'expected a non-empty name, e.g. "Holiday freeze"' });
  }
  if (typeof w.reason !== 'string' || w.reason.trim() === '') {
    issues.push({
      path: `${path}.reason`,
      message: 'expected a non-empty reason (shown to whoever is refused)',
    });
  }
  const from = parseDate(w.from, `${path}.from`, issues);
  const until = parseDate(w.until, `${path}.until`, issues);
  if (from !== null && until !== null && until <= from) {
    issues.push({ path: `${path}.until`, message: `must be after "from" (${new Date(from).toISOString()})` });
  }
  if (issues.length > count || from === null || until === null) return null;
  return { name: String(w.name).trim(), from, until, reason: String(w.reason).trim() };
}

function parseApprovals(value: unknown, issues: CalendarIssue[]): ApprovalRule {
  if (value === undefined) return EMPTY_CALENDAR.approvals;
  const a = record(value);
  if (!a) {
    issues.push({ path: '$.approvals', message: 'expected {"stages": [...] or "all", "approvers": [...]}' });
    return EMPTY_CALENDAR.approvals;
  }
  for (const key of Object.keys(a)) {
    if (key !== 'stages' && key !== 'approvers') {
      issues.push({ path: `$.approvals.${key}`, message: 'unknown field (allowed: stages, approvers)' });
    }
  }
  const stages = a.stages === 'all' ? 'all' : stringList(a.stages ?? [], '$.approvals.stages', issues);
  const approvers = stringList(a.approvers ?? [], '$.approvals.approvers', issues);
  return { stages, approvers };
}

/** Parses a calendar's JSON; pure. Every problem is listed with its JSON path. */
export function parseCalendar(
  json: unknown,
): { ok: true; calendar: ReleaseCalendar } | { ok: false; issues: CalendarIssue[] } {
  const root = record(json);
  if (!root) return { ok: false, issues: [{ path: '$', message: 'the calendar must be a JSON object' }] };
  const issues: CalendarIssue[] = [];
  for (const key of Object.keys(root)) {
    if (key !== 'freezes' && key !== 'approvals' && key !== '$comment') {
      issues.push({ path: `$.${key}`, message: 'unknown field (allowed: freezes, approvals)' });
    }
  }
  const freezes: FreezeWindow[] = [];
  if (root.freezes !== undefined) {
    if (!Array.isArray(root.freezes))
      issues.push({ path: '$.freezes', message: 'expected an array of windows' });
    else {
      root.freezes.forEach((value: unknown, i) => {
        const window = parseFreeze(value, `$.freezes[${i}]`, issues);
        if (window) freezes.push(window);
      });
    }
  }
  const approvals = parseApprovals(root.approvals, issues);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, calendar: { freezes: [...freezes].sort((a, b) => a.from - b.from), approvals } };
}

/** The freeze in force at `now`, and when advancing is possible again (overlapping windows chained). */
export function freezeAt(
  calendar: ReleaseCalendar,
  now: number,
): { window: FreezeWindow; until: number; windows: FreezeWindow[] } | null {
  const active = calendar.freezes.filter((w) => w.from <= now && now < w.until);
  if (active.length === 0) return null;
  const windows = [...active];
  let until = Math.max(...active.map((w) => w.until));
  // A window that starts before (or when) the current one ends extends the freeze without a gap.
  for (let grew = true; grew; ) {
    grew = false;
    for (const w of calendar.freezes) {
      if (!windows.includes(w) && w.from <= until && w.until > until) {
        windows.push(w);
        until = w.until;
        grew = true;
      }
    }
  }
  return { window: active[0]!, until, windows };
}

/** Windows that have not ended at `now`, soonest first. */
export function upcomingFreezes(calendar: ReleaseCalendar, now: number): FreezeWindow[] {
  return calendar.freezes.filter((w) => w.until > now);
}

/** True when entering or widening `stage` needs an approval. */
export function needsApproval(calendar: ReleaseCalendar, stage: string): boolean {
  const stages = calendar.approvals.stages;
  return stages === 'all' || stages.includes(stage);
}

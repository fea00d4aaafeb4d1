// A bug report as the gate reads it: the plan's "3+ P1 bugs reported" trigger counts these, so they are
// data with a time (not a number typed on a command line), and a report made in error can be withdrawn.
// Pure: checking a request body and folding the append-only log into the current list.

/** How bad: only P1s count for the gate's hard stop. */
export type Severity = 'P1' | 'P2' | 'P3';

/** One bug as listed: reported at `reportedAt`, received by the server at `receivedAt`. */
export interface Bug {
  id: string;
  severity: Severity;
  title: string;
  link: string | null;
  /** When it was reported: the request's `time`, else the receive time (never later than that). */
  reportedAt: number;
  receivedAt: number;
  /** When it was withdrawn, or null while it stands. */
  withdrawnAt: number | null;
}

/** One line of the log: a report (new, or re-opening a withdrawn id) or a withdrawal. */
export type BugRecord =
  | {
      op: 'report';
      id: string;
      severity: Severity;
      title: string;
      link: string | null;
      reportedAt: number;
      receivedAt: number;
    }
  | { op: 'withdraw'; id: string; receivedAt: number };

/** A request body the service refuses: the message and the JSON path at fault. */
export interface BugProblem {
  error: string;
  path: string;
}

/** Ids go into URLs (`DELETE /bugs/<id>`): tracker keys such as `WEB-123` or `gh#42`. */
export const BUG_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:#-]{0,127}$/;
const MAX_TITLE = 500;
const MAX_LINK = 2000;
/** A `time` this far after the server's clock is the reporter's clock running fast, not a report. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const FIELDS = ['id', 'severity', 'title', 'link', 'time'];

type Report = Extract<BugRecord, { op: 'report' }>;

/** Checks a `POST /bugs` body; the report is stamped with the server's `receivedAt`. */
export function parseBugReport(
  body: unknown,
  receivedAt: number,
): { ok: true; report: Report } | { ok: false; problem: BugProblem } {
  const fail = (error: string, path: string) => ({ ok: false as const, problem: { error, path } });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('the body must be a JSON object {id, severity, title, link?, time?}', '$');
  }
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => !FIELDS.includes(k));
  if (unknown) return fail(`unknown field (allowed: ${FIELDS.join(', ')})`, `$.${unknown}`);
  if (typeof b.id !== 'string' || !BUG_ID_PATTERN.test(b.id)) {
    return fail('"id" must be 1-128 letters, digits or . _ : # - (a tracker key such as WEB-123)', '$.id');
  }
  if (b.severity !== 'P1' && b.severity !== 'P2' && b.severity !== 'P3') {
    return fail('"severity" must be "P1", "P2" or "P3"', '$.severity');
  }
  if (typeof b.title !== 'string' || b.title.trim() === '' || b.title.length > MAX_TITLE) {
    return fail(`"title" must be a non-empty string of at most ${MAX_TITLE} characters`, '$.title');
  }
  let link: string | null = null;
  if (b.link !== undefined && b.link !== null) {
    if (typeof b.link !== 'string' || b.link.length > MAX_LINK || !/^https?:\/\/\S+$/.test(b.link)) {
      return fail('"link" must be an http(s) URL', '$.link');
    }
    link = b.link;
  }
  let reportedAt = receivedAt;
  if (b.time !== undefined && b.time !== null) {
    const t =
      typeof b.time === 'number' ? b.time : typeof b.time === 'string' ? Date.parse(b.time) : Number.NaN;
    if (!Number.isFinite(t) || t <= 0) {
      return fail('"time" must be an ISO 8601 date (2026-02-11T09:30:00Z) or ms since epoch', '$.time');
    }
    if (t > receivedAt + FUTURE_TOLERANCE_MS) {
      return fail(
        `"time" is ${Math.round((t - receivedAt) / 60_000)} min after the server's clock`,
        '$.time',
      );
    }
    reportedAt = Math.min(t, receivedAt);
  }
  return {
    ok: true,
    report: {
      op: 'report',
      id: b.id,
      severity: b.severity,
      title: b.title.trim(),
      link,
      reportedAt,
      receivedAt,
    },
  };
}

/** True when two reports say the same (a client's retry), whatever their receive times. */
export function sameReport(
  a: Pick<Bug, 'severity' | 'title' | 'link'>,
  b: Pick<Bug, 'severity' | 'title' | 'link'>,
): boolean {
  return a.severity === b.severity && a.title === b.title && a.link === b.link;
}

/** Applies one log record to the list (in place): a report adds or re-opens, a withdrawal closes. */
export function applyRecord(bugs: Map<string, Bug>, record: BugRecord): void {
  if (record.op === 'report') {
    const { op: _op, ...bug } = record;
    bugs.set(record.id, { ...bug, withdrawnAt: null });
    return;
  }
  const bug = bugs.get(record.id);
  if (bug && bug.withdrawnAt === null) bugs.set(record.id, { ...bug, withdrawnAt: record.receivedAt });
}

/** Checks one parsed log line; null when it is not a record (a hand-edited or foreign line). */
export function asRecord(value: unknown): BugRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.receivedAt !== 'number') return null;
  if (v.op === 'withdraw') return { op: 'withdraw', id: v.id, receivedAt: v.receivedAt };
  if (
    v.op === 'report' &&
    (v.severity === 'P1' || v.severity === 'P2' || v.severity === 'P3') &&
    typeof v.title === 'string' &&
    (v.link === null || typeof v.link === 'string') &&
    typeof v.reportedAt === 'number'
  ) {
    return {
      op: 'report',
      id: v.id,
      severity: v.severity,
      title: v.title,
      link: v.link as string | null,
      reportedAt: v.reportedAt,
      receivedAt: v.receivedAt,
    };
  }
  return null;
}

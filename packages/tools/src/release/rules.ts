// The release rules an advance must pass, in order: a readable calendar, no freeze window in force, and an
// approval for every stage that needs one. Rollbacks are never checked: they go through at any time. Pure:
// the calendar, the audit entries and the clock come in as values.
import type { AuditEntry } from '../audit/types.js';
import { type FreezeWindow, freezeAt, needsApproval, type ReleaseCalendar } from './calendar.js';

/** Why an advance was refused; the admin API answers 409 with this object. */
export type AdvanceRefusal =
  | { rule: 'calendar'; error: string; path: string }
  | {
      rule: 'freeze';
      error: string;
      path: string;
      freeze: { name: string; from: string; until: string; reason: string };
      /** When advancing is possible again (the end of the chain of overlapping windows). */
      until: string;
    }
  | { rule: 'approval'; error: string; path: string; approvalRequired: { stages: string[] } };

const iso = (ms: number) => new Date(ms).toISOString();

/** The approvals of `stage` that still count: given after the last rollback (an incident voids them). */
export function validApprovals(entries: readonly AuditEntry[], stage: string): AuditEntry[] {
  let lastRollback = 0;
  for (const e of entries) if (e.kind === 'rollback') lastRollback = Math.max(lastRollback, e.seq);
  return entries.filter((e) => e.action === 'approve' && e.target === stage && e.seq > lastRollback);
}

function freezeWindowJson(w: FreezeWindow) {
  return { name: w.name, from: iso(w.from), until: iso(w.until), reason: w.reason };
}

/** Null when an advance into or within `stages` may go ahead at `now`; else the refusal in words. */
export function checkAdvance(input: {
  calendar: ReleaseCalendar;
  calendarError: string | null;
  entries: readonly AuditEntry[];
  stages: readonly string[];
  now: number;
}): AdvanceRefusal | null {
  if (input.calendarError !== null) {
    return {
      rule: 'calendar',
      error: `advances are refused while the release calendar is broken (rollbacks still go through): ${input.calendarError}`,
      path: '$',
    };
  }
  const freeze = freezeAt(input.calendar, input.now);
  if (freeze) {
    const w = freeze.window;
    const until = iso(freeze.until);
    return {
      rule: 'freeze',
      error: `no advance during "${w.name}" (${iso(w.from)} until ${iso(w.until)}: ${w.reason}); advancing is possible again from ${until}. Rollbacks (flag off, kill a family, a lower stage or percentage) still go through.`,
      path: '$',
      freeze: freezeWindowJson(w),
      until,
    };
  }
  const missing = input.stages.filter(
    (s) => needsApproval(input.calendar, s) && validApprovals(input.entries, s).length === 0,
  );
  if (missing.length > 0) {
    const list = missing.join(', ');
    return {
      rule: 'approval',
      error: `advancing ${list} needs an approval first: token-rollout approve --stage ${missing[0]} --by NAME (or the dashboard's Approve button); approvals given before the last rollback no longer count`,
      path: '$',
      approvalRequired: { stages: missing },
    };
  }
  return null;
}

/** Checks an approval request `{stage, by}` against the stages and the calendar's approvers. */
export function checkApproval(
  body: { stage: unknown; by: string | null },
  stages: readonly string[],
  calendar: ReleaseCalendar,
): { ok: true; stage: string; by: string } | { ok: false; error: string; path: string } {
  if (typeof body.stage !== 'string' || !stages.includes(body.stage)) {
    return {
      ok: false,
      error: `"stage" must be one of ${stages.map((s) => `"${s}"`).join(', ')}`,
      path: '$.stage',
    };
  }
  if (body.by === null) return { ok: false, error: '"by" must name who approves', path: '$.by' };
  const approvers = calendar.approvals.approvers;
  if (approvers.length > 0 && !approvers.includes(body.by)) {
    return {
      ok: false,
      error: `"${body.by}" is not an approver in the release calendar (approvers: ${approvers.join(', ')})`,
      path: '$.by',
    };
  }
  return { ok: true, stage: body.stage, by: body.by };
}

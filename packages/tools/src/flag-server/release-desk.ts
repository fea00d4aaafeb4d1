// The flag service's release side: the audit trail (audit/log.ts), the release calendar and approvals
// (release/), and the recovery watcher. The service asks it whether an advance may go ahead and hands it
// every applied change to record; its routes are in release-routes.ts.
import { join } from 'node:path';
import { FLAG_KEY } from 'token-rollout/core';
import { type AuditLog, openAuditLog } from '../audit/log.js';
import type { AuditDraft, AuditEntry } from '../audit/types.js';
import { freezeAt, needsApproval, upcomingFreezes } from '../release/calendar.js';
import { CALENDAR_FILE, type CalendarSource, calendarSource } from '../release/calendar-file.js';
import type { MetricComparison } from '../release/recovery.js';
import { type AdvanceRefusal, checkAdvance, validApprovals } from '../release/rules.js';
import {
  createRecoveryWatcher,
  type RecoveryEventSource,
  type RecoverySettings,
  type RecoveryWatcher,
  unverifiedRollbacks,
} from '../release/watcher.js';
import { flagState } from './admin.js';
import { outOfBandDrafts } from './audit-draft.js';
import type { FlagDefinition } from './definitions.js';

/** Options of `openReleaseDesk`. */
export interface ReleaseDeskOptions {
  dataDir: string;
  flagsDir: string;
  /** An explicit calendar file (must exist); default `release.json` beside the flags, when present. */
  calendarFile?: string;
  events?: RecoveryEventSource;
  recovery?: RecoverySettings;
  /** The gate's comparison of the triggering metric after a rollback (default: release/recovery-metric.ts). */
  recoveryMetric?: (rollback: AuditEntry) => MetricComparison | undefined;
  now: () => number;
  log: (line: string) => void;
}

/** What `GET /admin/release` answers: the calendar, the freeze in force, approvals, and the next stage. */
export interface ReleaseState {
  calendar: {
    file: string | null;
    error: string | null;
    freezes: { name: string; from: string; until: string; reason: string; active: boolean }[];
    approvals: { stages: readonly string[] | 'all'; approvers: readonly string[] };
  };
  freeze: { name: string; from: string; until: string; reason: string; advanceFrom: string } | null;
  approvals: { stage: string; by: string | null; at: string; seq: number; reason: string | null }[];
  next: { stage: string | null; needsApproval: boolean; approved: boolean; refusal: AdvanceRefusal | null };
}

/** The desk the flag service uses. */
export interface ReleaseDesk {
  readonly audit: AuditLog;
  readonly calendar: CalendarSource;
  readonly watcher: RecoveryWatcher;
  /** Null when advancing `stages` may go ahead now; else why not. */
  checkAdvance(stages: readonly string[]): Promise<AdvanceRefusal | null>;
  /** Appends an entry; a rollback is then watched for recovery. */
  record(draft: AuditDraft): Promise<AuditEntry>;
  state(flags: readonly FlagDefinition[]): Promise<ReleaseState>;
  close(): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Opens the audit log, records flags changed outside the admin API, and resumes unfinished recovery checks. */
export async function openReleaseDesk(
  options: ReleaseDeskOptions,
  flags: readonly FlagDefinition[],
): Promise<ReleaseDesk> {
  const audit = await openAuditLog(options.dataDir);
  if (audit.skipped > 0) options.log(`audit: skipped ${audit.skipped} unreadable lines in ${audit.file}`);
  const calendar = calendarSource(
    options.calendarFile ?? join(options.flagsDir, CALENDAR_FILE),
    options.calendarFile !== undefined,
  );
  const first = await calendar.current();
  if (first.error) options.log(`warning: ${first.error} (advances are refused until it is fixed)`);
  const watcher = createRecoveryWatcher({
    source: options.events ?? null,
    append: (draft) => audit.append(draft),
    now: options.now,
    settings: options.recovery,
    ...(options.recoveryMetric ? { metricFor: options.recoveryMetric } : {}),
    log: options.log,
  });
  const record = async (draft: AuditDraft) => {
    const entry = await audit.append(draft);
    if (entry.kind === 'rollback') watcher.watch(entry);
    return entry;
  };
  const lastAudited = new Map<string, number>();
  for (const e of audit.entries()) for (const f of e.flags) lastAudited.set(f.key, f.to);
  for (const draft of outOfBandDrafts(lastAudited, flags, options.now())) {
    options.log(`audit: ${draft.changes[0]}`);
    await audit.append(draft);
  }
  for (const entry of unverifiedRollbacks(audit.entries(), options.now())) watcher.watch(entry);

  return {
    audit,
    calendar,
    watcher,
    async checkAdvance(stages) {
      const c = await calendar.current();
      return checkAdvance({
        calendar: c.calendar,
        calendarError: c.error,
        entries: audit.entries(),
        stages,
        now: options.now(),
      });
    },
    record,
    async state(served) {
      const c = await calendar.current();
      const now = options.now();
      const freeze = freezeAt(c.calendar, now);
      const flag = flagState(served, now, FLAG_KEY);
      const order = flag.stages.map((s) => s.name);
      const at = flag.activeStage === null ? -1 : order.indexOf(flag.activeStage);
      const next = order[at + 1] ?? null;
      const approvals = order.flatMap((stage) =>
        validApprovals(audit.entries(), stage).map((e) => ({
          stage,
          by: e.by,
          at: e.at,
          seq: e.seq,
          reason: e.reason,
        })),
      );
      return {
        calendar: {
          file: c.file,
          error: c.error,
          freezes: upcomingFreezes(c.calendar, now).map((w) => ({
            name: w.name,
            from: iso(w.from),
            until: iso(w.until),
            reason: w.reason,
            active: w.from <= now,
          })),
          approvals: c.calendar.approvals,
        },
        freeze: freeze
          ? {
              name: freeze.window.name,
              from: iso(freeze.window.from),
              until: iso(freeze.window.until),
              reason: freeze.window.reason,
              advanceFrom: iso(freeze.until),
            }
          : null,
        approvals,
        next: {
          stage: next,
          needsApproval: next !== null && needsApproval(c.calendar, next),
          approved: next !== null && approvals.some((a) => a.stage === next),
          refusal:
            next === null
              ? null
              : checkAdvance({
                  calendar: c.calendar,
                  calendarError: c.error,
                  entries: audit.entries(),
                  stages: [next],
                  now,
                }),
        },
      };
    },
    async close() {
      await watcher.close();
      await audit.close();
    },
  };
}

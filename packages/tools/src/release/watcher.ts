// Watches each rollback until its recovery is shown or its window ends, then appends the verdict to the
// audit trail (once per rollback). Reads events through a source with the event store's `events(range)`
// shape (packages/tools/src/store/types.ts; the collector's `events()` fits too). Rollbacks found in the
// log without a verdict (the server was restarted meanwhile) are watched again at start-up.
import type { AuditDraft, AuditEntry, RollbackScope } from '../audit/types.js';
import {
  type MetricComparison,
  RECOVERY_DEFAULTS,
  type RecoveryEvent,
  type RecoveryResult,
  type RecoveryScope,
  verifyRecovery,
} from './recovery.js';
import { isPageMetric, plainMetricComparison } from './recovery-metric.js';

/** Where events come from: `EventStore.events` or the collector's `events`. */
export interface RecoveryEventSource {
  events(range?: { since?: number; until?: number }): AsyncIterable<RecoveryEvent>;
}

/** Settings of the check (each has a default: RECOVERY_DEFAULTS, and a 10 s poll). */
export interface RecoverySettings {
  windowMs?: number;
  minUsers?: number;
  pollMs?: number;
  share?: number;
}

/** One rollback's check: a result per scope (the flag, or each killed family) and the overall status. */
export interface RecoveryCheck {
  rollbackSeq: number;
  status: RecoveryResult['status'];
  results: RecoveryResult[];
}

/** The watcher the flag service runs. */
export interface RecoveryWatcher {
  /** Starts watching a rollback entry (others are ignored). */
  watch(entry: AuditEntry): void;
  /** Checks a rollback now, with optional overrides (the dashboard's and tests' on-demand view). */
  check(entry: AuditEntry, overrides?: RecoverySettings): Promise<RecoveryCheck | null>;
  close(): Promise<void>;
}

/** The scopes a rollback entry can be verified for (none for a partial rollback). */
export function scopesOf(scope: RollbackScope | null): RecoveryScope[] {
  if (scope?.kind === 'flag') return [{ kind: 'flag' }];
  if (scope?.kind === 'families') return scope.families.map((family) => ({ kind: 'family', family }));
  return [];
}

/** The metric that triggered the rollback (the gate's evidence `triggers`), compared the plain way. */
export function triggeringMetric(entry: AuditEntry): MetricComparison | undefined {
  const triggers = (entry.evidence as { triggers?: unknown } | null)?.triggers;
  const first = Array.isArray(triggers)
    ? triggers.find((t): t is string => typeof t === 'string')
    : undefined;
  return first !== undefined && isPageMetric(first) ? plainMetricComparison(first) : undefined;
}

/** Overall status: recovered when every scope is, pending while any is, else not recovered. */
function overall(results: readonly RecoveryResult[]): RecoveryResult['status'] {
  if (results.every((r) => r.status === 'recovered')) return 'recovered';
  return results.some((r) => r.status === 'pending') ? 'pending' : 'not-recovered';
}

/** The audit entry that records a final verdict. */
export function verdictEntry(rollback: AuditEntry, check: RecoveryCheck, now: number): AuditDraft {
  const first = check.results[0];
  const words = check.status === 'recovered' ? 'recovered' : 'not recovered';
  const detail = check.results.map((r) => r.reasons.join('; ')).join(' | ');
  const speed =
    first?.secondsToTarget != null
      ? `, ${Math.round(first.targetShare * 100)} % switched after ${first.secondsToTarget} s`
      : '';
  return {
    at: new Date(now).toISOString(),
    actor: 'server',
    by: null,
    source: 'server',
    kind: 'verification',
    action: 'verify-recovery',
    target: rollback.target,
    changes: [`rollback #${rollback.seq}: ${words}${speed}`],
    before: null,
    after: null,
    flags: [],
    scope: rollback.scope,
    reason: `${words}: ${detail}`,
    evidence: check,
  };
}

/** Creates the watcher; `append` writes to the audit trail, `now` is the server clock. */
export function createRecoveryWatcher(options: {
  source: RecoveryEventSource | null;
  append: (draft: AuditDraft) => Promise<unknown>;
  now: () => number;
  settings?: RecoverySettings;
  /** The triggering metric's comparison for a rollback (the gate's own); default `triggeringMetric`. */
  metricFor?: (rollback: AuditEntry) => MetricComparison | undefined;
  log?: (line: string) => void;
}): RecoveryWatcher {
  const settings = { ...RECOVERY_DEFAULTS, pollMs: 10_000, ...options.settings };
  const pending = new Map<number, AuditEntry>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  async function check(entry: AuditEntry, overrides: RecoverySettings = {}): Promise<RecoveryCheck | null> {
    const scopes = scopesOf(entry.scope);
    if (!options.source || scopes.length === 0) return null;
    const s = { ...settings, ...overrides };
    const at = Date.parse(entry.at);
    const events: RecoveryEvent[] = [];
    for await (const e of options.source.events({
      since: at - RECOVERY_DEFAULTS.lookbackMs,
      until: at + s.windowMs,
    })) {
      events.push(e);
    }
    const now = options.now();
    const metric = (options.metricFor ?? triggeringMetric)(entry);
    const results = scopes.map((scope) =>
      verifyRecovery(events, {
        rollbackAt: at,
        scope,
        now,
        windowMs: s.windowMs,
        minUsers: s.minUsers,
        share: s.share,
        ...(metric ? { metric } : {}),
      }),
    );
    return { rollbackSeq: entry.seq, status: overall(results), results };
  }

  async function tick(): Promise<void> {
    for (const entry of [...pending.values()]) {
      if (closed) return;
      try {
        const result = await check(entry);
        if (!result || result.status === 'pending') continue;
        pending.delete(entry.seq);
        await options.append(verdictEntry(entry, result, options.now()));
      } catch (error) {
        options.log?.(`recovery check of rollback #${entry.seq} failed: ${(error as Error).message}`);
      }
    }
    if (pending.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  return {
    watch(entry) {
      if (closed || !options.source || scopesOf(entry.scope).length === 0) return;
      pending.set(entry.seq, entry);
      if (!timer) {
        timer = setInterval(() => {
          // One pass at a time: a slow read must not overlap the next.
          running = running.then(tick, tick);
        }, settings.pollMs);
        timer.unref();
      }
    },
    check,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

/** Rollbacks in `entries` without a verdict yet, newer than `sinceMs` ago: to watch again after a restart. */
export function unverifiedRollbacks(
  entries: readonly AuditEntry[],
  now: number,
  sinceMs = 24 * 3_600_000,
): AuditEntry[] {
  const verified = new Set<number>();
  for (const e of entries) {
    const seq = (e.evidence as { rollbackSeq?: unknown } | null)?.rollbackSeq;
    if (e.action === 'verify-recovery' && typeof seq === 'number') verified.add(seq);
  }
  return entries.filter(
    (e) =>
      e.kind === 'rollback' &&
      scopesOf(e.scope).length > 0 &&
      !verified.has(e.seq) &&
      now - Date.parse(e.at) < sinceMs,
  );
}

// The audit trail's record: one line per change to the rollout (admin API, dashboard, the gate's --apply, a
// LaunchDarkly patch reported back), per approval and per recovery verification. Plain JSON, so the log
// file, GET /admin/audit, the dashboard and the weekly report all read the same shape.

/** What kind of step an entry records; `rollback` and `advance` are judged by release/classify.ts. */
export type AuditKind = 'rollback' | 'advance' | 'edit' | 'approval' | 'verification' | 'external' | 'notice';

/** The action as the operator would name it. */
export type AuditAction =
  | 'flag-on'
  | 'flag-off'
  | 'set-stage'
  | 'edit-stage'
  | 'kill-family'
  | 'restore-family'
  | 'approve'
  | 'verify-recovery'
  | 'launchdarkly-patch'
  | 'out-of-band-change';

/** The rollout's state before or after a change, in the terms the admin state uses. */
export interface AuditState {
  /** The main flag's version (every admin change bumps it). */
  flagVersion: number;
  /** The rollout config's version, or null when the config is invalid or missing. */
  configVersion: string | null;
  on: boolean;
  stage: string | null;
  killed: string[];
}

/** One flag whose version a change moved. */
export interface FlagVersionChange {
  key: string;
  from: number;
  to: number;
}

/** What a rollback covers: the whole flag, some families, or less (a lower stage or percentage). */
export type RollbackScope = { kind: 'flag' } | { kind: 'families'; families: string[] } | { kind: 'partial' };

/** Where the change came from, as the caller declared it (`X-Rollout-Source` or `source` in the body). */
export type AuditSource = string;

/** One line of the audit log. */
export interface AuditEntry {
  /** 1-based position in the log: an entry's id, stable across restarts. */
  seq: number;
  /** Server time of the change, ISO 8601 UTC. */
  at: string;
  /**
   * Who was authenticated: `local` (a loopback request without an admin token), `admin-token` (the bearer
   * token), or `server` for entries the server writes itself (verifications, reconciliation).
   */
  actor: string;
  /** A name the caller gave (`by`): not authenticated, shown next to the actor. */
  by: string | null;
  /** `dashboard`, `gate`, `api` (default), `cli`, `drill`, `launchdarkly`, `server`. */
  source: AuditSource;
  kind: AuditKind;
  action: AuditAction;
  /** What it acted on: the flag key, a stage name, or a family. */
  target: string;
  /** What changed, one phrase each ("week2 percentage 25 → 30", "flag on → off"). */
  changes: string[];
  before: AuditState | null;
  after: AuditState | null;
  flags: FlagVersionChange[];
  /** For a rollback, what it covers (the recovery check watches `flag` and `families`); else null. */
  scope: RollbackScope | null;
  /** The caller's reason or comment; null when none was given. */
  reason: string | null;
  /** The gate's decision with its evidence, a verification's result, or a patch's instructions. */
  evidence: unknown;
}

/** What a caller may attach to a change: read from the body (`reason`/`comment`, `source`, `by`, `evidence`) or headers. */
export interface AuditMeta {
  reason: string | null;
  source: AuditSource;
  by: string | null;
  evidence: unknown;
}

/** An entry before the log numbers it. */
export type AuditDraft = Omit<AuditEntry, 'seq'>;

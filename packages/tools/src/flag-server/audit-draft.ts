// The audit entry of one admin change: what was asked (the route and body), what it did (the classifier's
// phrases, the versions before and after), who asked (the authenticated actor and the declared source and
// name) and why (the caller's reason, or the gate's evidence).
import type { AuditAction, AuditDraft, AuditMeta, AuditState } from '../audit/types.js';
import type { ChangeClass } from '../release/classify.js';
import type { AdminChange, FlagState } from './admin.js';
import type { FlagDefinition } from './definitions.js';

/** The admin state's fields the audit trail keeps. */
export function auditState(state: FlagState): AuditState {
  return {
    flagVersion: state.version,
    configVersion: state.configVersion,
    on: state.on,
    stage: state.activeStage,
    killed: [...state.killed],
  };
}

function actionOf(change: AdminChange): { action: AuditAction; target: (flagKey: string) => string } {
  const body = (change.body ?? {}) as Record<string, unknown>;
  switch (change.kind) {
    case 'flag':
      return { action: body.on === true ? 'flag-on' : 'flag-off', target: (key) => key };
    case 'stage':
      return {
        action: 'set-stage',
        target: () => (typeof body.stage === 'string' ? body.stage : 'schedule'),
      };
    case 'patch-stage':
      return { action: 'edit-stage', target: () => change.stage };
    case 'family':
      return { action: body.killed === true ? 'kill-family' : 'restore-family', target: () => change.family };
  }
}

/** The draft entry for an applied change. */
export function changeDraft(input: {
  change: AdminChange;
  cls: ChangeClass;
  before: FlagState;
  after: FlagState;
  previous: readonly FlagDefinition[];
  changed: readonly FlagDefinition[];
  meta: AuditMeta;
  actor: string;
  now: number;
}): AuditDraft {
  const { action, target } = actionOf(input.change);
  return {
    at: new Date(input.now).toISOString(),
    actor: input.actor,
    by: input.meta.by,
    source: input.meta.source,
    kind: input.cls.kind,
    action,
    target: target(input.after.flagKey),
    changes: input.cls.changes,
    before: auditState(input.before),
    after: auditState(input.after),
    flags: input.changed.map((f) => ({
      key: f.key,
      from: input.previous.find((p) => p.key === f.key)?.version ?? 0,
      to: f.version,
    })),
    scope: input.cls.kind === 'rollback' ? input.cls.scope : null,
    reason: input.meta.reason,
    evidence: input.meta.evidence,
  };
}

/**
 * Entries for flags whose version differs from the last one the audit trail recorded: changed outside the
 * admin API (a hand edit, flag-state.json removed, or a crash between the flag write and the audit write).
 */
export function outOfBandDrafts(
  lastAudited: ReadonlyMap<string, number>,
  flags: readonly FlagDefinition[],
  now: number,
): AuditDraft[] {
  const drafts: AuditDraft[] = [];
  for (const [key, version] of lastAudited) {
    const current = flags.find((f) => f.key === key)?.version ?? 0;
    if (current === version) continue;
    drafts.push({
      at: new Date(now).toISOString(),
      actor: 'server',
      by: null,
      source: 'server',
      kind: 'notice',
      action: 'out-of-band-change',
      target: key,
      changes: [`${key} version ${version} → ${current} without an audited change`],
      before: null,
      after: null,
      flags: [{ key, from: version, to: current }],
      scope: null,
      reason:
        'found at start-up: the served flag is not the version the audit trail last recorded (edited by hand, flag-state.json removed, or a crash between the flag write and the audit write)',
      evidence: null,
    });
  }
  return drafts;
}

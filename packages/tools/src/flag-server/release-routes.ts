// The admin routes of the release side (same access rules as every /admin route):
//   GET  /admin/audit[?since=ISO&until=ISO&kind=rollback,advance&limit=N]  the audit trail, oldest first
//   POST /admin/audit      record a change made elsewhere (the gate's LaunchDarkly patch, audit/gate.ts)
//   POST /admin/approvals  {"stage": "week3", "by": "dana", "reason": "…"}: approve entering a stage
//   GET  /admin/release    the calendar, the freeze in force, valid approvals, what the next stage needs
//   GET  /admin/recovery[?seq=N&window=5m&minUsers=10]  the latest (or #N) rollback's recovery check now
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FLAG_KEY, isRecord } from 'token-rollout/core';
import { splitAuditMeta } from '../audit/meta.js';
import { filterAudit, parseAuditQuery, parseDurationMs } from '../audit/query.js';
import type { AuditDraft, AuditEntry, AuditKind, RollbackScope } from '../audit/types.js';
import { checkApproval } from '../release/rules.js';
import type { RecoveryCheck, RecoverySettings } from '../release/watcher.js';
import { flagState } from './admin.js';
import type { FlagDefinition } from './definitions.js';
import { HttpError, isJsonContentType, readJson, sendJson } from './http.js';
import type { ReleaseDesk } from './release-desk.js';

const BODY_LIMIT = 64 * 1024;

/** What the routes need from the service. */
export interface ReleaseRouteContext {
  desk: ReleaseDesk;
  flags: () => readonly FlagDefinition[];
  actor: string;
  now: () => number;
  /** Runs `work` in the service's change queue, so approvals and advances are ordered. */
  serial: <T>(work: () => Promise<T>) => Promise<T>;
}

async function jsonBody(req: IncomingMessage, route: string): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(415, `${route} needs "Content-Type: application/json"`);
  }
  return readJson(req, BODY_LIMIT);
}

/** How a LaunchDarkly patch counts: turning a flag off rolls back (the main flag, or one family's kill flag). */
function launchDarklyKind(
  target: string,
  evidence: unknown,
): { kind: AuditKind; scope: RollbackScope | null } {
  const instructions = (evidence as { instructions?: unknown } | null)?.instructions;
  const kinds = Array.isArray(instructions) ? instructions.map((i) => (isRecord(i) ? i.kind : null)) : [];
  if (kinds.includes('turnFlagOff')) {
    if (target === FLAG_KEY) return { kind: 'rollback', scope: { kind: 'flag' } };
    if (target.startsWith(`${FLAG_KEY}.`))
      return { kind: 'rollback', scope: { kind: 'families', families: [target.slice(FLAG_KEY.length + 1)] } };
    return { kind: 'rollback', scope: { kind: 'partial' } };
  }
  const advancing = ['turnFlagOn', 'updateFallthroughVariationOrRollout', 'updateVariation'];
  return {
    kind: kinds.some((k) => typeof k === 'string' && advancing.includes(k)) ? 'advance' : 'external',
    scope: null,
  };
}

async function recordExternal(req: IncomingMessage, ctx: ReleaseRouteContext): Promise<AuditEntry> {
  const split = splitAuditMeta(await jsonBody(req, 'POST /admin/audit'), req.headers);
  if (!split.ok) throw new HttpError(400, split.problem.error, split.problem.path);
  const body = split.change as Record<string, unknown>;
  const unknown = Object.keys(body).find((k) => k !== 'action' && k !== 'target');
  if (unknown)
    throw new HttpError(
      400,
      'unknown field (allowed: action, target, reason, comment, source, by, evidence)',
      `$.${unknown}`,
    );
  if (body.action !== 'launchdarkly-patch')
    throw new HttpError(400, '"action" must be "launchdarkly-patch"', '$.action');
  if (typeof body.target !== 'string' || body.target === '')
    throw new HttpError(400, '"target" must name the flag patched', '$.target');
  const { kind, scope } = launchDarklyKind(body.target, split.meta.evidence);
  const draft: AuditDraft = {
    at: new Date(ctx.now()).toISOString(),
    actor: ctx.actor,
    by: split.meta.by,
    source: split.meta.source === 'api' ? 'launchdarkly' : split.meta.source,
    kind,
    action: 'launchdarkly-patch',
    target: body.target,
    changes: [`LaunchDarkly patch of ${body.target}`],
    before: null,
    after: null,
    flags: [],
    scope,
    reason: split.meta.reason,
    evidence: split.meta.evidence,
  };
  return ctx.serial(() => ctx.desk.record(draft));
}

async function approve(
  req: IncomingMessage,
  ctx: ReleaseRouteContext,
): Promise<{ status: number; body: unknown }> {
  const split = splitAuditMeta(await jsonBody(req, 'POST /admin/approvals'), req.headers);
  if (!split.ok) throw new HttpError(400, split.problem.error, split.problem.path);
  const body = split.change as Record<string, unknown>;
  const unknown = Object.keys(body).find((k) => k !== 'stage');
  if (unknown) throw new HttpError(400, 'unknown field (allowed: stage, by, reason)', `$.${unknown}`);
  return ctx.serial(async () => {
    const state = flagState(ctx.flags(), ctx.now());
    const { calendar } = await ctx.desk.calendar.current();
    const checked = checkApproval(
      { stage: body.stage, by: split.meta.by },
      state.stages.map((s) => s.name),
      calendar,
    );
    if (!checked.ok) return { status: 400, body: { error: checked.error, path: checked.path } };
    const entry = await ctx.desk.record({
      at: new Date(ctx.now()).toISOString(),
      actor: ctx.actor,
      by: checked.by,
      source: split.meta.source,
      kind: 'approval',
      action: 'approve',
      target: checked.stage,
      changes: [`${checked.stage} approved by ${checked.by}`],
      before: null,
      after: null,
      flags: [],
      scope: null,
      reason: split.meta.reason,
      evidence: split.meta.evidence,
    });
    return { status: 200, body: { approval: entry } };
  });
}

function recoveryOverrides(url: URL): RecoverySettings {
  const out: RecoverySettings = {};
  const window = url.searchParams.get('window');
  if (window !== null) {
    const ms = parseDurationMs(window);
    if (ms === null || ms <= 0)
      throw new HttpError(
        400,
        `query parameter window: expected a duration such as 5m or 90s, got "${window}"`,
      );
    out.windowMs = ms;
  }
  const min = url.searchParams.get('minUsers');
  if (min !== null) {
    const n = Number(min);
    if (!Number.isInteger(n) || n < 1)
      throw new HttpError(400, `query parameter minUsers: expected a whole number ≥ 1, got "${min}"`);
    out.minUsers = n;
  }
  return out;
}

async function recovery(url: URL, ctx: ReleaseRouteContext): Promise<unknown> {
  const entries = ctx.desk.audit.entries();
  const seqText = url.searchParams.get('seq');
  const seq = seqText === null ? null : Number(seqText);
  const rollback =
    seq === null
      ? ([...entries].reverse().find((e) => e.kind === 'rollback') ?? null)
      : (entries.find((e) => e.seq === seq && e.kind === 'rollback') ?? null);
  if (seq !== null && rollback === null)
    throw new HttpError(404, `audit entry #${seqText} is not a rollback`, '$.seq');
  if (rollback === null) return { rollback: null, verdict: null, live: null };
  const verdict =
    entries.find(
      (e) =>
        e.action === 'verify-recovery' &&
        (e.evidence as { rollbackSeq?: unknown } | null)?.rollbackSeq === rollback.seq,
    ) ?? null;
  const overrides = recoveryOverrides(url);
  // A recorded verdict is final: no need to read the events again (the dashboard asks every 2 s).
  if (verdict && Object.keys(overrides).length === 0) return { rollback, verdict, live: verdict.evidence };
  const key = `${rollback.seq}|${JSON.stringify(overrides)}|${Math.floor(ctx.now() / LIVE_CACHE_MS)}`;
  let live = liveChecks.get(ctx.desk)?.get(key);
  if (!live) {
    live = ctx.desk.watcher.check(rollback, overrides);
    liveChecks.set(ctx.desk, new Map([[key, live]]));
  }
  return { rollback, verdict, live: await live };
}

/** A live check is computed at most once per this many ms of server time (per desk and query). */
const LIVE_CACHE_MS = 3000;
const liveChecks = new WeakMap<ReleaseDesk, Map<string, Promise<RecoveryCheck | null>>>();

/** Answers the release routes; resolves false for any other admin route. */
export async function handleReleaseRoute(
  req: IncomingMessage,
  res: ServerResponse,
  parts: readonly string[],
  ctx: ReleaseRouteContext,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const what = parts[1];
  if (parts.length !== 2 || !['audit', 'approvals', 'release', 'recovery'].includes(what ?? '')) return false;
  const url = new URL(req.url ?? '/', 'http://flag-server');
  if (what === 'audit' && method === 'GET') {
    const parsed = parseAuditQuery(url.searchParams);
    if (!parsed.ok) throw new HttpError(400, parsed.error);
    const entries = filterAudit(ctx.desk.audit.entries(), parsed.query);
    sendJson(res, 200, { file: ctx.desk.audit.file, count: entries.length, entries });
  } else if (what === 'audit' && method === 'POST') {
    sendJson(res, 200, { entry: await recordExternal(req, ctx) });
  } else if (what === 'approvals' && method === 'POST') {
    const result = await approve(req, ctx);
    sendJson(res, result.status, result.body);
  } else if (what === 'release' && method === 'GET') {
    sendJson(res, 200, await ctx.desk.state(ctx.flags()));
  } else if (what === 'recovery' && method === 'GET') {
    sendJson(res, 200, await recovery(url, ctx));
  } else {
    throw new HttpError(405, `${method} is not allowed on /admin/${what}`);
  }
  return true;
}

// `token-rollout gate`: reads events (file or collector), evaluates the gate, prints a table or JSON, and
// optionally applies the decision to the local flag server or LaunchDarkly; `--watch` repeats it at the
// stage's monitoring interval. Every effect (output, env, network, clock, sleep) comes in through `io`.
import { gateAuditFields, gateEvidence, gateReason, launchDarklyAuditBody } from '../audit/gate.js';
import { type AdminTarget, type ApplyResult, applyToFlagServer } from './admin.js';
import { runCheck } from './check.js';
import { type CliOptions, parseCli, USAGE } from './cli-args.js';
import { GateInputError } from './events.js';
import { formatReport } from './format.js';
import {
  advanceRequest,
  formatRequest,
  getFlagRequest,
  type LaunchDarklyTarget,
  type PlannedRequest,
  sendRequest,
  turnOffRequests,
} from './launchdarkly.js';
import type { GateReport } from './report.js';

export { parseDuration } from './cli-args.js';

/** The effects the command uses. */
export interface GateIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Exit codes: 0 advance or hold, 3 roll back, 2 bad usage or input, 1 a failure talking to a server. */
export const EXIT = { ok: 0, failure: 1, usage: 2, rollback: 3 } as const;

interface LaunchDarklyAction {
  purpose: string;
  request: PlannedRequest['request'];
  warning?: string;
  sent: boolean;
}

async function planLaunchDarkly(
  report: GateReport,
  target: LaunchDarklyTarget & { send: boolean },
  io: GateIo,
  audit: AdminTarget | null,
): Promise<{ actions: LaunchDarklyAction[]; notes: string[] }> {
  // The same reason the local audit trail keeps: LaunchDarkly's own audit log shows it as the comment.
  const comment = gateReason(report);
  const token = io.env.LD_API_TOKEN;
  const planned: PlannedRequest[] = [];
  const notes: string[] = [];
  if (report.decision.kind === 'rollback') planned.push(...turnOffRequests(report.decision, target, comment));
  if (report.decision.kind === 'advance' && report.stage !== null) {
    // Reading the flag is harmless, so a dry run with a token resolves the exact variation ids.
    const flag = token ? await sendRequest(getFlagRequest(target), token, io.fetch) : null;
    const advance = advanceRequest(target, report.stage, report.decision.nextStage, flag, comment);
    if ('error' in advance) notes.push(advance.error);
    else planned.push(advance);
  }
  if (report.decision.kind === 'hold') notes.push('hold: no LaunchDarkly change');
  const actions: LaunchDarklyAction[] = [];
  for (const p of planned) {
    let sent = false;
    if (target.send && token) {
      await sendRequest(p.request, token, io.fetch);
      sent = true;
      if (audit) await recordLaunchDarklyPatch(audit, p.request, report, io, notes);
    }
    actions.push({
      purpose: p.purpose,
      request: p.request,
      ...(p.warning ? { warning: p.warning } : {}),
      sent,
    });
  }
  return { actions, notes };
}

/**
 * Reports a sent LaunchDarkly patch to the local audit trail (POST {admin}/admin/audit), so the trail
 * has every change whichever flag source made it. A failure is a note, not a failed check: the patch
 * itself went through.
 */
async function recordLaunchDarklyPatch(
  admin: AdminTarget,
  request: PlannedRequest['request'],
  report: GateReport,
  io: GateIo,
  notes: string[],
): Promise<void> {
  const url = `${admin.url.replace(/\/+$/, '')}/admin/audit`;
  try {
    const response = await io.fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(admin.token ? { Authorization: `Bearer ${admin.token}` } : {}),
      },
      body: JSON.stringify(launchDarklyAuditBody(request, gateEvidence(report))),
    });
    if (!response.ok) notes.push(`audit trail: ${url} answered ${response.status}`);
  } catch (error) {
    notes.push(`audit trail: ${url} failed: ${(error as Error).message}`);
  }
}

/** Interval before the first report is known (the plan's most frequent one, week 1's 15 minutes). */
const FIRST_INTERVAL_MS = 15 * 60_000;

/** Runs `token-rollout gate` with the given arguments; resolves to the exit code. */
export async function runGateCli(argv: string[], io: GateIo): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(argv, io.env);
  } catch (error) {
    io.stderr(`token-rollout gate: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  let everyMs = options.watch?.everyMs ?? null;
  for (let check = 1; ; check++) {
    let report: GateReport;
    let applied: ApplyResult | null = null;
    let launchdarkly: { actions: LaunchDarklyAction[]; notes: string[] } | null = null;
    try {
      report = await runCheck(options, io);
      if (options.admin?.apply)
        applied = await applyToFlagServer(
          report.decision,
          report.stage,
          options.admin,
          io.fetch,
          gateAuditFields(report),
        );
      if (options.launchdarkly)
        launchdarkly = await planLaunchDarkly(report, options.launchdarkly, io, options.admin ?? null);
    } catch (error) {
      const input = error instanceof GateInputError;
      io.stderr(`token-rollout gate: ${(error as Error).message}\n`);
      const watch = options.watch;
      // A watch outlives a network blip: a failed check is reported and retried at the next interval.
      if (input || !watch) return input ? EXIT.usage : EXIT.failure;
      const wait = everyMs ?? FIRST_INTERVAL_MS;
      if (
        (watch.count !== null && check >= watch.count) ||
        (watch.until !== null && io.now() + wait > watch.until)
      ) {
        return EXIT.failure;
      }
      io.stderr(`check failed; retrying in ${Math.round(wait / 60_000)} min\n`);
      await io.sleep(wait);
      continue;
    }
    if (options.json) {
      io.stdout(
        `${JSON.stringify({ checkedAt: new Date(io.now()).toISOString(), ...report, applied, launchdarkly })}\n`,
      );
    } else {
      io.stdout(formatReport(report));
      if (applied)
        for (const line of [...applied.applied, ...applied.skipped]) io.stdout(`flag server: ${line}\n`);
      if (launchdarkly) {
        for (const note of launchdarkly.notes) io.stdout(`launchdarkly: ${note}\n`);
        for (const a of launchdarkly.actions) {
          io.stdout(
            `launchdarkly: ${a.purpose}${a.sent ? ' (sent)' : ' (dry run: add --send to perform it)'}\n`,
          );
          if (a.warning) io.stdout(`launchdarkly: note: ${a.warning}\n`);
          io.stdout(`${formatRequest(a.request)}\n`);
        }
      }
    }
    if (report.decision.kind === 'rollback') return EXIT.rollback;
    const watch = options.watch;
    if (!watch) return EXIT.ok;
    if (watch.count !== null && check >= watch.count) return EXIT.ok;
    const every = watch.everyMs ?? report.monitorEveryMinutes * 60_000;
    everyMs = every;
    if (watch.until !== null && io.now() + every > watch.until) return EXIT.ok;
    io.stderr(`next check in ${Math.round(every / 60_000)} min\n`);
    await io.sleep(every);
  }
}

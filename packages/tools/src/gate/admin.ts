// Applies a decision to the local flag server's admin API (server/flag-server):
//   rollback -> POST {admin}/admin/flag {"on": false}
//   family   -> POST {admin}/admin/families/{family} {"killed": true}
//   advance  -> GET {admin}/admin/state for the active stage and the stage list, then POST {admin}/admin/stage {"stage": next}
// An advance is refused when the flag server is not on the stage the data was judged for: the gate must
// not skip a stage because its data is stale. Every change carries the audit fields (`reason`, `source`,
// `evidence`: audit/gate.ts `gateAuditFields`) so the audit trail records why. An advance the flag server
// refuses (409: a freeze window, a missing approval) is reported as skipped, never as a failure.
import type { GateDecision } from './report.js';

/** How to reach the admin API. */
export interface AdminTarget {
  url: string;
  token?: string;
}

/** What was done (or deliberately not done), one line per action. */
export interface ApplyResult {
  applied: string[];
  skipped: string[];
}

/** What the gate reads from `GET /admin/state`. */
export interface AdminState {
  on: boolean;
  stage: string | null;
  stages: { name: string }[];
}

/** A refused admin call, with its status and body (a 409 says why an advance must wait). */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

function headers(target: AdminTarget): Record<string, string> {
  const h: Record<string, string> = { 'Content-Type': 'application/json' };
  if (target.token) h.Authorization = `Bearer ${target.token}`;
  return h;
}

async function call(
  target: AdminTarget,
  fetcher: typeof fetch,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
) {
  const url = `${target.url.replace(/\/+$/, '')}${path}`;
  const init: RequestInit = {
    method,
    headers: headers(target),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  let response: Response;
  try {
    response = await fetcher(url, init);
  } catch {
    // One retry on a network error: a kept-alive socket the server closed meanwhile fails the first try,
    // and every admin call here is idempotent (flag off, kill, set stage).
    try {
      response = await fetcher(url, init);
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message;
      throw new Error(`${method} ${url} failed: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
    }
  }
  const text = await response.text();
  if (!response.ok)
    throw new AdminError(
      `${method} ${url} failed: ${response.status} ${text.slice(0, 300)}`,
      response.status,
      text,
    );
  return { url, json: text === '' ? null : (JSON.parse(text) as unknown) };
}

function parseState(value: unknown, url: string): AdminState {
  const v = value as Partial<AdminState> | null;
  if (!v || typeof v !== 'object' || !Array.isArray(v.stages)) {
    throw new Error(`${url} did not return {on, stage, stages: [...]}`);
  }
  const stages = v.stages.filter((s): s is { name: string } => typeof s?.name === 'string');
  // server/flag-server names it `activeStage`; `stage` is accepted too.
  const raw = value as { stage?: unknown; activeStage?: unknown };
  const stage =
    typeof raw.activeStage === 'string' ? raw.activeStage : typeof raw.stage === 'string' ? raw.stage : null;
  return { on: v.on === true, stage, stages };
}

/** The flag server's state: whether the flag is on, its current stage and the stage order. */
export async function readFlagServerState(target: AdminTarget, fetcher: typeof fetch): Promise<AdminState> {
  const { url, json } = await call(target, fetcher, 'GET', '/admin/state');
  return parseState(json, url);
}

/** Performs the decision on the flag server. `judgedStage` is the stage the data was evaluated for. */
export async function applyToFlagServer(
  decision: GateDecision,
  judgedStage: string | null,
  target: AdminTarget,
  fetcher: typeof fetch,
  audit: Readonly<Record<string, unknown>> = {},
): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], skipped: [] };
  if (decision.kind === 'hold') {
    result.skipped.push('hold: nothing to change');
    return result;
  }
  if (decision.kind === 'rollback' && decision.scope === 'flag') {
    const { url } = await call(target, fetcher, 'POST', '/admin/flag', { on: false, ...audit });
    result.applied.push(`POST ${url} {"on":false}`);
    return result;
  }
  if (decision.kind === 'rollback') {
    for (const family of decision.families) {
      const { url } = await call(target, fetcher, 'POST', `/admin/families/${encodeURIComponent(family)}`, {
        killed: true,
        ...audit,
      });
      result.applied.push(`POST ${url} {"killed":true}`);
    }
    return result;
  }
  const { url: stateUrl, json } = await call(target, fetcher, 'GET', '/admin/state');
  const state = parseState(json, stateUrl);
  if (state.stage !== judgedStage) {
    result.skipped.push(
      `advance refused: the flag server is on ${state.stage ?? 'no stage'}, the data judged ${judgedStage}`,
    );
    return result;
  }
  const at = state.stages.findIndex((s) => s.name === state.stage);
  const next = at >= 0 ? state.stages[at + 1]?.name : undefined;
  if (next === undefined) {
    result.skipped.push(`advance: ${state.stage} is the last stage, the rollout is complete`);
    return result;
  }
  try {
    const { url } = await call(target, fetcher, 'POST', '/admin/stage', { stage: next, ...audit });
    result.applied.push(`POST ${url} {"stage":"${next}"}`);
  } catch (error) {
    if (!(error instanceof AdminError) || error.status !== 409) throw error;
    result.skipped.push(`advance to ${next} waits: ${refusalOf(error.body)}`);
  }
  return result;
}

/** The flag server's reason for refusing an advance (its `error`, and until when for a freeze). */
function refusalOf(body: string): string {
  try {
    const refusal = JSON.parse(body) as { error?: unknown; until?: unknown };
    const until = typeof refusal.until === 'string' ? ` (until ${refusal.until})` : '';
    return `${typeof refusal.error === 'string' ? refusal.error : body.slice(0, 300)}${until}`;
  } catch {
    return body.slice(0, 300);
  }
}

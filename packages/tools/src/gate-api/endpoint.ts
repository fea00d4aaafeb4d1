// GET /api/gate: the gate's current decision on the collected events, for the dashboard. The per-user
// aggregation runs in the event store (store/gate-sql.ts), its statistics cached by the store's event
// count, and the decision is the gate's own `decideStage`: a request with other options (alpha=…) costs
// a decision, not a pass over the events. A read route: the Host check and the collector's token apply.
import type { GateOptions } from '../gate/evaluate.js';
import type { AccessPolicy } from '../http/access.js';
import { sendJson } from '../http/send.js';
import type { Handler } from '../http/server.js';
import { gateReportOf } from '../store/gate-report.js';
import type { StatisticsRequest, StoreGateStatistics } from '../store/gate-statistics.js';
import { emptyGateView, type GateView, gateViewOf } from './view.js';

/** The path it answers. */
export const GATE_PATH = '/api/gate';

/** Where the endpoint reads from: the store's statistics (the collector's) and the flag service's stage. */
export interface GateSources {
  statistics(request: StatisticsRequest): Promise<StoreGateStatistics>;
  activeStage(): string | null;
}

/**
 * The gate options a query string sets, as `token-rollout gate` takes them: `targetUsers`, `p1Bugs`,
 * `alpha`, `minUsers`. Unknown or malformed values are ignored (the defaults apply).
 */
export function gateOptionsFrom(params: URLSearchParams): GateOptions {
  const options: GateOptions = {};
  const number = (name: string) => {
    const value = Number(params.get(name) ?? Number.NaN);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const targetUsers = number('targetUsers');
  if (targetUsers !== undefined && targetUsers >= 1) options.targetUsers = Math.floor(targetUsers);
  const p1Bugs = number('p1Bugs');
  if (p1Bugs !== undefined) options.p1Bugs = Math.floor(p1Bugs);
  const alpha = number('alpha');
  if (alpha !== undefined && alpha > 0 && alpha < 1) options.alpha = alpha;
  const minUsers = number('minUsers');
  if (minUsers !== undefined) options.minUsersPerArm = Math.floor(minUsers);
  return options;
}

/** The handler of GET /api/gate: a `GateView` as JSON for the options in the query string. */
export function createGateEndpoint(
  sources: GateSources,
  access: AccessPolicy,
  readToken: string | null,
): Handler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gate.invalid');
    if (url.pathname !== GATE_PATH) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: `${GATE_PATH} accepts GET (got ${req.method})` }, { allow: 'GET' });
      return true;
    }
    const refusal = access.checkRead(req, readToken, `GET ${GATE_PATH}`);
    if (refusal) {
      sendJson(res, refusal.status, { error: refusal.error }, refusal.headers);
      return true;
    }
    const stage = sources.activeStage();
    sendJson(res, 200, await evaluate(sources, stage, gateOptionsFrom(url.searchParams)));
    return true;
  };
}

async function evaluate(sources: GateSources, stage: string | null, options: GateOptions): Promise<GateView> {
  try {
    // Judge the active stage when it has data, else the latest stage that has.
    const stats = await sources.statistics({ prefer: stage });
    if (stats.stage === null) return emptyGateView(stage, 'No events in a stage yet.');
    const judged = stats.stage === stage ? { stage } : {};
    return gateViewOf(gateReportOf(stats, { ...options, ...judged }));
  } catch (error) {
    return { ...emptyGateView(stage, ''), error: error instanceof Error ? error.message : String(error) };
  }
}

// GET /api/gate: the gate's current decision on the collected events, for the dashboard. It runs the same
// pure `evaluateGate` as `token-rollout gate`, re-evaluated only when new events arrived or the stage changed.
// A read route: the Host check and the collector's token apply (http/access.ts).
import type { MetricEvent } from 'token-rollout/core';
import { evaluateGate, type GateOptions } from '../gate/evaluate.js';
import type { AccessPolicy } from '../http/access.js';
import { sendJson } from '../http/send.js';
import type { Handler } from '../http/server.js';
import { emptyGateView, type GateView, gateViewOf } from './view.js';

/** The path it answers. */
export const GATE_PATH = '/api/gate';

/** Where the endpoint reads from: the collector's events and count, and the flag service's active stage. */
export interface GateSources {
  events(): AsyncIterable<MetricEvent>;
  eventCount(): number;
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
  let cacheKey = '';
  let cached: GateView | null = null;
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
    const options = gateOptionsFrom(url.searchParams);
    const key = `${sources.eventCount()}|${stage}|${JSON.stringify(options)}`;
    if (!cached || key !== cacheKey) {
      cached = await evaluate(sources, stage, options);
      cacheKey = key;
    }
    sendJson(res, 200, cached);
    return true;
  };
}

async function evaluate(sources: GateSources, stage: string | null, options: GateOptions): Promise<GateView> {
  const events: MetricEvent[] = [];
  for await (const event of sources.events()) events.push(event);
  const staged = events.filter((e) => e.stage !== null);
  if (staged.length === 0) return emptyGateView(stage, 'No events in a stage yet.');
  // Judge the active stage when it has data, else the latest stage that has.
  const judged = stage !== null && staged.some((e) => e.stage === stage) ? stage : undefined;
  try {
    return gateViewOf(evaluateGate(events, { ...options, stage: judged }));
  } catch (error) {
    return { ...emptyGateView(stage, ''), error: error instanceof Error ? error.message : String(error) };
  }
}

// GET /api/gate: the gate's current decision on the collected events, for the dashboard. It runs the same
// pure `evaluateGate` as `token-rollout gate`, re-evaluated only when new events arrived or the stage changed.
import type { ServerResponse } from 'node:http';
import { evaluateGate } from '../../gate/evaluate.js';
import type { MetricEvent } from '../../src/metrics/event.js';
import { emptyGateView, type GateView, gateViewOf } from './gate-view.js';

/** Where the endpoint reads from: the collector's events and count, and the flag service's active stage. */
export interface GateSources {
  events(): AsyncIterable<MetricEvent>;
  eventCount(): number;
  activeStage(): string | null;
}

/** Returns the handler; it answers with a `GateView` as JSON. */
export function createGateEndpoint(sources: GateSources): (res: ServerResponse) => Promise<void> {
  let cacheKey = '';
  let cached: GateView | null = null;
  return async (res) => {
    const stage = sources.activeStage();
    const key = `${sources.eventCount()}|${stage}`;
    if (!cached || key !== cacheKey) {
      cached = await evaluate(sources, stage);
      cacheKey = key;
    }
    const body = JSON.stringify(cached);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
}

async function evaluate(sources: GateSources, stage: string | null): Promise<GateView> {
  const events: MetricEvent[] = [];
  for await (const event of sources.events()) events.push(event);
  const staged = events.filter((e) => e.stage !== null);
  if (staged.length === 0) return emptyGateView(stage, 'No events in a stage yet.');
  // Judge the active stage when it has data, else the latest stage that has.
  const judged = stage !== null && staged.some((e) => e.stage === stage) ? stage : undefined;
  try {
    return gateViewOf(evaluateGate(events, { stage: judged }));
  } catch (error) {
    return { ...emptyGateView(stage, ''), error: error instanceof Error ? error.message : String(error) };
  }
}

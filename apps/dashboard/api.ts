// The dashboard's calls to the dev server: the flag service's admin API, the collector's aggregates and
// the gate's decision. Same origin, JSON only.
import type { AggregateSummary, FlagState, GateView } from 'token-rollout-tools';

/** Everything one poll reads. */
export interface DashboardSnapshot {
  flags: FlagState;
  aggregates: AggregateSummary;
  gate: GateView;
  at: number;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The dashboard's own query options for the gate (`?targetUsers=…&p1Bugs=…`), passed on to /api/gate. */
function gateQuery(search: string): string {
  const params = new URLSearchParams(search);
  const out = new URLSearchParams();
  for (const name of ['targetUsers', 'p1Bugs', 'alpha', 'minUsers']) {
    const value = params.get(name);
    if (value !== null) out.set(name, value);
  }
  const text = out.toString();
  return text ? `?${text}` : '';
}

/** Reads the flag state, the aggregates and the gate's decision at once. */
export async function loadSnapshot(search = ''): Promise<DashboardSnapshot> {
  const [flags, aggregates, gate] = await Promise.all([
    getJson<FlagState>('/admin/state'),
    getJson<AggregateSummary>('/aggregates'),
    getJson<GateView>(`/api/gate${gateQuery(search)}`),
  ]);
  return { flags, aggregates, gate, at: Date.now() };
}

/** Sends one admin change; resolves with the server's error message when it refuses it. */
export async function adminCall(
  method: 'POST' | 'PATCH',
  path: string,
  body: unknown,
): Promise<string | null> {
  const response = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return null;
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: string; path?: string };
    return `${parsed.error ?? text}${parsed.path ? ` (at ${parsed.path})` : ''}`;
  } catch {
    return text || `${response.status}`;
  }
}

/** The admin API's changes, named for what the release manager does. */
export const admin = {
  setFlag: (on: boolean) => adminCall('POST', '/admin/flag', { on }),
  setStage: (stage: string | null) => adminCall('POST', '/admin/stage', { stage }),
  patchStage: (stage: string, patch: { percentage?: number; regions?: string[]; components?: string[] }) =>
    adminCall('PATCH', `/admin/stages/${encodeURIComponent(stage)}`, patch),
  setKilled: (family: string, killed: boolean) =>
    adminCall('POST', `/admin/families/${encodeURIComponent(family)}`, { killed }),
};

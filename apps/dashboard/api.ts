// The dashboard's calls to the dev server: the flag service's admin API (with the audit trail, the release
// calendar and the recovery check), the collector's aggregates and the gate's decision. Same origin, JSON only.
import type {
  AggregateSummary,
  AuditEntry,
  FlagState,
  GateView,
  RecoveryCheck,
  ReleaseState,
} from 'token-rollout-tools';

/** What `GET /admin/recovery` answers: the latest rollback, its recorded verdict and the check now. */
export interface RecoveryView {
  rollback: AuditEntry | null;
  verdict: AuditEntry | null;
  live: RecoveryCheck | null;
}

/** Everything one poll reads. */
export interface DashboardSnapshot {
  flags: FlagState;
  aggregates: AggregateSummary;
  gate: GateView;
  release: ReleaseState;
  audit: AuditEntry[];
  recovery: RecoveryView;
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
  const [flags, aggregates, gate, release, audit, recovery] = await Promise.all([
    getJson<FlagState>('/admin/state'),
    getJson<AggregateSummary>('/aggregates'),
    getJson<GateView>(`/api/gate${gateQuery(search)}`),
    getJson<ReleaseState>('/admin/release'),
    getJson<{ entries: AuditEntry[] }>('/admin/audit?limit=50'),
    getJson<RecoveryView>('/admin/recovery'),
  ]);
  return { flags, aggregates, gate, release, audit: audit.entries, recovery, at: Date.now() };
}

/** The reason typed on the dashboard, sent with every change for the audit trail (set by the Controls). */
let reason = '';

/** Sets the reason the next changes carry (an empty one is sent as none). */
export function setReason(text: string): void {
  reason = text.trim();
}

/**
 * Sends one admin change, marked as the dashboard's and with the typed reason; resolves with the server's
 * error message when it refuses it (a freeze window or a missing approval says so).
 */
export async function adminCall(
  method: 'POST' | 'PATCH',
  path: string,
  body: Record<string, unknown>,
): Promise<string | null> {
  const response = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, source: 'dashboard', ...(reason ? { reason } : {}) }),
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
  approve: (stage: string, by: string) => adminCall('POST', '/admin/approvals', { stage, by }),
};

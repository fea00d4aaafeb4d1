// Reading the audit trail back: the filters `GET /admin/audit` and `token-rollout audit` take (a period,
// kinds, a limit), and the durations the recovery check takes. Pure; errors name the parameter.
import type { AuditEntry, AuditKind } from './types.js';

/** Filters on the audit trail. */
export interface AuditQuery {
  since?: number;
  until?: number;
  kinds?: AuditKind[];
  /** The newest `limit` entries (after the other filters). */
  limit?: number;
}

const KINDS: readonly AuditKind[] = [
  'rollback',
  'advance',
  'edit',
  'approval',
  'verification',
  'external',
  'notice',
];

/** Parses an ISO 8601 date or time (a date alone is midnight UTC); null when it is not one. */
export function parseInstant(text: string): number | null {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Parses "90s", "5m", "1h", "2d" or a bare number of milliseconds; null when it is none of these. */
export function parseDurationMs(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return null;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Number(match[1]) * factor;
}

/** Reads `since`, `until`, `kind` (repeatable or comma-separated) and `limit` from a query string. */
export function parseAuditQuery(
  params: URLSearchParams,
): { ok: true; query: AuditQuery } | { ok: false; error: string } {
  const query: AuditQuery = {};
  for (const name of ['since', 'until'] as const) {
    const text = params.get(name);
    if (text === null) continue;
    const ms = parseInstant(text);
    if (ms === null)
      return {
        ok: false,
        error: `query parameter ${name}: expected an ISO 8601 date or time, got "${text}"`,
      };
    query[name] = ms;
  }
  const kinds = params
    .getAll('kind')
    .flatMap((k) => k.split(','))
    .filter(Boolean);
  const unknown = kinds.find((k) => !(KINDS as readonly string[]).includes(k));
  if (unknown !== undefined)
    return { ok: false, error: `query parameter kind: "${unknown}" is not one of ${KINDS.join(', ')}` };
  if (kinds.length > 0) query.kinds = kinds as AuditKind[];
  const limit = params.get('limit');
  if (limit !== null) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1)
      return { ok: false, error: `query parameter limit: expected a whole number ≥ 1, got "${limit}"` };
    query.limit = n;
  }
  return { ok: true, query };
}

/** The entries that pass `query`, oldest first. */
export function filterAudit(entries: readonly AuditEntry[], query: AuditQuery): AuditEntry[] {
  const out = entries.filter((e) => {
    const at = Date.parse(e.at);
    if (query.since !== undefined && at < query.since) return false;
    if (query.until !== undefined && at >= query.until) return false;
    return query.kinds === undefined || query.kinds.includes(e.kind);
  });
  return query.limit === undefined ? out : out.slice(-query.limit);
}

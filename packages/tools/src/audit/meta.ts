// The audit fields a caller attaches to an admin request: in the JSON body (`reason` or its LaunchDarkly
// name `comment`, `source`, `by`, `evidence`) or, for a curl one-liner, in headers (`X-Rollout-Reason`,
// `X-Rollout-Source`, `X-Rollout-By`; URL-encode non-ASCII text). The body wins when both are given. They
// are taken out of the body before the change itself is checked, so every admin route accepts them.
import type { IncomingHttpHeaders } from 'node:http';
import type { AuditMeta } from './types.js';

/** The body fields that are audit metadata, not part of the change. */
export const AUDIT_FIELDS = ['reason', 'comment', 'source', 'by', 'evidence'] as const;

/** Longest reason kept (LaunchDarkly's comments are of this order too). */
export const MAX_REASON_LENGTH = 2000;
/** Largest evidence object, as JSON. */
export const MAX_EVIDENCE_BYTES = 32 * 1024;
const MAX_BY_LENGTH = 100;
const SOURCE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** A problem with the audit fields: the message and the JSON path (or header) at fault. */
export interface MetaProblem {
  error: string;
  path: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Splits `body` into the change and its audit metadata. Pure. A non-object body is returned as it is
 * (the change's own check refuses it).
 */
export function splitAuditMeta(
  body: unknown,
  headers: IncomingHttpHeaders = {},
): { ok: true; change: unknown; meta: AuditMeta } | { ok: false; problem: MetaProblem } {
  const record =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : null;
  const change: unknown = record
    ? Object.fromEntries(
        Object.entries(record).filter(([k]) => !(AUDIT_FIELDS as readonly string[]).includes(k)),
      )
    : body;
  const fail = (error: string, path: string) => ({ ok: false as const, problem: { error, path } });
  if (
    record &&
    record.reason !== undefined &&
    record.comment !== undefined &&
    record.reason !== record.comment
  ) {
    return fail('give "reason" or "comment", not both', '$.comment');
  }
  const reasonField = record?.reason !== undefined ? 'reason' : 'comment';
  const rawReason = record?.[reasonField] ?? header(headers, 'x-rollout-reason');
  if (rawReason !== undefined && rawReason !== null && typeof rawReason !== 'string') {
    return fail(`"${reasonField}" must be a string`, `$.${reasonField}`);
  }
  const reason = typeof rawReason === 'string' && rawReason.trim() !== '' ? rawReason.trim() : null;
  if (reason !== null && reason.length > MAX_REASON_LENGTH) {
    return fail(`"${reasonField}" is longer than ${MAX_REASON_LENGTH} characters`, `$.${reasonField}`);
  }
  const rawSource = record?.source ?? header(headers, 'x-rollout-source') ?? 'api';
  if (typeof rawSource !== 'string' || !SOURCE_PATTERN.test(rawSource)) {
    return fail('"source" must be a short lower-case name such as "dashboard", "gate" or "cli"', '$.source');
  }
  const rawBy = record?.by ?? header(headers, 'x-rollout-by');
  if (rawBy !== undefined && rawBy !== null && (typeof rawBy !== 'string' || rawBy.length > MAX_BY_LENGTH)) {
    return fail(`"by" must be a name of at most ${MAX_BY_LENGTH} characters`, '$.by');
  }
  const by = typeof rawBy === 'string' && rawBy.trim() !== '' ? rawBy.trim() : null;
  const evidence = record?.evidence ?? null;
  if (evidence !== null && JSON.stringify(evidence).length > MAX_EVIDENCE_BYTES) {
    return fail(
      `"evidence" is larger than ${MAX_EVIDENCE_BYTES} bytes as JSON: send a summary`,
      '$.evidence',
    );
  }
  return { ok: true, change, meta: { reason, source: rawSource, by, evidence } };
}

import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GateReport } from '../gate/report.js';
import { type GateReportLike, gateAuditFields, launchDarklyAuditBody } from './gate.js';
import { AUDIT_FILE, openAuditLog } from './log.js';
import { splitAuditMeta } from './meta.js';
import { filterAudit, parseAuditQuery, parseDurationMs } from './query.js';
import type { AuditDraft } from './types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const draft = (at: string, action: AuditDraft['action'] = 'flag-off'): AuditDraft => ({
  at,
  actor: 'local',
  by: null,
  source: 'api',
  kind: action === 'flag-off' ? 'rollback' : 'advance',
  action,
  target: 'design-tokens-v2',
  changes: ['flag on → off'],
  before: null,
  after: null,
  flags: [{ key: 'design-tokens-v2', from: 1, to: 2 }],
  scope: action === 'flag-off' ? { kind: 'flag' } : null,
  reason: 'test',
  evidence: null,
});

describe('the audit log', () => {
  it('numbers entries, keeps them across a restart and only ever appends', async () => {
    const log = await openAuditLog(dir);
    await log.append(draft('2025-02-10T10:00:00.000Z'));
    await log.append(draft('2025-02-10T11:00:00.000Z', 'set-stage'));
    await log.close();
    const before = await readFile(join(dir, AUDIT_FILE), 'utf8');
    const again = await openAuditLog(dir);
    expect(again.entries().map((e) => e.seq)).toEqual([1, 2]);
    await again.append(draft('2025-02-10T12:00:00.000Z'));
    await again.close();
    const after = await readFile(join(dir, AUDIT_FILE), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.trim().split('\n')).toHaveLength(3);
  });

  it('leaves a torn last line in place, skips it, and starts the next entry on a new line', async () => {
    const log = await openAuditLog(dir);
    await log.append(draft('2025-02-10T10:00:00.000Z'));
    await log.close();
    await appendFile(join(dir, AUDIT_FILE), '{"seq":2,"at":"2025-02-1');
    const again = await openAuditLog(dir);
    expect(again.skipped).toBe(1);
    const entry = await again.append(draft('2025-02-10T12:00:00.000Z'));
    expect(entry.seq).toBe(2);
    await again.close();
    const text = await readFile(join(dir, AUDIT_FILE), 'utf8');
    expect(text).toContain('{"seq":2,"at":"2025-02-1\n{"seq":2,');
    const third = await openAuditLog(dir);
    expect(third.entries().map((e) => e.at)).toEqual([
      '2025-02-10T10:00:00.000Z',
      '2025-02-10T12:00:00.000Z',
    ]);
    await third.close();
  });
});

describe('audit fields of a request', () => {
  it('takes reason, source, by and evidence out of the body and leaves the change', () => {
    const split = splitAuditMeta({ on: false, reason: ' errors up ', source: 'gate', evidence: { x: 1 } });
    expect(split).toEqual({
      ok: true,
      change: { on: false },
      meta: { reason: 'errors up', source: 'gate', by: null, evidence: { x: 1 } },
    });
  });

  it('accepts LaunchDarkly\'s "comment" and the X-Rollout-* headers (URL-encoded)', () => {
    const split = splitAuditMeta(
      { killed: true, comment: 'checkout broken' },
      { 'x-rollout-by': 'Zo%C3%AB' },
    );
    expect(split.ok && split.meta).toMatchObject({ reason: 'checkout broken', by: 'Zoë', source: 'api' });
    const fromHeader = splitAuditMeta(
      { on: false },
      { 'x-rollout-reason': 'stale%20CSS', 'x-rollout-source': 'cli' },
    );
    expect(fromHeader.ok && fromHeader.meta).toMatchObject({ reason: 'stale CSS', source: 'cli' });
  });

  it('refuses a reason that is not text, with its path', () => {
    expect(splitAuditMeta({ on: false, reason: 42 })).toEqual({
      ok: false,
      problem: { error: '"reason" must be a string', path: '$.reason' },
    });
    expect(splitAuditMeta({ on: false, source: 'Not A Source' })).toMatchObject({
      ok: false,
      problem: { path: '$.source' },
    });
  });
});

describe('reading the trail back', () => {
  it('filters by period, kind and limit; errors name the parameter', () => {
    const entries = [1, 2, 3].map((h, i) => ({
      seq: i + 1,
      ...draft(`2025-02-1${h}T00:00:00.000Z`, i === 1 ? 'set-stage' : 'flag-off'),
    }));
    const q = parseAuditQuery(new URLSearchParams('since=2025-02-12&kind=rollback'));
    expect(q.ok && filterAudit(entries, q.query).map((e) => e.seq)).toEqual([3]);
    expect(parseAuditQuery(new URLSearchParams('until=yesterday'))).toEqual({
      ok: false,
      error: 'query parameter until: expected an ISO 8601 date or time, got "yesterday"',
    });
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('5m')).toBe(300_000);
  });
});

describe('what the gate sends', () => {
  const report = {
    stage: 'week1',
    decision: {
      kind: 'rollback' as const,
      scope: 'flag' as const,
      reasons: ['users with a JS error: +4.1 pt'],
    },
    metrics: [
      {
        metric: 'error-rate',
        label: 'users with a JS error',
        estimate: 0.041,
        interval: { lower: 0.02, upper: 0.06 },
        trigger: 0.005,
        margin: 0.001,
        status: { kind: 'rollback', reason: 'worse' },
      },
    ],
    users: { treatment: 40, control: 41 },
  };

  it("takes the gate's own report as it is", () => {
    const fits = (r: GateReport): GateReportLike => r;
    expect(fits).toBeTypeOf('function');
  });

  it('the admin request fields: reason, source gate, and the evidence with the triggering metric', () => {
    const fields = gateAuditFields(report);
    expect(fields.reason).toBe(
      'token-rollout gate: roll back (flag off) at week1: users with a JS error: +4.1 pt',
    );
    expect(fields.source).toBe('gate');
    expect(fields.evidence.triggers).toEqual(['error-rate']);
    expect(fields.evidence.metrics[0]).toMatchObject({ estimate: 0.041, upper: 0.06, trigger: 0.005 });
  });

  it('a LaunchDarkly patch becomes a POST /admin/audit body with the comment as the reason', () => {
    const body = launchDarklyAuditBody({
      url: 'https://app.launchdarkly.com/api/v2/flags/shop/design-tokens-v2',
      body: {
        environmentKey: 'production',
        comment: 'gate: roll back',
        instructions: [{ kind: 'turnFlagOff' }],
      },
    });
    expect(body).toMatchObject({
      action: 'launchdarkly-patch',
      target: 'design-tokens-v2',
      reason: 'gate: roll back',
    });
  });
});

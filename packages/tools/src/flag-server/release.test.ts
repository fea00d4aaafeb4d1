// The admin API's release side: every change recorded once in the audit trail with its reason, freeze
// windows and approvals enforced on advances (never on rollbacks), and the recovery check after a rollback.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gateAuditFields, launchDarklyAuditBody } from '../audit/gate.js';
import type { AuditEntry } from '../audit/types.js';
import type { RecoveryEvent } from '../release/recovery.js';
import { STATE_FILE } from './persist.js';
import { type FlagServer, type FlagServerOptions, startFlagServer } from './server.js';

const FLAGS = join(import.meta.dirname, '../../flags');
let dir: string;
let server: FlagServer;
let clock = Date.parse('2025-02-18T12:00:00Z');
let events: RecoveryEvent[] = [];

async function start(extra: Partial<FlagServerOptions> = {}): Promise<void> {
  server = await startFlagServer({
    flagsDir: join(dir, 'flags'),
    dataDir: join(dir, 'data'),
    now: () => clock,
    events: {
      async *events() {
        yield* events;
      },
    },
    ...extra,
  });
}

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function audit(query = ''): Promise<AuditEntry[]> {
  const res = await call('GET', `/admin/audit${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: AuditEntry[] }).entries;
}

async function calendar(json: unknown): Promise<void> {
  await writeFile(join(dir, 'flags', 'release.json'), JSON.stringify(json));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flag-release-'));
  await cp(FLAGS, join(dir, 'flags'), { recursive: true });
  clock = Date.parse('2025-02-18T12:00:00Z');
  events = [];
});
afterEach(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the audit trail', () => {
  it('records a rollback through the admin API once, with its reason, actor and versions', async () => {
    await start();
    const res = await call('POST', '/admin/flag', {
      on: false,
      reason: 'JS errors on checkout after deploy 412',
    });
    expect(res.status).toBe(200);
    // A retry of the same change changes nothing and adds nothing.
    expect((await call('POST', '/admin/flag', { on: false, reason: 'retry' })).status).toBe(200);
    const entries = await audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      seq: 1,
      actor: 'local',
      source: 'api',
      kind: 'rollback',
      action: 'flag-off',
      target: 'design-tokens-v2',
      changes: ['flag on → off'],
      before: { flagVersion: 1, on: true, stage: 'week1' },
      after: { flagVersion: 2, on: false },
      scope: { kind: 'flag' },
      reason: 'JS errors on checkout after deploy 412',
    });
  });

  it("records the gate's rollback (the admin call gate/admin.ts makes, with the reason fields) once", async () => {
    await start();
    const report = {
      stage: 'week1',
      decision: {
        kind: 'rollback' as const,
        scope: 'families' as const,
        families: ['checkout'],
        reasons: ['checkout errors: +2 pt'],
      },
    };
    const body = { killed: true, ...gateAuditFields(report) };
    // gate/admin.ts retries once on a network error: the second call must not add an entry.
    expect((await call('POST', '/admin/families/checkout', body)).status).toBe(200);
    expect((await call('POST', '/admin/families/checkout', body)).status).toBe(200);
    const entries = await audit('?kind=rollback');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      source: 'gate',
      action: 'kill-family',
      target: 'checkout',
      scope: { kind: 'families', families: ['checkout'] },
      reason: 'token-rollout gate: kill checkout at week1: checkout errors: +2 pt',
      evidence: { decision: 'rollback', families: ['checkout'] },
    });
  });

  it('takes the reason from a header, and the admin token holder as the actor', async () => {
    await start({ adminToken: 'secret' });
    const res = await call(
      'PATCH',
      '/admin/stages/week1',
      { percentage: 2 },
      {
        authorization: 'Bearer secret',
        'x-rollout-reason': 'fewer%20users%20while%20we%20look',
        'x-rollout-by': 'dana',
      },
    );
    expect(res.status).toBe(200);
    const [entry] = (
      (await (await call('GET', '/admin/audit', undefined, { authorization: 'Bearer secret' })).json()) as {
        entries: AuditEntry[];
      }
    ).entries;
    expect(entry).toMatchObject({
      actor: 'admin-token',
      by: 'dana',
      kind: 'rollback',
      reason: 'fewer users while we look',
    });
    expect(entry?.changes).toEqual(['week1 percentage 5 → 2']);
  });

  it('survives a restart and notes a flag changed behind its back', async () => {
    await start();
    await call('POST', '/admin/stage', { stage: 'week2', reason: 'week 1 gate met' });
    await server.close();
    const file = join(dir, 'data', STATE_FILE);
    const state = JSON.parse(await readFile(file, 'utf8')) as { flags: Record<string, { version: number }> };
    state.flags['design-tokens-v2']!.version = 7;
    await writeFile(file, JSON.stringify(state));
    await start();
    const entries = await audit();
    expect(entries.map((e) => e.action)).toEqual(['set-stage', 'out-of-band-change']);
    expect(entries[1]?.changes).toEqual(['design-tokens-v2 version 2 → 7 without an audited change']);
  });

  it('records a LaunchDarkly patch reported by the gate as a rollback', async () => {
    await start();
    const body = launchDarklyAuditBody({
      url: 'https://app.launchdarkly.com/api/v2/flags/shop/design-tokens-v2.checkout',
      body: {
        environmentKey: 'production',
        comment: 'token-rollout gate: kill checkout',
        instructions: [{ kind: 'turnFlagOff' }],
      },
    });
    expect((await call('POST', '/admin/audit', body)).status).toBe(200);
    const [entry] = await audit();
    expect(entry).toMatchObject({
      kind: 'rollback',
      source: 'launchdarkly',
      reason: 'token-rollout gate: kill checkout',
    });
  });
});

describe('freeze windows', () => {
  const freeze = {
    freezes: [
      {
        name: 'Spring campaign',
        from: '2025-02-17',
        until: '2025-02-21',
        reason: 'marketing campaign on checkout',
      },
    ],
  };

  it('refuse an advance (naming the window and until when) and let every rollback through', async () => {
    await calendar(freeze);
    await start();
    const refused = await call('POST', '/admin/stage', { stage: 'week2' });
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { rule: string; error: string; until: string };
    expect(body.rule).toBe('freeze');
    expect(body.error).toContain('"Spring campaign"');
    expect(body.until).toBe('2025-02-21T00:00:00.000Z');
    expect((await call('PATCH', '/admin/stages/week1', { percentage: 10 })).status).toBe(409);
    expect((await call('PATCH', '/admin/stages/week1', { percentage: 2, reason: 'smaller' })).status).toBe(
      200,
    );
    expect((await call('POST', '/admin/families/cards', { killed: true })).status).toBe(200);
    expect((await call('POST', '/admin/flag', { on: false, reason: 'incident' })).status).toBe(200);
    expect((await call('POST', '/admin/flag', { on: true })).status).toBe(409);
    expect((await audit()).map((e) => e.kind)).toEqual(['rollback', 'rollback', 'rollback']);
    clock = Date.parse('2025-02-21T00:00:00Z');
    expect((await call('POST', '/admin/flag', { on: true, reason: 'campaign over' })).status).toBe(200);
  });

  it('a broken calendar refuses advances, naming the file and the path, and never a rollback', async () => {
    await calendar({ freezes: [{ name: 'x', from: 'soon', until: '2025-02-21', reason: 'r' }] });
    await start();
    const refused = await call('POST', '/admin/stage', { stage: 'week2' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /release\.json: \$\.freezes\[0\]\.from/,
    );
    expect((await call('POST', '/admin/flag', { on: false })).status).toBe(200);
  });

  it('the release state shows the freeze in force and what the next stage needs', async () => {
    await calendar({ ...freeze, approvals: { stages: ['week2'] } });
    await start();
    const state = (await (await call('GET', '/admin/release')).json()) as {
      freeze: { name: string; advanceFrom: string } | null;
      next: { stage: string; needsApproval: boolean; approved: boolean; refusal: { rule: string } | null };
    };
    expect(state.freeze).toMatchObject({ name: 'Spring campaign', advanceFrom: '2025-02-21T00:00:00.000Z' });
    expect(state.next).toMatchObject({
      stage: 'week2',
      needsApproval: true,
      approved: false,
      refusal: { rule: 'freeze' },
    });
  });
});

describe('approvals', () => {
  it('an advance waits for its approval; a rollback voids it', async () => {
    await calendar({ approvals: { stages: ['week2'], approvers: ['dana'] } });
    await start();
    const refused = await call('POST', '/admin/stage', { stage: 'week2' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ rule: 'approval', approvalRequired: { stages: ['week2'] } });
    const wrong = await call('POST', '/admin/approvals', { stage: 'week2', by: 'mallory' });
    expect(wrong.status).toBe(400);
    const ok = await call('POST', '/admin/approvals', {
      stage: 'week2',
      by: 'dana',
      reason: 'stakeholders signed off',
    });
    expect(ok.status).toBe(200);
    expect((await call('POST', '/admin/stage', { stage: 'week2', reason: 'approved' })).status).toBe(200);
    expect((await call('POST', '/admin/stage', { stage: 'week1', reason: 'forms regressed' })).status).toBe(
      200,
    );
    expect((await call('POST', '/admin/stage', { stage: 'week2' })).status).toBe(409);
    expect((await audit()).map((e) => `${e.kind}:${e.action}:${e.target}`)).toEqual([
      'approval:approve:week2',
      'advance:set-stage:week2',
      'rollback:set-stage:week1',
    ]);
  });
});

describe('recovery after a rollback', () => {
  function pages(treated: number, stale: number, t: number): RecoveryEvent[] {
    const out: RecoveryEvent[] = [];
    for (let i = 0; i < treated + 10; i++) {
      const user = (0x1000 + i).toString(16).padStart(12, '0');
      const wasTreated = i < treated;
      out.push({
        name: 'page-view',
        user,
        arm: wasTreated ? 'v2' : 'v1',
        ts: t - 60_000,
        receivedAt: t - 60_000,
      });
      const arm = wasTreated && i < stale ? 'v2' : 'v1';
      out.push({ name: 'page-view', user, arm, ts: t + 5_000, receivedAt: t + 5_000 });
    }
    return out;
  }

  it('is checked live and recorded in the audit trail once shown', async () => {
    await start({ recovery: { pollMs: 20 } });
    const flipAt = clock;
    events = pages(20, 0, flipAt);
    clock = flipAt;
    await call('POST', '/admin/flag', { on: false, reason: 'drill' });
    clock = flipAt + 10_000;
    const live = (await (await call('GET', '/admin/recovery')).json()) as { live: { status: string } };
    expect(live.live.status).toBe('recovered');
    await expect.poll(async () => (await audit('?kind=verification')).length, { timeout: 5_000 }).toBe(1);
    const [verdict] = await audit('?kind=verification');
    expect(verdict).toMatchObject({
      actor: 'server',
      action: 'verify-recovery',
      evidence: { rollbackSeq: 1, status: 'recovered' },
    });
  });

  it('not recovered when pages keep rendering v2 until the window ends', async () => {
    await start({ recovery: { pollMs: 20, windowMs: 60_000 } });
    const flipAt = clock;
    events = pages(20, 6, flipAt);
    await call('POST', '/admin/flag', { on: false });
    clock = flipAt + 10_000;
    expect(
      ((await (await call('GET', '/admin/recovery')).json()) as { live: { status: string } }).live.status,
    ).toBe('pending');
    clock = flipAt + 61_000;
    await expect.poll(async () => (await audit('?kind=verification')).length, { timeout: 5_000 }).toBe(1);
    const [verdict] = await audit('?kind=verification');
    expect(verdict?.reason).toMatch(/^not recovered: 14 of 20 returning treated users/);
  });
});

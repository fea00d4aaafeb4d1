import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withStageFields } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/types.js';
import type { FlagDefinition } from '../flag-server/definitions.js';
import { EMPTY_CALENDAR, freezeAt, parseCalendar, type ReleaseCalendar } from './calendar.js';
import { classifyChange, regionsCover } from './classify.js';
import { checkAdvance, checkApproval, validApprovals } from './rules.js';

const FLAGS_DIR = join(import.meta.dirname, '../../flags');
const NOW = Date.parse('2025-02-18T12:00:00Z');

async function shippedFlags(): Promise<FlagDefinition[]> {
  const names = ['design-tokens-v2', 'design-tokens-v2.checkout'];
  return Promise.all(
    names.map(
      async (n) => JSON.parse(await readFile(join(FLAGS_DIR, `${n}.json`), 'utf8')) as FlagDefinition,
    ),
  );
}

function edited(flags: FlagDefinition[], edit: (main: FlagDefinition) => void): FlagDefinition[] {
  const copy = structuredClone(flags);
  edit(copy[0]!);
  return copy;
}

const calendar = (json: unknown): ReleaseCalendar => {
  const parsed = parseCalendar(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.calendar;
};

describe('the release calendar', () => {
  it('reads windows (a date alone is midnight UTC) and says when advancing is possible again', () => {
    const c = calendar({
      freezes: [
        { name: 'Holiday freeze', from: '2025-02-17', until: '2025-02-19T09:00:00Z', reason: 'holidays' },
        {
          name: 'Spring campaign',
          from: '2025-02-19T08:00:00Z',
          until: '2025-02-21',
          reason: 'marketing campaign',
        },
      ],
    });
    const freeze = freezeAt(c, NOW);
    expect(freeze?.window.name).toBe('Holiday freeze');
    expect(new Date(freeze!.until).toISOString()).toBe('2025-02-21T00:00:00.000Z');
    expect(freezeAt(c, Date.parse('2025-02-21T00:00:00Z'))).toBeNull();
  });

  it('names the JSON path of every mistake', () => {
    const parsed = parseCalendar({
      freezes: [{ name: 'x', from: '2025-02-26T09:00', until: '2025-02-20', reason: '' }],
      approvals: { stages: 'some', extra: 1 },
    });
    expect(parsed.ok).toBe(false);
    const paths = parsed.ok ? [] : parsed.issues.map((i) => i.path);
    expect(paths).toEqual([
      '$.freezes[0].reason',
      '$.freezes[0].from',
      '$.approvals.extra',
      '$.approvals.stages',
    ]);
  });
});

describe('advance or rollback', () => {
  it('judges each change by what users get', async () => {
    const flags = await shippedFlags();
    const at = (edit: (m: FlagDefinition) => void) => classifyChange(flags, edited(flags, edit), NOW);
    const setConfig = (m: FlagDefinition, fields: Record<string, unknown>, stage = 'week1') => {
      const e = withStageFields(m.variations[1], stage, fields);
      if (!e.ok) throw new Error(e.error.message);
      m.variations[1] = e.value;
    };
    expect(
      at((m) => {
        m.on = false;
      }),
    ).toMatchObject({ kind: 'rollback', scope: { kind: 'flag' }, changes: ['flag on → off'] });
    expect(
      at((m) => {
        setConfig(m, { percentage: 10 });
      }),
    ).toMatchObject({ kind: 'advance', advancedStages: ['week1'] });
    expect(
      at((m) => {
        setConfig(m, { percentage: 1 });
      }),
    ).toMatchObject({ kind: 'rollback', scope: { kind: 'partial' } });
    expect(
      at((m) => {
        setConfig(m, { regions: ['AU', 'NZ', 'CA'] });
      }).kind,
    ).toBe('advance');
    expect(
      at((m) => {
        setConfig(m, { monitorEvery: 30 });
      }).kind,
    ).toBe('edit');
    expect(
      at((m) => {
        (m.variations[1] as Record<string, unknown>).stage = 'week2';
      }),
    ).toMatchObject({ kind: 'advance', advancedStages: ['week2'] });
    const killed = structuredClone(flags);
    killed[1]!.on = false;
    expect(classifyChange(flags, killed, NOW)).toMatchObject({
      kind: 'rollback',
      scope: { kind: 'families', families: ['checkout'] },
    });
    expect(classifyChange(killed, flags, NOW).kind).toBe('advance');
  });

  it('compares region rules as sets', () => {
    expect(regionsCover({ kind: 'all-except', codes: ['US'] }, { kind: 'only', codes: ['AU', 'CA'] })).toBe(
      true,
    );
    expect(regionsCover({ kind: 'only', codes: ['AU'] }, { kind: 'all-except', codes: ['US'] })).toBe(false);
    expect(
      regionsCover({ kind: 'all-except', codes: ['US'] }, { kind: 'all-except', codes: ['US', 'CA'] }),
    ).toBe(true);
  });
});

const entry = (
  seq: number,
  kind: AuditEntry['kind'],
  action: AuditEntry['action'],
  target = 'week3',
): AuditEntry => ({
  seq,
  at: '2025-02-18T00:00:00Z',
  actor: 'local',
  by: 'dana',
  source: 'api',
  kind,
  action,
  target,
  changes: [],
  before: null,
  after: null,
  flags: [],
  scope: null,
  reason: null,
  evidence: null,
});

describe('the rules an advance must pass', () => {
  const needs = calendar({ approvals: { stages: ['week3'], approvers: ['dana'] } });

  it('refuses inside a freeze window, naming it and until when', () => {
    const c = calendar({
      freezes: [
        { name: 'Spring campaign', from: '2025-02-17', until: '2025-02-21', reason: 'checkout campaign' },
      ],
    });
    const refusal = checkAdvance({
      calendar: c,
      calendarError: null,
      entries: [],
      stages: ['week2'],
      now: NOW,
    });
    expect(refusal?.rule).toBe('freeze');
    expect(refusal?.error).toContain('"Spring campaign"');
    expect(refusal?.error).toContain('2025-02-21T00:00:00.000Z');
  });

  it('asks for an approval, which a later rollback voids', () => {
    const base = { calendar: needs, calendarError: null, stages: ['week3'], now: NOW };
    expect(checkAdvance({ ...base, entries: [] })?.rule).toBe('approval');
    const approved = [entry(1, 'approval', 'approve')];
    expect(checkAdvance({ ...base, entries: approved })).toBeNull();
    const voided = [...approved, entry(2, 'rollback', 'flag-off', 'design-tokens-v2')];
    expect(validApprovals(voided, 'week3')).toEqual([]);
    expect(checkAdvance({ ...base, entries: voided })?.rule).toBe('approval');
  });

  it('refuses every advance while the calendar is broken', () => {
    const refusal = checkAdvance({
      calendar: EMPTY_CALENDAR,
      calendarError: 'release.json: $: bad',
      entries: [],
      stages: [],
      now: NOW,
    });
    expect(refusal?.rule).toBe('calendar');
  });

  it('only named approvers may approve', () => {
    expect(checkApproval({ stage: 'week3', by: 'lee' }, ['week3'], needs)).toMatchObject({
      ok: false,
      path: '$.by',
    });
    expect(checkApproval({ stage: 'week9', by: 'dana' }, ['week3'], needs)).toMatchObject({
      ok: false,
      path: '$.stage',
    });
    expect(checkApproval({ stage: 'week3', by: 'dana' }, ['week3'], needs)).toEqual({
      ok: true,
      stage: 'week3',
      by: 'dana',
    });
  });
});

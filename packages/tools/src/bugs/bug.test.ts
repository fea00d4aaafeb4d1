import { describe, expect, it } from 'vitest';
import { applyRecord, asRecord, type Bug, parseBugReport } from './bug.js';

const NOW = Date.UTC(2026, 1, 12, 9);

describe('parseBugReport', () => {
  it('takes id, severity, title, link and time, stamped with the server receive time', () => {
    const r = parseBugReport(
      {
        id: 'WEB-123',
        severity: 'P1',
        title: ' Checkout button invisible ',
        link: 'https://t.test/WEB-123',
        time: '2026-02-12T08:00:00Z',
      },
      NOW,
    );
    expect(r).toEqual({
      ok: true,
      report: {
        op: 'report',
        id: 'WEB-123',
        severity: 'P1',
        title: 'Checkout button invisible',
        link: 'https://t.test/WEB-123',
        reportedAt: Date.UTC(2026, 1, 12, 8),
        receivedAt: NOW,
      },
    });
    expect(parseBugReport({ id: 'gh#42', severity: 'P3', title: 'x' }, NOW)).toMatchObject({
      ok: true,
      report: { reportedAt: NOW, link: null },
    });
  });

  it('names the field that is wrong', () => {
    const cases: [unknown, string][] = [
      [[], '$'],
      [{ id: 'a b', severity: 'P1', title: 'x' }, '$.id'],
      [{ id: 'A-1', severity: 'P0', title: 'x' }, '$.severity'],
      [{ id: 'A-1', severity: 'P1', title: '  ' }, '$.title'],
      [{ id: 'A-1', severity: 'P1', title: 'x', link: 'javascript:alert(1)' }, '$.link'],
      [{ id: 'A-1', severity: 'P1', title: 'x', time: 'yesterday' }, '$.time'],
      [{ id: 'A-1', severity: 'P1', title: 'x', priority: 'high' }, '$.priority'],
    ];
    for (const [body, path] of cases) {
      const r = parseBugReport(body, NOW);
      expect(r.ok ? null : r.problem.path, JSON.stringify(body)).toBe(path);
    }
  });

  it('refuses a time well after the server clock, and takes a slightly fast one as the receive time', () => {
    const late = parseBugReport({ id: 'A-1', severity: 'P1', title: 'x', time: NOW + 3_600_000 }, NOW);
    expect(late.ok ? '' : late.problem.error).toMatch(/"time" is 60 min after the server's clock/);
    expect(parseBugReport({ id: 'A-1', severity: 'P1', title: 'x', time: NOW + 60_000 }, NOW)).toMatchObject({
      report: { reportedAt: NOW },
    });
  });
});

describe('the log fold', () => {
  it('reports, withdraws and re-opens', () => {
    const bugs = new Map<string, Bug>();
    const report = {
      op: 'report' as const,
      id: 'A-1',
      severity: 'P1' as const,
      title: 'x',
      link: null,
      reportedAt: 1,
      receivedAt: 1,
    };
    applyRecord(bugs, report);
    applyRecord(bugs, { op: 'withdraw', id: 'A-1', receivedAt: 5 });
    expect(bugs.get('A-1')!.withdrawnAt).toBe(5);
    applyRecord(bugs, { ...report, receivedAt: 9, reportedAt: 9 });
    expect(bugs.get('A-1')).toMatchObject({ withdrawnAt: null, reportedAt: 9 });
    expect(asRecord({ op: 'report', id: 'x' })).toBeNull();
  });
});

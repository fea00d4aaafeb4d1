import { describe, expect, it } from 'vitest';
import { applyToFlagServer } from './admin.js';

function fakeServer(state: unknown, failFirst = false) {
  const calls: string[] = [];
  let failed = false;
  const fetcher = (async (input: string | URL | Request, init?: RequestInit) => {
    if (failFirst && !failed) {
      failed = true;
      throw new TypeError('fetch failed');
    }
    calls.push(`${init?.method} ${String(input)} ${typeof init?.body === 'string' ? init.body : ''}`.trim());
    return new Response(JSON.stringify(String(input).endsWith('/admin/state') ? state : { ok: true }));
  }) as typeof fetch;
  return { calls, fetcher };
}

const stages = [{ name: 'week1' }, { name: 'week2' }];

describe('applyToFlagServer', () => {
  it('retries once when the connection drops, since every admin call is idempotent', async () => {
    const server = fakeServer({}, true);
    const result = await applyToFlagServer(
      { kind: 'rollback', scope: 'flag', reasons: [] },
      'week1',
      { url: 'http://fs/' },
      server.fetcher,
    );
    expect(server.calls).toEqual(['POST http://fs/admin/flag {"on":false}']);
    expect(result.applied).toHaveLength(1);
  });

  it('kills each family through its own route', async () => {
    const server = fakeServer({});
    await applyToFlagServer(
      { kind: 'rollback', scope: 'families', families: ['cards'], reasons: [] },
      'week1',
      { url: 'http://fs' },
      server.fetcher,
    );
    expect(server.calls).toEqual(['POST http://fs/admin/families/cards {"killed":true}']);
  });

  it('says the rollout is complete when asked to advance past the last stage', async () => {
    const server = fakeServer({ on: true, activeStage: 'week2', stages });
    const result = await applyToFlagServer(
      { kind: 'advance', nextStage: null, reasons: [] },
      'week2',
      { url: 'http://fs' },
      server.fetcher,
    );
    expect(result.skipped).toEqual(['advance: week2 is the last stage, the rollout is complete']);
    expect(server.calls).toEqual(['GET http://fs/admin/state']);
  });

  it('names the URL when the state answer is not the admin state', async () => {
    const server = fakeServer({ hello: 1 });
    await expect(
      applyToFlagServer(
        { kind: 'advance', nextStage: 'week2', reasons: [] },
        'week1',
        { url: 'http://fs' },
        server.fetcher,
      ),
    ).rejects.toThrow('http://fs/admin/state did not return {on, stage, stages: [...]}');
  });

  it('reports an advance the flag server refuses (a freeze window) as waiting, not as a failure', async () => {
    const calls: string[] = [];
    const fetcher = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push(`${init?.method} ${String(input)}`);
      if (String(input).endsWith('/admin/state'))
        return new Response(JSON.stringify({ on: true, activeStage: 'week1', stages }));
      const refusal = {
        rule: 'freeze',
        error: 'holiday freeze: no advance',
        until: '2026-12-27T00:00:00.000Z',
      };
      return new Response(JSON.stringify(refusal), { status: 409 });
    }) as typeof fetch;
    const result = await applyToFlagServer(
      { kind: 'advance', nextStage: 'week2', reasons: [] },
      'week1',
      { url: 'http://fs' },
      fetcher,
      { reason: 'token-rollout gate: advance', source: 'gate' },
    );
    expect(result.applied).toEqual([]);
    expect(result.skipped).toEqual([
      'advance to week2 waits: holiday freeze: no advance (until 2026-12-27T00:00:00.000Z)',
    ]);
    expect(calls).toEqual(['GET http://fs/admin/state', 'POST http://fs/admin/stage']);
  });
});

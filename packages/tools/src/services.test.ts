import { afterAll, describe, expect, it } from 'vitest';
import { sampleSession } from '../../../test-support/collector/sample-events.js';
import { mulberry32 } from '../../../test-support/random.js';
import { tempDirs } from '../../../test-support/temp-dirs.js';
import { defaultFlagsDir } from './default-flags.js';
import { parseServicesArgs, startServices } from './services.js';

const dirs = tempDirs('services-');
afterAll(() => dirs.removeAll());
const flagsDir = defaultFlagsDir();

describe('token-rollout serve (flag service + collector on one port)', () => {
  it('answers LaunchDarkly, admin and collector routes, and the gate can read what was collected', async () => {
    const server = await startServices({ port: 0, flagsDir, dataDir: dirs.make() });
    try {
      const state = (await (await fetch(`${server.url}/admin/state`)).json()) as { flagKey: string };
      expect(state.flagKey).toBe('design-tokens-v2');
      const context = Buffer.from(JSON.stringify({ kind: 'user', key: 'u1', region: 'AU' })).toString(
        'base64url',
      );
      const evalx = (await (
        await fetch(`${server.url}/sdk/evalx/local/contexts/${context}`)
      ).json()) as Record<string, { value: unknown }>;
      expect(evalx['design-tokens-v2']?.value).toMatchObject({ week1: { percentage: 5 } });

      const events = sampleSession(mulberry32(1), 'session-1', Date.now());
      const posted = await fetch(`${server.url}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(events),
      });
      expect(await posted.json()).toMatchObject({ accepted: events.length, rejected: 0 });
      // The collector's export sits under /events/, next to LaunchDarkly's event routes: both must work.
      const exported = (await (await fetch(`${server.url}/events/export`)).text()).trim().split('\n');
      expect(exported).toHaveLength(events.length);
      const bulk = await fetch(`${server.url}/events/bulk/local`, { method: 'POST', body: '[]' });
      expect(bulk.status).toBeLessThan(300);
    } finally {
      await server.close();
    }
  });

  it('mounts the gate endpoint and the bug service on the same port', async () => {
    const server = await startServices({ port: 0, flagsDir, dataDir: dirs.make() });
    try {
      const gate = (await (await fetch(`${server.url}/api/gate`)).json()) as { decision: string };
      expect(gate.decision).toBe('none');
      const reported = await fetch(`${server.url}/bugs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'WEB-1', severity: 'P1', title: 'checkout button invisible on v2' }),
      });
      expect(reported.status).toBeLessThan(300);
      const listed = (await (await fetch(`${server.url}/bugs`)).json()) as { bugs: { id: string }[] };
      expect(listed.bugs.map((b) => b.id)).toEqual(['WEB-1']);
      expect(server.bugs?.list().map((b) => b.id)).toEqual(['WEB-1']);
    } finally {
      await server.close();
    }
  });

  it('refuses a non-loopback host without both tokens, and names what is missing', async () => {
    await expect(startServices({ host: '0.0.0.0', port: 0, flagsDir, dataDir: dirs.make() })).rejects.toThrow(
      /--admin-token and --collector-token/,
    );
  });

  it('parses its options and rejects a bad port by name', () => {
    expect(parseServicesArgs(['--port', '0', '--data', 'x'], {})).toMatchObject({
      port: 0,
      host: '127.0.0.1',
    });
    expect(() => parseServicesArgs(['--port', 'abc'], {})).toThrow(/--port must be an integer/);
    expect(() => parseServicesArgs(['--nope'], {})).toThrow();
  });
});

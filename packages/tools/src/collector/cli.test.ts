import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../../test-support/temp-dirs.js';
import { collectorCli, parseCollectorArgs } from './cli.js';

const dirs = tempDirs('collector-cli-');
afterAll(() => dirs.removeAll());

describe('collector command', () => {
  it('parses options with loopback defaults, and the token from the environment', () => {
    expect(parseCollectorArgs([], {})).toEqual({
      dataDir: resolve('.data/collector'),
      port: 8031,
      host: '127.0.0.1',
    });
    expect(
      parseCollectorArgs(['--data', 'd', '--port', '0', '--max-batch', '50'], {
        TOKEN_ROLLOUT_COLLECTOR_TOKEN: 't',
      }),
    ).toEqual({ dataDir: resolve('d'), port: 0, host: '127.0.0.1', token: 't', maxBatch: 50 });
  });

  it('names the bad option', () => {
    expect(() => parseCollectorArgs(['--port', 'http'], {})).toThrow(
      '--port must be an integer from 0 to 65535, got "http"',
    );
    expect(() => parseCollectorArgs(['--max-body-bytes', '10'], {})).toThrow(
      '--max-body-bytes must be an integer',
    );
    expect(() => parseCollectorArgs(['--prot', '1'], {})).toThrow(/--prot/);
  });

  it('starts a collector and prints where beacons go', async () => {
    const lines: string[] = [];
    const dir = dirs.make();
    const server = await collectorCli(['--data', dir, '--port', '0', '--token', 'secret'], (line) =>
      lines.push(line),
    );
    try {
      expect(lines[0]).toBe(`collector: ${server.url} (events in ${dir}/events.duckdb: 0 stored)`);
      expect(lines).toContain(`  beacons:    POST ${server.collectUrl}`);
      expect(server.collectUrl).toMatch(/\/collect\?key=[\w-]{32}$/);
      expect((await fetch(`${server.url}/aggregates`)).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

// The server's flag sources against the local flag server and a LaunchDarkly-like client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLAG_KEY } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { startFlagServer } from '../flag-server/index.js';
import { contextOf, flagServerFlags, launchDarklyServerFlags, valuesFrom } from './flags.js';

const flagsDir = fileURLToPath(new URL('../../flags', import.meta.url));

describe('server flag sources', () => {
  it('reads the config and the kill switches from the local flag server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ssr-flags-'));
    const server = await startFlagServer({ flagsDir, dataDir });
    try {
      const values = await flagServerFlags({ url: server.url, clientSideId: 'local-dev' }).values({
        key: 'u-1',
        region: 'AU',
      });
      expect(values.config).toMatchObject({ stage: expect.any(String), salt: FLAG_KEY });
      expect(values.switches).toMatchObject({ buttons: true, checkout: true });
      const down = flagServerFlags({
        url: server.url,
        clientSideId: 'x',
        fetch: async () => new Response('', { status: 503 }),
      });
      await expect(down.values({ key: 'u' })).rejects.toThrow(/answered 503/);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("asks a LaunchDarkly server client with the browser SDK's context", async () => {
    const seen: unknown[] = [];
    const client = {
      allFlagsState: async (context: Record<string, unknown>) => {
        seen.push(context);
        return { allValues: () => ({ [FLAG_KEY]: { stage: 'a' }, [`${FLAG_KEY}.forms`]: false, other: 1 }) };
      },
    };
    const values = await launchDarklyServerFlags(client).values({ key: 'k', region: 'NZ' });
    expect(values).toEqual({ config: { stage: 'a' }, switches: { forms: false } });
    expect(seen).toEqual([{ kind: 'user', key: 'k', region: 'NZ' }]);
    expect(contextOf({ key: 'k' })).toEqual({ kind: 'user', key: 'k' });
    expect(valuesFrom({})).toEqual({ config: null, switches: {} });
  });
});

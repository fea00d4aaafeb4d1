// Proof that our bucketing is LaunchDarkly's: the real server SDK, fed a percentage-rollout flag through
// its TestData source (no network, no events), puts exactly the same keys in and out as bucketOf.
import { init, integrations, type LDClient } from '@launchdarkly/node-server-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAG_KEY } from '../families.js';
import { bucketOf, inRollout } from './bucket.js';

const KEYS = fc.sample(
  fc.oneof(fc.uuid(), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 })),
  10_000,
);

let client: LDClient;
let td: integrations.TestData;
let version = 1;

/** Publishes `flagKey` as a boolean flag whose fallthrough is a `percentage` rollout by user key. */
async function publishRollout(flagKey: string, salt: string, percentage: number): Promise<void> {
  const weight = Math.round(percentage * 1000);
  // biome-ignore lint/correctness/useHookAtTopLevel: LaunchDarkly's TestData method, not a React hook.
  await td.usePreconfiguredFlag({
    key: flagKey,
    version: version++,
    on: true,
    salt,
    variations: [true, false],
    offVariation: 1,
    fallthrough: {
      rollout: {
        bucketBy: 'key',
        variations: [
          { variation: 0, weight },
          { variation: 1, weight: 100000 - weight },
        ],
      },
    },
    targets: [],
    rules: [],
    prerequisites: [],
  });
}

beforeAll(async () => {
  td = new integrations.TestData();
  client = init('sdk-key-unused', {
    updateProcessor: td.getFactory(),
    sendEvents: false,
    diagnosticOptOut: true,
    logger: { error() {}, warn() {}, info() {}, debug() {} },
  });
  await client.waitForInitialization({ timeout: 5 });
});

afterAll(() => client.close());

describe('LaunchDarkly equivalence', () => {
  for (const [flagKey, salt] of [
    [FLAG_KEY, FLAG_KEY],
    ['design-tokens-v2', 'a3f9c0d1e2'],
  ] as const) {
    for (const percentage of [5, 25, 50, 99.999]) {
      it(`${flagKey} salt ${salt} at ${percentage}%: the SDK and bucketOf agree for 10,000 keys`, async () => {
        await publishRollout(flagKey, salt, percentage);
        const mismatches: string[] = [];
        let inside = 0;
        for (const key of KEYS) {
          const ld = await client.variation(flagKey, { kind: 'user', key }, null);
          const ours = inRollout(bucketOf(flagKey, salt, key), percentage);
          if (ours) inside++;
          if (ld !== ours) mismatches.push(key);
        }
        expect(mismatches).toEqual([]);
        // Guard against a vacuous pass: the rollout really split the keys at about the percentage.
        expect(Math.abs((inside / KEYS.length) * 100 - percentage)).toBeLessThan(2);
      });
    }
  }

  it('agrees at the boundary: a key just above or exactly at the threshold is out, just below is in', async () => {
    for (const key of KEYS.slice(0, 25)) {
      const bucket = bucketOf(FLAG_KEY, FLAG_KEY, key);
      const below = Math.floor(bucket * 100000); // weight whose threshold is at or just under the bucket
      for (const weight of [below, below + 1]) {
        const percentage = weight / 1000;
        await publishRollout(FLAG_KEY, FLAG_KEY, percentage);
        const ld = await client.variation(FLAG_KEY, { kind: 'user', key }, null);
        expect(ld, `key ${key} weight ${weight}`).toBe(inRollout(bucket, percentage));
        expect(ld).toBe(weight === below + 1);
      }
    }
  });
});

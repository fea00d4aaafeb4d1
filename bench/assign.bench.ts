// Assignment throughput: resolveAssignment decisions per second for all eight families, the share of that
// time spent in the rollout hash, and the hand-written SHA-1 against node:crypto and against LaunchDarkly's
// own way (node:crypto hex digest + parseInt), all measured in this run on the same keys.
import { createHash, randomUUID } from 'node:crypto';
import { bucketOf } from '../src/assign/bucket.js';
import { resolveAssignment } from '../src/assign/resolve.js';
import type { AssignmentContext } from '../src/assign/types.js';
import { parseRolloutConfig } from '../src/config/parse.js';
import { FAMILIES } from '../src/families.js';
import { sha1Hex, sha1Into } from '../src/hash/sha1.js';
import { SEED_CONFIG_EXTENDED, SEED_STAGE_DATES } from '../test-support/seed-config.js';
import type { BenchContext } from './run.js';

const REGIONS = ['AU', 'NZ', 'CA', 'US', 'FR', 'DE', 'JP', 'BR', undefined];

/** CPU time of this process in ms: on a shared machine, time spent descheduled is not ours to count. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `body(i)` over 0..n-1 repeatedly for at least `ms` of CPU time; returns operations per CPU second. */
function opsPerSecond(n: number, ms: number, body: (i: number) => number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) sink += body(i); // warm-up: let the JIT settle before timing
  let ops = 0;
  const start = cpuMs();
  let elapsed = 0;
  do {
    for (let i = 0; i < n; i++) sink += body(i);
    ops += n;
    elapsed = cpuMs() - start;
  } while (elapsed < ms);
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the results alive');
  return (ops / elapsed) * 1000;
}

export default async function assign(ctx: BenchContext) {
  const quick = ctx.args.includes('--quick');
  const n = quick ? 20_000 : 100_000;
  const ms = quick ? 200 : 700;
  // The machine is shared: figures are per CPU second, the best of several interleaved rounds.
  const rounds = quick ? 2 : 4;
  const parsed = parseRolloutConfig(SEED_CONFIG_EXTENDED);
  if (!parsed.ok) throw new Error('seed config does not parse');
  const config = parsed.config;
  const contexts: AssignmentContext[] = Array.from({ length: n }, (_, i) => ({
    key: randomUUID(),
    region: REGIONS[i % REGIONS.length],
  }));
  const hashInputs = contexts.map((c) => `${config.flagKey}.${config.salt}.${c.key}`);
  const words = new Uint32Array(5);
  const at = (week: keyof typeof SEED_STAGE_DATES) => Date.parse(SEED_STAGE_DATES[week]) + 1;
  const decide = (now: number) => (i: number) =>
    resolveAssignment(config, contexts[i]!, now).families.buttons.version === 'v2' ? 1 : 0;

  const cases: Record<string, (i: number) => number> = {
    'resolveAssignment week1 (AU/NZ, 2 families)': decide(at('week1')),
    'resolveAssignment week3 (all-except-US, 7 families)': decide(at('week3')),
    'resolveAssignment week4 (all, 8 families)': decide(at('week4')),
    'bucketOf (hand-written SHA-1 + bucket)': (i) => bucketOf(config.flagKey, config.salt, contexts[i]!.key),
    'sha1Into (hand-written, words)': (i) => sha1Into(hashInputs[i]!, words)[0]!,
    'sha1Hex (hand-written, hex string)': (i) => sha1Hex(hashInputs[i]!).length,
    "node:crypto createHash('sha1').digest()": (i) =>
      createHash('sha1').update(hashInputs[i]!).digest().readUInt32BE(0),
    'LaunchDarkly style: node:crypto hex + parseInt': (i) =>
      parseInt(createHash('sha1').update(hashInputs[i]!).digest('hex').substring(0, 15), 16) / 2 ** 60,
  };
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, body] of Object.entries(cases))
      best[name] = Math.max(best[name] ?? 0, opsPerSecond(n, ms, body));
  }
  const get = (name: string) => Math.round(best[name] ?? 0);
  // Week 3 checks every family for most users (region passes, 7 of 8 families): the heaviest path.
  const decisionsPerSecond = get('resolveAssignment week3 (all-except-US, 7 families)');
  const bucketsPerSecond = get('bucketOf (hand-written SHA-1 + bucket)');
  const hashShare = decisionsPerSecond / bucketsPerSecond;

  ctx.table(
    `operations per CPU second, best of ${rounds} rounds, ${n} random keys`,
    Object.keys(cases).map((name) => ({ what: name, 'ops/s': get(name) })),
  );
  ctx.table('summary', [
    {
      decisionsPerSecond,
      goal: 1_000_000,
      hashShare: hashShare.toFixed(3),
      'SHA-1 vs node:crypto': (
        get('sha1Into (hand-written, words)') / get("node:crypto createHash('sha1').digest()")
      ).toFixed(2),
    },
  ]);
  return {
    families: FAMILIES.length,
    keys: n,
    rounds,
    timing: 'process CPU time (user + system), best round',
    decisionsPerSecond,
    decisionsPerSecondByStage: {
      week1: get('resolveAssignment week1 (AU/NZ, 2 families)'),
      week3: decisionsPerSecond,
      week4: get('resolveAssignment week4 (all, 8 families)'),
    },
    goalDecisionsPerSecond: 1_000_000,
    hashShare: Number(hashShare.toFixed(4)),
    bucketsPerSecond,
    hashesPerSecond: get('sha1Into (hand-written, words)'),
    hexHashesPerSecond: get('sha1Hex (hand-written, hex string)'),
    nodeCryptoHashesPerSecond: get("node:crypto createHash('sha1').digest()"),
    launchDarklyStyleBucketsPerSecond: get('LaunchDarkly style: node:crypto hex + parseInt'),
  };
}

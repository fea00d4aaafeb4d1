// `npm run figures`: the README's figures table, in Markdown, from bench/results/*.json (written by
// `npm run bench`). Each row names its goal and the benchmark that measured it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../bench/results/', import.meta.url));
type Json = Record<string, unknown>;
const read = (name: string): Json | undefined =>
  existsSync(join(dir, `${name}.json`))
    ? (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Json)
    : undefined;
const num = (o: Json | undefined, path: string): number | undefined => {
  let v: unknown = o;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Json)[k] : undefined;
  return typeof v === 'number' ? v : undefined;
};
const fmt = (n: number | undefined, unit = '', digits = 0) =>
  n === undefined ? 'not measured' : `${n.toLocaleString('en-US', { maximumFractionDigits: digits })}${unit}`;
const ok = (n: number | undefined, pass: (x: number) => boolean) =>
  n === undefined ? '' : pass(n) ? 'met' : '**missed**';

const sizes = read('sizes');
const theme = read('theme-switch');
const fcp = read('fcp');
const boot = read('boot');
const flip = read('flip');
const assign = read('assign');
const lighthouse = read('lighthouse');
const gate = read('gate');
const collector = read('collector');
const leaks = read('leaks');
const store = read('store');

const rows: [string, string, string, string, string][] = [
  [
    'SDK before first paint (eager), min+gzip (`sizes`)',
    fmt(num(sizes, 'sdkEagerGzipBytes'), ' B'),
    '≤ 8,192 B',
    ok(num(sizes, 'sdkEagerGzipBytes'), (x) => x <= 8192),
    'LaunchDarkly v3 18.7 KB, v4 36.8 KB, GrowthBook 14.5 KB, Unleash 8.1 KB, OpenFeature 7.1 KB',
  ],
  [
    'SDK eager + monitoring chunk, min+gzip (`sizes`)',
    fmt(num(sizes, 'sdkTotalGzipBytes'), ' B'),
    '≤ 14,336 B',
    ok(num(sizes, 'sdkTotalGzipBytes'), (x) => x <= 14336),
    'the chunk is fetched after first paint, started after the `load` event',
  ],
  [
    'Boot snippet, gzip (`sizes`)',
    fmt(num(sizes, 'bootGzipBytes'), ' B'),
    '≤ 1,024 B',
    ok(num(sizes, 'bootGzipBytes'), (x) => x <= 1024),
    `raw ${fmt(num(sizes, 'bootBytes'), ' B')}`,
  ],
  ['React binding, gzip (`sizes`)', fmt(num(sizes, 'reactGzipBytes'), ' B'), '', '', 'next-themes 1.5 KB'],
  [
    'Token CSS v2, whole site (`sizes`)',
    fmt(num(sizes, 'v2TotalBytes'), ' B'),
    '≤ 27,000 B',
    ok(num(sizes, 'v2TotalBytes'), (x) => x <= 27000),
    `gzip ${fmt(num(sizes, 'v2TotalGzipBytes'), ' B')}; two-family page ${fmt(num(sizes, 'twoFamilyBytes'), ' B')}`,
  ],
  [
    'Token CSS v1 monolith (`sizes`)',
    fmt(num(sizes, 'v1TotalBytes'), ' B'),
    '≈ 121 KB (baseline)',
    '',
    `gzip ${fmt(num(sizes, 'v1TotalGzipBytes'), ' B')}`,
  ],
  [
    'Theme switch v2 p95, 1x (`theme-switch`)',
    fmt(num(theme, 'v2P95Ms'), ' ms', 1),
    '≤ 16.7 ms',
    ok(num(theme, 'v2P95Ms'), (x) => x <= 16.7),
    `v1 ${fmt(num(theme, 'v1P95Ms'), ' ms', 1)}; ratio v2/v1 ${fmt(num(theme, 'ratioP95'), '', 2)} (goal ≤ 0.25); ${fmt(num(theme, 'elements'))} elements`,
  ],
  [
    'Theme switch v2 p95, 4x CPU (`theme-switch`)',
    fmt(num(theme, 'throttle4x.v2P95Ms'), ' ms', 1),
    '≤ 50 ms',
    ok(num(theme, 'throttle4x.v2P95Ms'), (x) => x <= 50),
    `v1 ${fmt(num(theme, 'throttle4x.v1P95Ms'), ' ms', 1)}; ratio ${fmt(num(theme, 'throttle4x.ratioP95'), '', 2)}`,
  ],
  [
    `Theme switch until fully painted, shipped \`${String(theme?.shipped ?? '?')}\`, p95 1x / 4x (\`theme-switch\`)`,
    `${fmt(num(theme, `mechanisms.${String(theme?.shipped)}.p95Ms1x`), '', 1)} / ${fmt(num(theme, `mechanisms.${String(theme?.shipped)}.p95Ms4x`), ' ms', 1)}`,
    '≤ 50 / ≤ 100 ms',
    ok(
      Math.max(
        (num(theme, `mechanisms.${String(theme?.shipped)}.p95Ms1x`) ?? Number.NaN) / 50,
        (num(theme, `mechanisms.${String(theme?.shipped)}.p95Ms4x`) ?? Number.NaN) / 100,
      ),
      (x) => x <= 1,
    ),
    `today's attribute switch ${fmt(num(theme, 'mechanisms.attribute.p95Ms1x'), '', 1)} / ${fmt(num(theme, 'mechanisms.attribute.p95Ms4x'), ' ms', 1)}; main thread in 300 ms: ${fmt(num(theme, `mechanisms.${String(theme?.shipped)}.mainThreadMs1x`), '', 1)} vs ${fmt(num(theme, 'mechanisms.attribute.mainThreadMs1x'), ' ms', 1)} (1x); load average ${fmt(num(theme, 'loadAverage.before'), '', 1)}`,
  ],
  [
    'Theme switch v2 p95, 1x, `content-visibility` page, frame work (`theme-switch`)',
    fmt(num(theme, 'contentVisibility.frameStart.v2P95Ms'), ' ms', 1),
    '≤ 16.7 ms',
    ok(num(theme, 'contentVisibility.frameStart.v2P95Ms'), (x) => x <= 16.7),
    `call to paint ${fmt(num(theme, 'contentVisibility.v2P95Ms'), ' ms', 1)}; v1 ${fmt(num(theme, 'contentVisibility.frameStart.v1P95Ms'), ' ms', 1)}; ratio ${fmt(num(theme, 'contentVisibility.frameStart.ratioP95'), '', 2)}; off-screen sections skip style`,
  ],
  [
    'Theme switch v2 p95, 4x, `content-visibility` page, frame work (`theme-switch`)',
    fmt(num(theme, 'contentVisibility.frameStart.throttle4x.v2P95Ms'), ' ms', 1),
    '≤ 50 ms',
    ok(num(theme, 'contentVisibility.frameStart.throttle4x.v2P95Ms'), (x) => x <= 50),
    `call to paint ${fmt(num(theme, 'contentVisibility.throttle4x.v2P95Ms'), ' ms', 1)}; v1 ${fmt(num(theme, 'contentVisibility.frameStart.throttle4x.v1P95Ms'), ' ms', 1)}; ratio ${fmt(num(theme, 'contentVisibility.frameStart.throttle4x.ratioP95'), '', 2)}`,
  ],
  [
    'FCP v2/v1, mobile, HTTP/2 (`fcp`)',
    fmt(num(fcp, 'ratioV2V1'), '', 3),
    '≤ 0.8',
    ok(num(fcp, 'ratioV2V1'), (x) => x <= 0.8),
    `v1 ${fmt(num(fcp, 'v1MedianMs'), ' ms')}, v2 ${fmt(num(fcp, 'v2MedianMs'), ' ms')} (goal ≤ 1,000 ms); HTTP/1.1 ratio ${fmt(num(fcp, 'http1.ratioV2V1'), '', 3)}`,
  ],
  [
    'FCP, first visit decided on the server, CSS inline, mobile (`fcp`)',
    fmt(num(fcp, 'serverDecided.h2.fcpMedianMs'), ' ms'),
    '≤ 1,000 ms',
    ok(num(fcp, 'serverDecided.h2.fcpMedianMs'), (x) => x <= 1000),
    `p95 ${fmt(num(fcp, 'serverDecided.h2.fcpP95Ms'), ' ms')}; ${fmt(num(fcp, 'serverDecided.h2.ratioToV1'), '', 3)} of the v1 page; ${fmt(num(fcp, 'serverDecided.h2.renderBlockingRequests'))} render-blocking requests`,
  ],
  [
    'SDK cost on FCP (`fcp`)',
    fmt(num(fcp, 'sdkCostMs'), ' ms'),
    '≤ 5 % of FCP',
    ok(num(fcp, 'sdkCostShare'), (x) => x <= 0.05),
    `${fmt((num(fcp, 'sdkCostShare') ?? Number.NaN) * 100, ' %', 1)} of v2 FCP`,
  ],
  [
    'Returning user: requests for the decision (`boot`)',
    fmt(num(boot, 'decisionRequests')),
    '0',
    ok(num(boot, 'decisionRequests'), (x) => x === 0),
    `snippet runs ${fmt(num(boot, 'bootMs'), ' ms', 1)} (1x), ${fmt(num(boot, 'bootMsThrottle4x'), ' ms', 1)} (4x)`,
  ],
  [
    'Returning user, all-v2 page in a partial stage: v1 CSS requests (`boot`)',
    fmt(num(boot, 'v1CssRequestsAllV2PagePartialStage')),
    '0',
    ok(num(boot, 'v1CssRequestsAllV2PagePartialStage'), (x) => x === 0),
    `${fmt(num(boot, 'partialStage.undeclared.v1CssRequests'))} without declared families`,
  ],
  [
    'Flag off → decision v1, p95 (`flip`)',
    fmt(num(flip, 'p95Ms'), ' ms', 1),
    '≤ 250 ms',
    ok(num(flip, 'p95Ms'), (x) => x <= 250),
    `p50 ${fmt(num(flip, 'p50Ms'), ' ms', 1)}; stylesheet v1 p95 ${fmt(num(flip, 'cssP95Ms'), ' ms')}`,
  ],
  [
    'Assignment, decisions/s, 8 families (`assign`)',
    fmt(num(assign, 'decisionsPerSecond')),
    '≥ 1,000,000',
    ok(num(assign, 'decisionsPerSecond'), (x) => x >= 1e6),
    `hashing ${fmt((num(assign, 'hashShare') ?? Number.NaN) * 100, ' %')} of the time; node:crypto SHA-1 ${fmt(num(assign, 'nodeCryptoHashesPerSecond'))}/s vs ours ${fmt(num(assign, 'hashesPerSecond'))}/s`,
  ],
  [
    'Lighthouse mobile performance, demo (`lighthouse`)',
    fmt(num(lighthouse, 'performanceScore')),
    '100 (plan: 95+)',
    ok(num(lighthouse, 'performanceScore'), (x) => x >= 100),
    `runs ${Array.isArray(lighthouse?.scores) ? lighthouse.scores.join(', ') : '?'}; FCP ${fmt(num(lighthouse, 'fcpMs'), ' ms')}, LCP ${fmt(num(lighthouse, 'lcpMs'), ' ms')}, TBT ${fmt(num(lighthouse, 'tbtMs'), ' ms')}, CLS ${fmt(num(lighthouse, 'cls'), '', 3)}`,
  ],
  [
    'Gate false rollbacks, no true difference (`gate`)',
    fmt((num(gate, 'falseRollbackRate') ?? Number.NaN) * 100, ' %', 1),
    '≤ 5 %',
    ok(num(gate, 'falseRollbackRate'), (x) => x <= 0.05),
    `naive fixed-threshold check: ${fmt((num(gate, 'naiveFalseRollbackRate') ?? Number.NaN) * 100, ' %', 1)}`,
  ],
  [
    'Gate detection, +0.5 pt errors at 5 % (`gate`)',
    fmt((num(gate, 'detectionRate') ?? Number.NaN) * 100, ' %'),
    '100 %',
    ok(num(gate, 'detectionRate'), (x) => x === 1),
    `median ${fmt(num(gate, 'medianUsersToDetect'))} users (${fmt(num(gate, 'medianV2UsersToDetect'))} on v2)`,
  ],
  [
    'Collector, 50 clients × 10 s (`collector`)',
    `${fmt(num(collector, 'eventsStored'))} / ${fmt(num(collector, 'eventsSent'))}`,
    'stored = sent',
    ok(num(collector, 'missingAcked'), (x) => x === 0),
    `${fmt(num(collector, 'eventsPerSecond'))} events/s, p95 ack ${fmt(num(collector, 'p95AckMs'), ' ms')}`,
  ],
  ...(['duckdb', 'clickhouse'] as const).flatMap((engine): [string, string, string, string, string][] => [
    [
      `Event store ${engine}: ingestion, 50 clients, batches of 50 (\`store\`)`,
      fmt(num(store, `${engine}.ingestEventsPerSecond`), ' events/s'),
      engine === 'duckdb' ? '≥ 50,000' : 'DuckDB or better',
      engine === 'duckdb' ? ok(num(store, `${engine}.ingestEventsPerSecond`), (x) => x >= 50_000) : '',
      `10x normal (${fmt(num(store, 'normalTraffic.tenTimes'))} events/s) held: p99 ack ${fmt(num(store, `${engine}.tenTimesNormal.p99Ms`), ' ms')}`,
    ],
    [
      `Event store ${engine}: gate over 10 M events, collector RSS (\`store\`)`,
      `${fmt(num(store, `${engine}.gateSeconds10M`), ' s', 2)}, ${fmt(num(store, `${engine}.collectorPeakRssMb`), ' MB')}`,
      '≤ 5 s, ≤ 400 MB',
      ok(
        Math.max(
          (num(store, `${engine}.gateSeconds10M`) ?? Number.NaN) / 5,
          (num(store, `${engine}.collectorPeakRssMb`) ?? Number.NaN) / 400,
        ),
        (x) => x <= 1,
      ),
      `duplicates after retries and kill -9: ${fmt(num(store, `${engine}.duplicatesAfterRetries`))}; acknowledged lost: ${fmt(num(store, `${engine}.ackedLost`))}`,
    ],
  ]),
  [
    'Leaks: 1,000 theme switches + 200 rollbacks (`leaks`)',
    `${fmt(num(leaks, 'domNodesDelta'))} nodes, ${fmt(num(leaks, 'listenersDelta'))} listeners`,
    'back to baseline',
    ok((num(leaks, 'domNodesDelta') ?? 1) + (num(leaks, 'listenersDelta') ?? 1), (x) => x === 0),
    `heap growth ${fmt((num(leaks, 'heapGrowthBytes') ?? Number.NaN) / 1024, ' KiB')}`,
  ],
];
const machine = (sizes?.machine ?? theme?.machine) as Json | undefined;
console.log(`| figure (benchmark) | measured | goal | | context |\n| --- | --- | --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
if (machine)
  console.log(
    `\nMeasured ${String(machine.date).slice(0, 10)} on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}.`,
  );

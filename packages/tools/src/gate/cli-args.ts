// `token-rollout gate`'s options: parsed and checked up front, so a wrong option is named before any
// network call; every error says which option and what it expected.
import { parseArgs } from 'node:util';
import { FLAG_KEY } from 'token-rollout/core';
import { GATE_DEFAULTS, type GateOptions } from './evaluate.js';
import { GateInputError } from './events.js';
import type { LaunchDarklyTarget } from './launchdarkly.js';

/** The command's help text. */
export const USAGE = `usage: token-rollout gate (--events FILE | --collector URL | --store SPEC) [options]

  --events FILE          NDJSON metric events (one event per line; bad lines are skipped and counted)
  --collector URL        the collector's statistics (URL/gate/statistics: the per-user aggregation runs in
                         its event store; no event is read into this process)
  --store SPEC           the event store itself: duckdb:PATH or clickhouse://host:8123/db (the aggregation
                         runs there; DuckDB: not while a collector has the file open)
  --collector-token T    bearer token for the collector (or env TOKEN_ROLLOUT_COLLECTOR_TOKEN)
  --client-time          time events without a server receive time by their client ts (a file exported
                         without receivedAt); the report says so. Default: such events are not used
  --stage NAME           stage to judge (default: the flag's current stage from --admin or --launchdarkly,
                         else the stage with the latest data by server time)
  --admin URL            the flag server: its current stage is judged [--admin-token T]
                         (token also from env TOKEN_ROLLOUT_ADMIN_TOKEN)
  --apply                perform the decision on the flag server (needs --admin)
  --launchdarkly --project KEY --environment KEY [--flag KEY] [--send]
                         read the stage from and print (dry run) or send the decision to LaunchDarkly;
                         token from LD_API_TOKEN
  --bugs URL             the bug service (GET URL/bugs): P1s reported in the last 24 h count, re-read at
                         every check (default: the --admin URL, else the --collector URL)
  --p1-bugs N            a typed P1 count that overrides the bug service; 3 or more rolls back
  --manifest URL|FILE    the token manifest the page loads: v2 bundle size (> 40 KB rolls back)
  --lighthouse FILE      a recorded Lighthouse JSON result (target 95+, mobile)
  --json                 print the report with its evidence as JSON (one line per check)
  --watch                repeat at the stage's monitoring interval (15m, 30m, 1h, 1d) until a rollback
  --every DURATION       override the interval (e.g. 15m, 1h, 90s)
  --count N | --until ISO  stop after N checks, or before the given time
  --alpha A              total false-alarm budget (default ${GATE_DEFAULTS.alpha})
  --srm-alpha A          false-alarm level of the sample ratio check (default ${GATE_DEFAULTS.srmAlpha})
  --target-users N       total users the sequences are tuned for (default ${GATE_DEFAULTS.targetUsers})
  --min-users N          users per group before advancing (default ${GATE_DEFAULTS.minUsersPerArm})
  --min-duration D       stage duration before advancing (default 24h)
  --stage-length D       the stage's planned length, for "users needed" (default 5d)

exit codes: 0 advance or hold, 3 roll back, 2 bad usage or input, 1 server failure`;

/** Parses "15m", "1h", "2d", "90s" or a bare number of minutes into ms. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match)
    throw new GateInputError(`${option}: expected a duration such as 15m, 1h, 2d or 90s, got "${text}"`);
  const amount = Number(match[1]);
  const unit = match[2] ?? 'm';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 60_000;
  return amount * factor;
}

function wholeNumber(text: string | undefined, option: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || text.trim() === '') {
    throw new GateInputError(`${option}: expected a whole number >= ${min}, got "${text}"`);
  }
  return n;
}

/** Everything the command was asked to do. */
export interface CliOptions {
  source:
    | { kind: 'file'; path: string }
    | { kind: 'collector'; url: string; token?: string }
    | { kind: 'store'; spec: string };
  gate: GateOptions;
  json: boolean;
  /** The flag server: read for the stage; `apply` also performs the decision there. */
  admin: { url: string; token?: string; apply: boolean } | null;
  launchdarkly: (LaunchDarklyTarget & { send: boolean }) | null;
  /** Where P1 bugs are read, unless --p1-bugs overrides them. */
  bugs: { url: string; token?: string; explicit: boolean } | null;
  manifest: string | null;
  lighthouse: string | null;
  watch: { everyMs: number | null; count: number | null; until: number | null } | null;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      events: { type: 'string' },
      collector: { type: 'string' },
      store: { type: 'string' },
      'collector-token': { type: 'string' },
      'client-time': { type: 'boolean' },
      stage: { type: 'string' },
      'p1-bugs': { type: 'string' },
      bugs: { type: 'string' },
      manifest: { type: 'string' },
      lighthouse: { type: 'string' },
      json: { type: 'boolean' },
      apply: { type: 'boolean' },
      admin: { type: 'string' },
      'admin-token': { type: 'string' },
      launchdarkly: { type: 'boolean' },
      send: { type: 'boolean' },
      project: { type: 'string' },
      environment: { type: 'string' },
      flag: { type: 'string' },
      watch: { type: 'boolean' },
      every: { type: 'string' },
      count: { type: 'string' },
      until: { type: 'string' },
      alpha: { type: 'string' },
      'srm-alpha': { type: 'string' },
      'target-users': { type: 'string' },
      'min-users': { type: 'string' },
      'min-duration': { type: 'string' },
      'stage-length': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function gateOptions(values: ReturnType<typeof parse>['values']): GateOptions {
  const gate: GateOptions = {};
  if (values.stage !== undefined) gate.stage = values.stage;
  if (values['client-time']) gate.clock = 'client';
  const p1 = wholeNumber(values['p1-bugs'], '--p1-bugs', 0);
  if (p1 !== undefined) gate.p1Bugs = p1;
  for (const [flag, key] of [
    ['alpha', 'alpha'],
    ['srm-alpha', 'srmAlpha'],
  ] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    const alpha = Number(text);
    if (!(alpha > 0 && alpha < 1))
      throw new GateInputError(`--${flag}: expected a number between 0 and 1, got "${text}"`);
    gate[key] = alpha;
  }
  const target = wholeNumber(values['target-users'], '--target-users', 1);
  if (target !== undefined) gate.targetUsers = target;
  const minUsers = wholeNumber(values['min-users'], '--min-users', 0);
  if (minUsers !== undefined) gate.minUsersPerArm = minUsers;
  if (values['min-duration'] !== undefined)
    gate.minDurationMs = parseDuration(values['min-duration'], '--min-duration');
  if (values['stage-length'] !== undefined) {
    gate.plannedStageMs = parseDuration(values['stage-length'], '--stage-length');
    if (!(gate.plannedStageMs > 0)) throw new GateInputError('--stage-length: the length must be positive');
  }
  return gate;
}

function launchDarklyOptions(
  values: ReturnType<typeof parse>['values'],
  env: Record<string, string | undefined>,
): CliOptions['launchdarkly'] {
  if (!values.launchdarkly) {
    if (
      values.send ||
      values.project !== undefined ||
      values.environment !== undefined ||
      values.flag !== undefined
    ) {
      throw new GateInputError('--send, --project, --environment and --flag need --launchdarkly');
    }
    return null;
  }
  if (values.project === undefined || values.environment === undefined) {
    throw new GateInputError('--launchdarkly needs --project KEY and --environment KEY');
  }
  if (values.send && !env.LD_API_TOKEN) {
    throw new GateInputError(
      '--send needs the LD_API_TOKEN environment variable (a LaunchDarkly API access token)',
    );
  }
  return {
    projectKey: values.project,
    environmentKey: values.environment,
    flagKey: values.flag ?? FLAG_KEY,
    baseUrl: 'https://app.launchdarkly.com',
    send: values.send === true,
  };
}

function watchOptions(values: ReturnType<typeof parse>['values']): CliOptions['watch'] {
  if (!values.watch) {
    if (values.every !== undefined || values.count !== undefined || values.until !== undefined) {
      throw new GateInputError('--every, --count and --until need --watch');
    }
    return null;
  }
  const until = values.until === undefined ? null : Date.parse(values.until);
  if (until !== null && Number.isNaN(until)) {
    throw new GateInputError(
      `--until: expected an ISO date such as 2026-02-14T17:00:00Z, got "${values.until}"`,
    );
  }
  const watch = {
    everyMs: values.every === undefined ? null : parseDuration(values.every, '--every'),
    count: wholeNumber(values.count, '--count', 1) ?? null,
    until,
  };
  if (watch.everyMs !== null && watch.everyMs <= 0)
    throw new GateInputError('--every: the interval must be positive');
  return watch;
}

/** Parses the arguments; 'help' for --help. Throws a GateInputError naming the option at fault. */
export function parseCli(argv: string[], env: Record<string, string | undefined>): CliOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new GateInputError((error as Error).message);
  }
  if (values.help) return 'help';
  if ([values.events, values.collector, values.store].filter((v) => v !== undefined).length !== 1) {
    throw new GateInputError('give exactly one of --events FILE, --collector URL or --store SPEC');
  }
  if (values['collector-token'] !== undefined && values.collector === undefined) {
    throw new GateInputError('--collector-token needs --collector URL');
  }
  if (values.apply && values.admin === undefined)
    throw new GateInputError('--apply needs --admin URL (the flag server)');
  if (values['admin-token'] !== undefined && values.admin === undefined && values.bugs === undefined) {
    throw new GateInputError('--admin-token needs --admin URL or --bugs URL');
  }
  const collectorToken = values['collector-token'] ?? env.TOKEN_ROLLOUT_COLLECTOR_TOKEN;
  const adminToken = values['admin-token'] ?? env.TOKEN_ROLLOUT_ADMIN_TOKEN;
  const token = adminToken ? { token: adminToken } : {};
  const bugsUrl = values.bugs ?? values.admin ?? values.collector;
  return {
    source:
      values.events !== undefined
        ? { kind: 'file', path: values.events }
        : values.store !== undefined
          ? { kind: 'store', spec: values.store }
          : {
              kind: 'collector',
              url: values.collector!,
              ...(collectorToken ? { token: collectorToken } : {}),
            },
    gate: gateOptions(values),
    json: values.json === true,
    admin: values.admin === undefined ? null : { url: values.admin, ...token, apply: values.apply === true },
    launchdarkly: launchDarklyOptions(values, env),
    bugs: bugsUrl === undefined ? null : { url: bugsUrl, ...token, explicit: values.bugs !== undefined },
    manifest: values.manifest ?? null,
    lighthouse: values.lighthouse ?? null,
    watch: watchOptions(values),
  };
}

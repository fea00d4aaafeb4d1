// `token-rollout gate`: reads events (file or collector), evaluates the gate, prints a table or JSON, and
// optionally applies the decision to the local flag server or LaunchDarkly; `--watch` repeats it at the
// stage's monitoring interval. Every effect (output, env, network, clock, sleep) comes in through `io`.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FLAG_KEY } from 'token-rollout/core';
import { type ApplyResult, applyToFlagServer } from './admin.js';
import { evaluateGate, GATE_DEFAULTS, type GateOptions } from './evaluate.js';
import { GateInputError, parseEventsNdjson } from './events.js';
import { formatReport } from './format.js';
import {
  advanceRequest,
  formatRequest,
  getFlagRequest,
  type LaunchDarklyTarget,
  type PlannedRequest,
  sendRequest,
  turnOffRequests,
} from './launchdarkly.js';
import type { GateReport } from './report.js';

/** The effects the command uses. */
export interface GateIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Exit codes: 0 advance or hold, 3 roll back, 2 bad usage or input, 1 a failure talking to a server. */
export const EXIT = { ok: 0, failure: 1, usage: 2, rollback: 3 } as const;

const USAGE = `usage: token-rollout gate (--events FILE | --collector URL) [options]

  --events FILE          NDJSON metric events (one event per line)
  --collector URL        read URL/events/export from the collector
  --collector-token T    bearer token for the collector (or env TOKEN_ROLLOUT_COLLECTOR_TOKEN)
  --stage NAME           stage to judge (default: the stage with the latest events)
  --p1-bugs N            P1 bugs reported; 3 or more rolls back
  --json                 print the report with its evidence as JSON (one line per check)
  --apply --admin URL    perform the decision on the local flag server [--admin-token T]
                         (token also from env TOKEN_ROLLOUT_ADMIN_TOKEN)
  --launchdarkly --project KEY --environment KEY [--flag KEY] [--send]
                         print (dry run) or send the LaunchDarkly REST request; token from LD_API_TOKEN
  --watch                repeat at the stage's monitoring interval (15m, 30m, 1h, 1d) until a rollback
  --every DURATION       override the interval (e.g. 15m, 1h, 90s)
  --count N | --until ISO  stop after N checks, or before the given time
  --alpha A              total false-alarm budget (default ${GATE_DEFAULTS.alpha})
  --target-users N       total users the sequences are tuned for (default ${GATE_DEFAULTS.targetUsers})
  --min-users N          users per arm before advancing (default ${GATE_DEFAULTS.minUsersPerArm})
  --min-duration D       stage duration before advancing (default 24h)

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

interface CliOptions {
  source: { kind: 'file'; path: string } | { kind: 'collector'; url: string; token?: string };
  gate: GateOptions;
  json: boolean;
  admin: { url: string; token?: string } | null;
  launchdarkly: (LaunchDarklyTarget & { send: boolean }) | null;
  watch: { everyMs: number | null; count: number | null; until: number | null } | null;
}

function parseCli(argv: string[], env: GateIo['env']): CliOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new GateInputError((error as Error).message);
  }
  if (values.help) return 'help';
  if ((values.events === undefined) === (values.collector === undefined)) {
    throw new GateInputError('give exactly one of --events FILE or --collector URL');
  }
  const gate: GateOptions = {};
  if (values.stage !== undefined) gate.stage = values.stage;
  const p1 = wholeNumber(values['p1-bugs'], '--p1-bugs', 0);
  if (p1 !== undefined) gate.p1Bugs = p1;
  if (values.alpha !== undefined) {
    const alpha = Number(values.alpha);
    if (!(alpha > 0 && alpha < 1))
      throw new GateInputError(`--alpha: expected a number between 0 and 1, got "${values.alpha}"`);
    gate.alpha = alpha;
  }
  const target = wholeNumber(values['target-users'], '--target-users', 1);
  if (target !== undefined) gate.targetUsers = target;
  const minUsers = wholeNumber(values['min-users'], '--min-users', 0);
  if (minUsers !== undefined) gate.minUsersPerArm = minUsers;
  if (values['min-duration'] !== undefined)
    gate.minDurationMs = parseDuration(values['min-duration'], '--min-duration');

  const collectorToken = values['collector-token'] ?? env.TOKEN_ROLLOUT_COLLECTOR_TOKEN;
  if (values['collector-token'] !== undefined && values.collector === undefined) {
    throw new GateInputError('--collector-token needs --collector URL');
  }
  const adminToken = values['admin-token'] ?? env.TOKEN_ROLLOUT_ADMIN_TOKEN;
  if (values.apply && values.admin === undefined)
    throw new GateInputError('--apply needs --admin URL (the flag server)');
  if (!values.apply && (values.admin !== undefined || values['admin-token'] !== undefined)) {
    throw new GateInputError('--admin and --admin-token only make sense with --apply');
  }
  let launchdarkly: CliOptions['launchdarkly'] = null;
  if (values.launchdarkly) {
    if (values.project === undefined || values.environment === undefined) {
      throw new GateInputError('--launchdarkly needs --project KEY and --environment KEY');
    }
    if (values.send && !env.LD_API_TOKEN) {
      throw new GateInputError(
        '--send needs the LD_API_TOKEN environment variable (a LaunchDarkly API access token)',
      );
    }
    launchdarkly = {
      projectKey: values.project,
      environmentKey: values.environment,
      flagKey: values.flag ?? FLAG_KEY,
      baseUrl: 'https://app.launchdarkly.com',
      send: values.send === true,
    };
  } else if (
    values.send ||
    values.project !== undefined ||
    values.environment !== undefined ||
    values.flag !== undefined
  ) {
    throw new GateInputError('--send, --project, --environment and --flag need --launchdarkly');
  }
  let watch: CliOptions['watch'] = null;
  if (values.watch) {
    const until = values.until === undefined ? null : Date.parse(values.until);
    if (until !== null && Number.isNaN(until)) {
      throw new GateInputError(
        `--until: expected an ISO date such as 2026-02-14T17:00:00Z, got "${values.until}"`,
      );
    }
    watch = {
      everyMs: values.every === undefined ? null : parseDuration(values.every, '--every'),
      count: wholeNumber(values.count, '--count', 1) ?? null,
      until,
    };
    if (watch.everyMs !== null && watch.everyMs <= 0)
      throw new GateInputError('--every: the interval must be positive');
  } else if (values.every !== undefined || values.count !== undefined || values.until !== undefined) {
    throw new GateInputError('--every, --count and --until need --watch');
  }
  return {
    source:
      values.events !== undefined
        ? { kind: 'file', path: values.events }
        : collectorSource(values.collector!, collectorToken),
    gate,
    json: values.json === true,
    admin: values.apply ? { url: values.admin!, ...(adminToken ? { token: adminToken } : {}) } : null,
    launchdarkly,
    watch,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      events: { type: 'string' },
      collector: { type: 'string' },
      'collector-token': { type: 'string' },
      stage: { type: 'string' },
      'p1-bugs': { type: 'string' },
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
      'target-users': { type: 'string' },
      'min-users': { type: 'string' },
      'min-duration': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function collectorSource(url: string, token: string | undefined): CliOptions['source'] {
  return token ? { kind: 'collector', url, token } : { kind: 'collector', url };
}

async function loadEvents(source: CliOptions['source'], io: GateIo) {
  if (source.kind === 'file') {
    let text: string;
    try {
      text = await readFile(source.path, 'utf8');
    } catch (error) {
      throw new GateInputError(
        `--events: cannot read ${source.path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    return parseEventsNdjson(text, source.path);
  }
  const url = `${source.url.replace(/\/+$/, '')}/events/export`;
  const response = await io.fetch(
    url,
    source.token ? { headers: { Authorization: `Bearer ${source.token}` } } : {},
  );
  if (!response.ok) throw new Error(`GET ${url} failed: ${response.status}`);
  return parseEventsNdjson(await response.text(), url);
}

interface LaunchDarklyAction {
  purpose: string;
  request: PlannedRequest['request'];
  warning?: string;
  sent: boolean;
}

async function planLaunchDarkly(
  report: GateReport,
  target: LaunchDarklyTarget & { send: boolean },
  io: GateIo,
): Promise<{ actions: LaunchDarklyAction[]; notes: string[] }> {
  const comment = `token-rollout gate: ${report.decision.kind} at ${report.stage}: ${report.decision.reasons[0] ?? ''}`;
  const token = io.env.LD_API_TOKEN;
  const planned: PlannedRequest[] = [];
  const notes: string[] = [];
  if (report.decision.kind === 'rollback') planned.push(...turnOffRequests(report.decision, target, comment));
  if (report.decision.kind === 'advance' && report.stage !== null) {
    // Reading the flag is harmless, so a dry run with a token resolves the exact variation ids.
    const flag = token ? await sendRequest(getFlagRequest(target), token, io.fetch) : null;
    const advance = advanceRequest(target, report.stage, report.decision.nextStage, flag, comment);
    if ('error' in advance) notes.push(advance.error);
    else planned.push(advance);
  }
  if (report.decision.kind === 'hold') notes.push('hold: no LaunchDarkly change');
  const actions: LaunchDarklyAction[] = [];
  for (const p of planned) {
    let sent = false;
    if (target.send && token) {
      await sendRequest(p.request, token, io.fetch);
      sent = true;
    }
    actions.push({
      purpose: p.purpose,
      request: p.request,
      ...(p.warning ? { warning: p.warning } : {}),
      sent,
    });
  }
  return { actions, notes };
}

/** Interval before the first report is known (the plan's most frequent one, week 1's 15 minutes). */
const FIRST_INTERVAL_MS = 15 * 60_000;

/** Runs `token-rollout gate` with the given arguments; resolves to the exit code. */
export async function runGateCli(argv: string[], io: GateIo): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(argv, io.env);
  } catch (error) {
    io.stderr(`token-rollout gate: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  let everyMs = options.watch?.everyMs ?? null;
  for (let check = 1; ; check++) {
    let report: GateReport;
    let applied: ApplyResult | null = null;
    let launchdarkly: { actions: LaunchDarklyAction[]; notes: string[] } | null = null;
    try {
      report = evaluateGate(await loadEvents(options.source, io), options.gate);
      if (options.admin)
        applied = await applyToFlagServer(report.decision, report.stage, options.admin, io.fetch);
      if (options.launchdarkly) launchdarkly = await planLaunchDarkly(report, options.launchdarkly, io);
    } catch (error) {
      const input = error instanceof GateInputError;
      io.stderr(`token-rollout gate: ${(error as Error).message}\n`);
      const watch = options.watch;
      // A watch outlives a network blip: a failed check is reported and retried at the next interval.
      if (input || !watch) return input ? EXIT.usage : EXIT.failure;
      const wait = everyMs ?? FIRST_INTERVAL_MS;
      if (
        (watch.count !== null && check >= watch.count) ||
        (watch.until !== null && io.now() + wait > watch.until)
      ) {
        return EXIT.failure;
      }
      io.stderr(`check failed; retrying in ${Math.round(wait / 60_000)} min\n`);
      await io.sleep(wait);
      continue;
    }
    if (options.json) {
      io.stdout(
        `${JSON.stringify({ checkedAt: new Date(io.now()).toISOString(), ...report, applied, launchdarkly })}\n`,
      );
    } else {
      io.stdout(formatReport(report));
      if (applied)
        for (const line of [...applied.applied, ...applied.skipped]) io.stdout(`flag server: ${line}\n`);
      if (launchdarkly) {
        for (const note of launchdarkly.notes) io.stdout(`launchdarkly: ${note}\n`);
        for (const a of launchdarkly.actions) {
          io.stdout(
            `launchdarkly: ${a.purpose}${a.sent ? ' (sent)' : ' (dry run: add --send to perform it)'}\n`,
          );
          if (a.warning) io.stdout(`launchdarkly: note: ${a.warning}\n`);
          io.stdout(`${formatRequest(a.request)}\n`);
        }
      }
    }
    if (report.decision.kind === 'rollback') return EXIT.rollback;
    const watch = options.watch;
    if (!watch) return EXIT.ok;
    if (watch.count !== null && check >= watch.count) return EXIT.ok;
    const every = watch.everyMs ?? report.monitorEveryMinutes * 60_000;
    everyMs = every;
    if (watch.until !== null && io.now() + every > watch.until) return EXIT.ok;
    io.stderr(`next check in ${Math.round(every / 60_000)} min\n`);
    await io.sleep(every);
  }
}

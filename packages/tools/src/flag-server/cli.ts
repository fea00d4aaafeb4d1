// `token-rollout flags`: the flag service and its admin API alone (cli.ts dispatches here).
import { resolve } from 'node:path';
import { type CommandSpec, type OptionSpec, parseCommand } from '../args.js';
import { resolveFlagsDir } from '../default-flags.js';
import {
  adminTokenOption,
  allowedHostOption,
  dataOption,
  flagsOption,
  hostOption,
  maxStreamsOption,
  portOptionSpec,
} from '../server-options.js';
import { type FlagServer, type FlagServerOptions, startFlagServer } from './server.js';

/** The `flags` command's options. */
export const FLAGS_COMMAND = {
  name: 'token-rollout flags',
  summary: 'The LaunchDarkly-compatible flag server with its admin API, alone.',
  options: {
    flags: flagsOption,
    data: dataOption('.data/flags', 'where admin changes are kept (they override --flags on restart)'),
    port: portOptionSpec(8030),
    host: hostOption,
    'admin-token': adminTokenOption,
    'allowed-host': allowedHostOption,
    'max-streams': maxStreamsOption,
    calendar: {
      kind: 'string',
      value: 'FILE',
      help: 'release calendar: freeze windows and approvals (default: release.json beside the flags, if any)',
      env: 'TOKEN_ROLLOUT_CALENDAR',
    },
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** Parses the `flags` options; throws a UsageError naming the bad option, HelpRequested for --help. */
export function parseFlagsArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): FlagServerOptions {
  const o = parseCommand(FLAGS_COMMAND, argv, env);
  return {
    flagsDir: resolveFlagsDir(o.flags),
    dataDir: resolve(o.data),
    port: o.port,
    host: o.host,
    maxStreams: o['max-streams'],
    ...(o.calendar ? { calendarFile: resolve(o.calendar) } : {}),
    ...(o['admin-token'] ? { adminToken: o['admin-token'] } : {}),
    ...(o['allowed-host'].length > 0 ? { allowedHosts: o['allowed-host'] } : {}),
  };
}

/** Starts the flag server from command-line arguments and prints where it listens. */
export async function serveFlagsCli(argv: readonly string[], print = console.log): Promise<FlagServer> {
  const options = parseFlagsArgs(argv);
  const server = await startFlagServer({ ...options, log: print });
  print(`flag server: ${server.url} (flags from ${options.flagsDir}, changes kept in ${options.dataDir})`);
  print(`admin state: curl ${server.url}/admin/state`);
  return server;
}

// `token-rollout serve --flags DIR --port N --data DIR [--host H] [--admin-token T]` (the lead's bin calls this).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFlagsDir } from '../default-flags.js';
import { portOption } from '../integer-option.js';
import { type FlagServer, startFlagServer } from './server.js';

/** Parses the serve options; throws an Error naming the bad option. */
export function parseServeArgs(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      flags: { type: 'string' },
      data: { type: 'string', default: '.data/flags' },
      port: { type: 'string', default: '8030' },
      host: { type: 'string', default: '127.0.0.1' },
      'admin-token': { type: 'string' },
    },
    strict: true,
  });
  const port = portOption(values.port);
  return {
    flagsDir: resolveFlagsDir(values.flags),
    dataDir: resolve(values.data),
    port,
    host: values.host,
    adminToken: values['admin-token'] ?? process.env.TOKEN_ROLLOUT_ADMIN_TOKEN,
  };
}

/** Starts the flag server from command-line arguments and prints where it listens. */
export async function serveFlagsCli(argv: readonly string[], print = console.log): Promise<FlagServer> {
  const options = parseServeArgs(argv);
  const server = await startFlagServer({ ...options, log: print });
  print(`flag server: ${server.url} (flags from ${options.flagsDir}, changes kept in ${options.dataDir})`);
  print(`admin state: curl ${server.url}/admin/state`);
  return server;
}

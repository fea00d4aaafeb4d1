// `token-rollout bug add | withdraw | list`: the bug service's routes from the command line, so a release
// manager can record a P1 where the gate reads it. Every effect (output, env, network) comes in through `io`.
import { type CommandSpec, HelpRequested, type OptionSpec, parseCommand, UsageError } from '../args.js';
import type { Bug } from './bug.js';

/** The effects the command uses. */
export interface BugIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
}

/** Exit codes: 0 done, 2 a bad command line or a request the server refused, 1 the server failed or is unreachable. */
export const BUG_EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const SERVER = {
  kind: 'string',
  value: 'URL',
  help: 'the server with the bug service (token-rollout serve)',
  default: 'http://127.0.0.1:8030',
  env: 'TOKEN_ROLLOUT_SERVER',
} satisfies OptionSpec;
const TOKEN = {
  kind: 'string',
  value: 'T',
  help: 'the admin token',
  env: 'TOKEN_ROLLOUT_ADMIN_TOKEN',
} satisfies OptionSpec;

const ADD = {
  name: 'token-rollout bug add',
  summary: 'Reports a bug. P1s reported in the last 24 h count for the gate (3 or more roll back).',
  options: {
    id: { kind: 'string', value: 'ID', help: 'the tracker key, e.g. WEB-123' },
    severity: { kind: 'string', value: 'P1|P2|P3', help: 'how bad' },
    title: { kind: 'string', value: 'TEXT', help: 'one line' },
    link: { kind: 'string', value: 'URL', help: 'the tracker page' },
    time: { kind: 'string', value: 'ISO', help: 'when it was reported (default: now, on the server clock)' },
    server: SERVER,
    'admin-token': TOKEN,
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

const WITHDRAW = {
  name: 'token-rollout bug withdraw',
  summary:
    'Withdraws a bug reported in error (token-rollout bug withdraw ID, or --id ID); it stops counting.',
  options: {
    id: { kind: 'string', value: 'ID', help: 'the bug to withdraw' },
    server: SERVER,
    'admin-token': TOKEN,
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

const LIST = {
  name: 'token-rollout bug list',
  summary: 'Lists the bugs, newest first, with what the gate counts now.',
  options: {
    json: { kind: 'flag', help: 'print the answer as JSON' },
    server: SERVER,
    'admin-token': TOKEN,
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The command's usage. */
export const BUG_USAGE = `usage: token-rollout bug <add|withdraw|list> [options]   (token-rollout bug add --help)

  add       --id ID --severity P1|P2|P3 --title TEXT [--link URL] [--time ISO]
  withdraw  ID
  list      [--json]
  every one: --server URL (default http://127.0.0.1:8030, env TOKEN_ROLLOUT_SERVER)
             --admin-token T (env TOKEN_ROLLOUT_ADMIN_TOKEN)`;

class ServerFailure extends Error {}

async function call(
  io: BugIo,
  server: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
) {
  const url = `${server.replace(/\/+$/, '')}${path}`;
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await io.fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ServerFailure(`${method} ${url} failed: ${(error as Error).message}`);
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: reported with the status below.
  }
  if (response.status >= 500)
    throw new ServerFailure(`${method} ${url} failed: ${response.status} ${text.slice(0, 300)}`);
  if (!response.ok) {
    const e = json as { error?: string; path?: string } | null;
    throw new UsageError(
      `${method} ${url}: ${response.status} ${e?.error ?? text.slice(0, 300)}${e?.path && e.path !== '$' ? ` (at ${e.path})` : ''}`,
    );
  }
  return json;
}

function line(b: Bug): string {
  const state = b.withdrawnAt === null ? '' : ` (withdrawn ${new Date(b.withdrawnAt).toISOString()})`;
  return `${b.severity}  ${b.id}  ${new Date(b.reportedAt).toISOString()}  ${b.title}${b.link ? `  ${b.link}` : ''}${state}`;
}

function required(value: string | undefined, option: string, command: string): string {
  if (value === undefined || value === '')
    throw new UsageError(`${command}: ${option} is required (${command} --help)`);
  return value;
}

async function run(argv: string[], io: BugIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') {
    const o = parseCommand(ADD, rest, io.env);
    const body: Record<string, string> = {
      id: required(o.id, '--id', ADD.name),
      severity: required(o.severity, '--severity', ADD.name),
      title: required(o.title, '--title', ADD.name),
    };
    if (o.link !== undefined) body.link = o.link;
    if (o.time !== undefined) body.time = o.time;
    const answer = (await call(io, o.server, o['admin-token'], 'POST', '/bugs', body)) as { bug: Bug };
    io.stdout(`reported: ${line(answer.bug)}\n`);
    return BUG_EXIT.ok;
  }
  if (sub === 'withdraw') {
    // `bug withdraw ID`: the id may come first, as a positional.
    const positional = rest[0] !== undefined && !rest[0].startsWith('-') ? rest[0] : undefined;
    const o = parseCommand(WITHDRAW, positional === undefined ? rest : rest.slice(1), io.env);
    const id = positional ?? required(o.id, 'the bug id', WITHDRAW.name);
    const answer = (await call(
      io,
      o.server,
      o['admin-token'],
      'DELETE',
      `/bugs/${encodeURIComponent(id)}`,
    )) as { bug: Bug };
    io.stdout(`withdrawn: ${line(answer.bug)}\n`);
    return BUG_EXIT.ok;
  }
  if (sub === 'list') {
    const o = parseCommand(LIST, rest, io.env);
    const answer = (await call(io, o.server, o['admin-token'], 'GET', '/bugs')) as {
      now: number;
      bugs: Bug[];
    };
    if (o.json) {
      io.stdout(`${JSON.stringify(answer)}\n`);
      return BUG_EXIT.ok;
    }
    const day = answer.now - 24 * 3_600_000;
    const counted = answer.bugs.filter(
      (b) => b.severity === 'P1' && b.withdrawnAt === null && b.reportedAt > day,
    );
    io.stdout(
      `${answer.bugs.length} bugs; P1s the gate counts now (last 24 h, not withdrawn): ${counted.length}\n`,
    );
    for (const b of answer.bugs) io.stdout(`${line(b)}\n`);
    return BUG_EXIT.ok;
  }
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`${BUG_USAGE}\n`);
    return BUG_EXIT.ok;
  }
  throw new UsageError(`token-rollout bug: unknown subcommand "${sub}"\n\n${BUG_USAGE}`);
}

/** Runs `token-rollout bug …` with the arguments after `bug`; resolves to the exit code. */
export async function runBugCli(argv: string[], io: BugIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout(`${error.usage}\n`);
      return BUG_EXIT.ok;
    }
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return BUG_EXIT.usage;
    }
    if (error instanceof ServerFailure) {
      io.stderr(`token-rollout bug: ${error.message}\n`);
      return BUG_EXIT.failure;
    }
    throw error;
  }
}

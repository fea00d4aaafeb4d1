// The `token-rollout` command. Each subcommand is a function of the Node side; this file only dispatches,
// and turns `--help` into the usage on stdout (exit 0) and a bad option into its message (exit 2).
import { readFile } from 'node:fs/promises';
import { parseRolloutConfig } from 'token-rollout/core';
import { type CommandSpec, type OptionSpec, usageOf, withUsage } from './args.js';
import { AUDIT_COMMAND, auditCli, type ReleaseIo } from './audit/cli.js';
import { runBugCli } from './bugs/cli.js';
import { COLLECTOR_COMMAND, collectorCli } from './collector/cli.js';
import { FLAGS_COMMAND, serveFlagsCli } from './flag-server/cli.js';
import { runGateCli } from './gate/cli.js';
import { INIT_COMMAND, initCli } from './init/command.js';
import { APPROVE_COMMAND, approveCli, REPORT_COMMAND, reportCli } from './release/cli.js';
import { SERVE_COMMAND, serveCli } from './services.js';

const USAGE = `usage: token-rollout <command> [options]

  init       set up an app: the plan's flag definitions in DIR/flags/, and the boot snippet's <head>
             tag for its token manifest (token-rollout init --help)
  serve      the LaunchDarkly-compatible flag server (+ admin API), the collector, the gate's live
             decision and bugs on one port (token-rollout serve --help)
  flags      the flag server alone (token-rollout flags --help)
  collector  the collector alone (token-rollout collector --help)
  gate       advance / hold / roll back from the collected metrics (token-rollout gate --help)
  bug        report, withdraw or list bugs; P1s count for the gate (token-rollout bug --help)
  validate   check a rollout config JSON file: token-rollout validate FILE
  report     the weekly status report of a stage, HTML + Markdown (token-rollout report --help)
  approve    approve entering a stage: token-rollout approve --stage week3 --by NAME
  audit      list the audit trail of flag changes, approvals and recovery checks

The demo with its dashboard runs from a clone of the repository: npm start.`;

/** The server commands whose usage `token-rollout help <command>` prints. */
const COMMANDS: Record<string, CommandSpec<Record<string, OptionSpec>>> = {
  serve: SERVE_COMMAND,
  flags: FLAGS_COMMAND,
  collector: COLLECTOR_COMMAND,
  report: REPORT_COMMAND,
  approve: APPROVE_COMMAND,
  audit: AUDIT_COMMAND,
  init: INIT_COMMAND,
};

/** Output lines, the environment, the network and the clock for report, approve and audit. */
const RELEASE_IO: ReleaseIo = {
  stdout: (s) => console.log(s),
  stderr: (s) => console.error(s),
  env: process.env,
  fetch,
  now: Date.now,
};

const VALIDATE_USAGE = `usage: token-rollout validate FILE

Checks a rollout config (the design-tokens-v2 flag's JSON value) and lists every error with its JSON path.`;

/** Keeps a server running until SIGINT/SIGTERM, then closes it. */
async function untilSignal(server: { close(): Promise<unknown> }): Promise<void> {
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await server.close();
}

async function validate(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(VALIDATE_USAGE);
    return 0;
  }
  const file = args[0];
  if (!file || args.length > 1) {
    console.error(VALIDATE_USAGE);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const result = parseRolloutConfig(json);
  for (const w of result.warnings) console.log(`${file}: warning ${w.path}: ${w.message}`);
  if (!result.ok) {
    for (const e of result.errors) console.error(`${file}: error ${e.path}: ${e.message}`);
    return 1;
  }
  const stages = result.config.stages.map((s) => `${s.name} ${s.percentage}%`).join(', ');
  console.log(`${file}: ok (version ${result.config.version}; stages: ${stages})`);
  return 0;
}

async function run(command: string | undefined, rest: string[]): Promise<number> {
  switch (command) {
    case 'serve':
      await untilSignal(await serveCli(rest));
      return 0;
    case 'flags':
      await untilSignal(await serveFlagsCli(rest));
      return 0;
    case 'collector':
      await untilSignal(await collectorCli(rest));
      return 0;
    case 'gate':
      return runGateCli(rest, {
        stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
        stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
        env: process.env,
        fetch,
        now: Date.now,
        sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
      });
    case 'bug':
      return runBugCli(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
        env: process.env,
        fetch,
      });
    case 'init':
      return initCli(rest, {
        stdout: (s) => console.log(s),
        stderr: (s) => console.error(s),
        cwd: process.cwd(),
      });
    case 'validate':
      return validate(rest);
    case 'report':
      return reportCli(rest, RELEASE_IO);
    case 'approve':
      return approveCli(rest, RELEASE_IO);
    case 'audit':
      return auditCli(rest, RELEASE_IO);
    case undefined:
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    case 'help': {
      const spec = COMMANDS[rest[0] ?? ''];
      console.log(spec ? usageOf(spec) : USAGE);
      return 0;
    }
    default:
      console.error(`token-rollout: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  return withUsage(() => run(command, rest));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`token-rollout: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

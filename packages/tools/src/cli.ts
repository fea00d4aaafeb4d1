// The `token-rollout` command. Each subcommand is a function of the Node side; this file only dispatches.
import { readFile } from 'node:fs/promises';
import { parseRolloutConfig } from 'token-rollout/core';
import { collectorCli } from './collector/cli.js';
import { serveFlagsCli } from './flag-server/cli.js';
import { runGateCli } from './gate/cli.js';
import { parseServicesArgs, startServices } from './services.js';

const USAGE = `usage: token-rollout <command> [options]

  serve      the LaunchDarkly-compatible flag server (+ admin API) and the metrics collector on one port
             --flags DIR (flags)  --data DIR (.data)  --port N (8030)  --host H (127.0.0.1)
             --admin-token T  --collector-token T   (required off loopback)
  flags      the flag server alone (--flags DIR --data DIR --port N --host H --admin-token T)
  collector  the collector alone (--data DIR --port N --host H --token T)
  gate       advance / hold / roll back from the collected metrics (token-rollout gate --help)
  validate   check a rollout config JSON file: token-rollout validate FILE

The demo with its dashboard runs from a clone of the repository: npm start.`;

/** Keeps a server running until SIGINT/SIGTERM, then closes it. */
async function untilSignal(server: { close(): Promise<unknown> }): Promise<void> {
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await server.close();
}

async function validate(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('usage: token-rollout validate FILE');
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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const server = await startServices(parseServicesArgs(rest));
      console.log(`token-rollout serve: ${server.url}`);
      console.log(`  LaunchDarkly SDKs: baseUri/streamUri/eventsUri = ${server.url}`);
      console.log(`  admin:     curl ${server.url}/admin/state`);
      console.log(`  collector: POST ${server.url}/collect, GET ${server.url}/aggregates`);
      await untilSignal(server);
      return 0;
    }
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
    case 'validate':
      return validate(rest[0]);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      console.error(`token-rollout: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
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

// `token-rollout collector`: the collector alone (cli.ts dispatches here). The token may also come from
// TOKEN_ROLLOUT_COLLECTOR_TOKEN.
import { resolve } from 'node:path';
import { type CommandSpec, type OptionSpec, parseCommand, UsageError } from '../args.js';
import {
  allowedHostOption,
  allowOriginOption,
  collectorTokenOption,
  dataOption,
  hostOption,
  ingestKeyOption,
  maxStoreBytesOption,
  portOptionSpec,
  storeOption,
} from '../server-options.js';
import { parseStoreSpec } from '../store/open.js';
import { type CollectorServer, type CollectorServerOptions, startCollectorServer } from './server.js';

/** The `collector` command's options. */
export const COLLECTOR_COMMAND = {
  name: 'token-rollout collector',
  summary: 'The metrics collector alone: POST /collect, GET /aggregates, GET /events/export, GET /health.',
  options: {
    data: dataOption('.data/collector', 'the data folder (the default store is <data>/events.duckdb)'),
    store: storeOption,
    'max-store-bytes': maxStoreBytesOption,
    port: portOptionSpec(8031),
    host: hostOption,
    token: collectorTokenOption,
    'ingest-key': ingestKeyOption,
    'allow-origin': allowOriginOption,
    'allowed-host': allowedHostOption,
    'max-body-bytes': {
      kind: 'integer',
      value: 'N',
      help: 'largest request body accepted (default 1 MiB)',
      min: 1024,
      max: 2 ** 30,
    },
    'max-batch': {
      kind: 'integer',
      value: 'N',
      help: 'most events in one batch (default 1000)',
      min: 1,
      max: 1e6,
    },
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** Parses the collector's options; throws a UsageError naming the bad option, HelpRequested for --help. */
export function parseCollectorArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): CollectorServerOptions {
  const o = parseCommand(COLLECTOR_COMMAND, argv, env);
  const options: CollectorServerOptions = { dataDir: resolve(o.data), port: o.port, host: o.host };
  if (o.store) options.store = storeSpecOf(o.store, options.dataDir);
  if (o['max-store-bytes'] !== undefined) options.maxStoreBytes = o['max-store-bytes'];
  if (o.token) options.token = o.token;
  if (o['ingest-key']) options.ingestKey = o['ingest-key'];
  if (o['allow-origin'].length > 0) options.allowedOrigins = o['allow-origin'];
  if (o['allowed-host'].length > 0) options.allowedHosts = o['allowed-host'];
  if (o['max-body-bytes'] !== undefined) options.maxBodyBytes = o['max-body-bytes'];
  if (o['max-batch'] !== undefined) options.maxBatch = o['max-batch'];
  return options;
}

/** Starts the collector from command-line arguments and prints its routes (and the ingest URL). */
export async function collectorCli(argv: readonly string[], print = console.log): Promise<CollectorServer> {
  const options = parseCollectorArgs(argv);
  const server = await startCollectorServer(options);
  const { store } = server.collector;
  print(`collector: ${server.url} (events in ${store.location}: ${await store.count()} stored)`);
  print(`  beacons:    POST ${server.collectUrl}`);
  print(
    `  aggregates: GET ${server.url}/aggregates${options.token ? '  (Authorization: Bearer <token>)' : ''}`,
  );
  print(`  export:     GET ${server.url}/events/export`);
  return server;
}

/** `--store` parsed, its error worded as a usage error (exit 2). */
export function storeSpecOf(spec: string, dataDir: string): ReturnType<typeof parseStoreSpec> {
  try {
    return parseStoreSpec(spec, dataDir);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

// `token-rollout collector --data DIR [--port N] [--host H] [--token T]`: the collector on its own
// server (the lead's bin calls `collectorCli`). The token may also come from TOKEN_ROLLOUT_COLLECTOR_TOKEN.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { integerOption, portOption } from '../integer-option.js';
import { type CollectorServer, type CollectorServerOptions, startCollectorServer } from './server.js';

/** Parses the collector's options; throws an Error naming the bad option. */
export function parseCollectorArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): CollectorServerOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string', default: '.data/collector' },
      port: { type: 'string', default: '8031' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'max-batch': { type: 'string' },
    },
    strict: true,
  });
  const options: CollectorServerOptions = {
    dataDir: resolve(values.data),
    port: portOption(values.port),
    host: values.host,
  };
  const token = values.token ?? env.TOKEN_ROLLOUT_COLLECTOR_TOKEN;
  if (token !== undefined && token !== '') options.token = token;
  if (values['max-body-bytes'] !== undefined) {
    options.maxBodyBytes = integerOption('max-body-bytes', values['max-body-bytes'], 1024, 2 ** 30);
  }
  if (values['max-batch'] !== undefined)
    options.maxBatch = integerOption('max-batch', values['max-batch'], 1, 1e6);
  return options;
}

/** Starts the collector from command-line arguments and prints its routes (and the ingest URL). */
export async function collectorCli(argv: readonly string[], print = console.log): Promise<CollectorServer> {
  const options = parseCollectorArgs(argv);
  const server = await startCollectorServer(options);
  const { recovery } = server.collector;
  print(`collector: ${server.url} (events in ${options.dataDir}: ${recovery.records} read back)`);
  if (recovery.skipped > 0 || recovery.truncatedBytes > 0) {
    print(
      `  repaired: ${recovery.skipped} damaged records skipped, ${recovery.truncatedBytes} torn bytes cut off`,
    );
  }
  print(`  beacons:    POST ${server.collectUrl}`);
  print(
    `  aggregates: GET ${server.url}/aggregates${options.token ? '  (Authorization: Bearer <token>)' : ''}`,
  );
  print(`  export:     GET ${server.url}/events/export`);
  return server;
}

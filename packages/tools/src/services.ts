// `token-rollout serve`: the local LaunchDarkly-compatible flag service (with its admin API), the metrics
// collector, the gate's live decision and the bug service on one port, so an app's LaunchDarkly client and
// its beacon reporter need one origin. `npm start` (apps/serve.ts) is the same composition plus the demo.
import { join, resolve } from 'node:path';
import { type CommandSpec, type OptionSpec, type ParsedOptions, parseCommand } from './args.js';
import { storeSpecOf } from './collector/cli.js';
import { resolveFlagsDir } from './default-flags.js';
import { startToolsServer, type ToolsServer, type ToolsServerOptions } from './http/compose.js';
import {
  adminTokenOption,
  allowedHostOption,
  allowOriginOption,
  collectorTokenOption,
  dataOption,
  flagsOption,
  hostOption,
  ingestKeyOption,
  maxStoreBytesOption,
  maxStreamsOption,
  portOptionSpec,
  storeOption,
} from './server-options.js';
import type { StoreSpec } from './store/open.js';

/** Options of `startServices`; a non-loopback host needs both tokens. */
export interface ServicesOptions {
  port?: number;
  host?: string;
  flagsDir: string;
  /** Holds `flags/` (admin changes), `collector/` (the default event store, events.duckdb) and `bugs/`. */
  dataDir: string;
  /** Where the collector keeps events (default DuckDB at `<dataDir>/collector/events.duckdb`). */
  store?: StoreSpec;
  /** The collector refuses new events (507) once the store takes more bytes than this. */
  maxStoreBytes?: number;
  adminToken?: string;
  collectorToken?: string;
  ingestKey?: string;
  allowedOrigins?: readonly string[];
  allowedHosts?: readonly string[];
  maxStreams?: number;
}

/** The options `serve` and `npm start` share (`npm start` sets its own `--port`). */
export const SERVICES_OPTIONS = {
  flags: flagsOption,
  data: dataOption('.data', 'where admin changes, events and bugs are kept (flags/, collector/, bugs/)'),
  store: storeOption,
  'max-store-bytes': maxStoreBytesOption,
  host: hostOption,
  'admin-token': adminTokenOption,
  'collector-token': collectorTokenOption,
  'ingest-key': ingestKeyOption,
  'allow-origin': allowOriginOption,
  'allowed-host': allowedHostOption,
  'max-streams': maxStreamsOption,
} satisfies Record<string, OptionSpec>;

// The options in usage order: what to serve, where to keep it, where to listen, then the rest.
const { flags: flagsSpec, data: dataSpec, ...afterPort } = SERVICES_OPTIONS;

/** The `serve` command's options. */
export const SERVE_COMMAND = {
  name: 'token-rollout serve',
  summary:
    'The flag server (LaunchDarkly client-side routes + admin API), the collector, the gate (/api/gate) and bugs (/bugs) on one port.',
  options: { flags: flagsSpec, data: dataSpec, port: portOptionSpec(8030), ...afterPort },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** `ServicesOptions` from parsed `serve` (or `npm start`) options. */
export function servicesOptionsOf(o: ParsedOptions<typeof SERVE_COMMAND.options>): ServicesOptions {
  const dataDir = resolve(o.data);
  return {
    flagsDir: resolveFlagsDir(o.flags),
    dataDir,
    ...(o.store ? { store: storeSpecOf(o.store, join(dataDir, 'collector')) } : {}),
    ...(o['max-store-bytes'] !== undefined ? { maxStoreBytes: o['max-store-bytes'] } : {}),
    port: o.port,
    host: o.host,
    maxStreams: o['max-streams'],
    ...(o['admin-token'] ? { adminToken: o['admin-token'] } : {}),
    ...(o['collector-token'] ? { collectorToken: o['collector-token'] } : {}),
    ...(o['ingest-key'] ? { ingestKey: o['ingest-key'] } : {}),
    ...(o['allow-origin'].length > 0 ? { allowedOrigins: o['allow-origin'] } : {}),
    ...(o['allowed-host'].length > 0 ? { allowedHosts: o['allowed-host'] } : {}),
  };
}

/** Parses `serve`'s options; throws a UsageError naming the bad option, HelpRequested for --help. */
export function parseServicesArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): ServicesOptions {
  return servicesOptionsOf(parseCommand(SERVE_COMMAND, argv, env));
}

/** The composition of `serve` (and of `npm start`, which adds its pages as `mounts`). */
export function servicesComposition(options: ServicesOptions): ToolsServerOptions {
  return {
    host: options.host,
    port: options.port ?? 8030,
    allowedHosts: options.allowedHosts,
    adminToken: options.adminToken,
    flags: {
      flagsDir: options.flagsDir,
      dataDir: join(options.dataDir, 'flags'),
      ...(options.maxStreams === undefined ? {} : { maxStreams: options.maxStreams }),
    },
    collector: {
      dataDir: join(options.dataDir, 'collector'),
      ...(options.store ? { store: options.store } : {}),
      ...(options.maxStoreBytes !== undefined ? { maxStoreBytes: options.maxStoreBytes } : {}),
      ...(options.collectorToken ? { token: options.collectorToken } : {}),
      ...(options.ingestKey ? { ingestKey: options.ingestKey } : {}),
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    },
    gate: true,
    bugs: { dataDir: join(options.dataDir, 'bugs') },
  };
}

/** Starts `serve`'s composition; resolves once listening. */
export function startServices(options: ServicesOptions): Promise<ToolsServer> {
  return startToolsServer(servicesComposition(options));
}

/** `token-rollout serve ARGS`: starts and prints where each part answers. */
export async function serveCli(argv: readonly string[], print = console.log): Promise<ToolsServer> {
  const server = await startServices(parseServicesArgs(argv));
  print(`token-rollout serve: ${server.url}`);
  print(`  LaunchDarkly SDKs: baseUri/streamUri/eventsUri = ${server.url}`);
  print(`  admin:     curl ${server.url}/admin/state`);
  print(`  collector: POST ${server.collectUrl}, GET ${server.url}/aggregates`);
  if (server.collector)
    print(`  events:    ${server.collector.store.location} (${server.collector.store.engine})`);
  print(`  gate:      GET ${server.url}/api/gate`);
  if (server.bugs) print(`  bugs:      GET ${server.url}/bugs`);
  return server;
}

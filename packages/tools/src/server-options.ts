// The options the server commands share (`token-rollout serve`, `flags`, `collector`, and `npm start`),
// declared once so that each means the same everywhere; args.ts parses and checks them.
import type { OptionSpec } from './args.js';

/** `--host H`: where to listen. */
export const hostOption = {
  kind: 'string',
  value: 'H',
  help: 'address to listen on; other than loopback needs the tokens',
  default: '127.0.0.1',
} as const satisfies OptionSpec;

/** `--port N` with the command's default port. */
export function portOptionSpec(port: number, env?: string) {
  return {
    kind: 'port',
    value: 'N',
    help: 'port to listen on (0: any free port)',
    default: String(port),
    ...(env ? { env } : {}),
  } as const satisfies OptionSpec;
}

/** `--data DIR` with the command's default directory. */
export function dataOption(dir: string, what: string) {
  return { kind: 'string', value: 'DIR', help: what, default: dir } as const satisfies OptionSpec;
}

/** `--flags DIR`: the flag definitions. */
export const flagsOption = {
  kind: 'string',
  value: 'DIR',
  help: 'flag definitions (LaunchDarkly flag JSON); else ./flags when present, else the shipped plan',
} as const satisfies OptionSpec;

/** `--admin-token T`. */
export const adminTokenOption = {
  kind: 'string',
  value: 'T',
  help: 'bearer token the admin API (and LaunchDarkly event posts) then need',
  env: 'TOKEN_ROLLOUT_ADMIN_TOKEN',
} as const satisfies OptionSpec;

/** `--collector-token T` (serve, npm start) / `--token T` (collector). */
export const collectorTokenOption = {
  kind: 'string',
  value: 'T',
  help: "bearer token the collector's reads then need; writes need the ingest key derived from it",
  env: 'TOKEN_ROLLOUT_COLLECTOR_TOKEN',
} as const satisfies OptionSpec;

/** `--ingest-key K`: the key writes need (instead of the one derived from the collector token). */
export const ingestKeyOption = {
  kind: 'string',
  value: 'K',
  help: 'key /collect then needs (?key=K): for server-side senders',
  env: 'TOKEN_ROLLOUT_INGEST_KEY',
} as const satisfies OptionSpec;

/** `--allow-origin O`: pages that may post events. */
export const allowOriginOption = {
  kind: 'list',
  value: 'ORIGIN',
  help: 'origin whose pages may post events, e.g. https://shop.example (default: own and loopback origins)',
} as const satisfies OptionSpec;

/** `--allowed-host NAME`: more names for this server in Host headers. */
export const allowedHostOption = {
  kind: 'list',
  value: 'NAME',
  help: 'another name clients use for this server (read routes refuse unknown Host names)',
} as const satisfies OptionSpec;

/** `--max-streams N`. */
export const maxStreamsOption = {
  kind: 'integer',
  value: 'N',
  help: 'most flag streams open at once; more are answered 503',
  default: '500',
  min: 1,
  max: 100_000,
} as const satisfies OptionSpec;

/** `--store SPEC`: where the collector keeps events (store/open.ts `parseStoreSpec`). */
export const storeOption = {
  kind: 'string',
  value: 'SPEC',
  help: 'where events are kept: duckdb:PATH (default <data>/events.duckdb) or clickhouse://host:8123/db',
  env: 'TOKEN_ROLLOUT_STORE',
} as const satisfies OptionSpec;

/** `--max-store-bytes N`: refuse new events (507) once the store is larger on disk. */
export const maxStoreBytesOption = {
  kind: 'integer',
  value: 'N',
  help: 'refuse new events with 507 once the event store takes more than N bytes on disk (default: no limit)',
  min: 1,
  max: Number.MAX_SAFE_INTEGER,
} as const satisfies OptionSpec;

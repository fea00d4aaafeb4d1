// `--store SPEC` for the collector, the server and the gate: where events are kept.
//   (absent)                        DuckDB at <data>/events.duckdb (the embedded default)
//   duckdb:PATH | PATH.duckdb       DuckDB at PATH
//   clickhouse://host:8123/db       ClickHouse over HTTP (http:// and https:// also accepted)
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { openClickHouseStore } from './clickhouse.js';
import { openDuckDbStore } from './duckdb.js';
import type { EventStore } from './types.js';

/** A parsed `--store` value. */
export type StoreSpec = { engine: 'duckdb'; path: string } | { engine: 'clickhouse'; url: string };

/** Parses `--store`; throws an Error that names the option and the forms it takes. */
export function parseStoreSpec(spec: string | undefined, dataDir: string): StoreSpec {
  if (spec === undefined || spec === '')
    return { engine: 'duckdb', path: join(resolve(dataDir), 'events.duckdb') };
  if (spec.startsWith('duckdb:')) return { engine: 'duckdb', path: resolve(spec.slice('duckdb:'.length)) };
  if (/^(clickhouse|https?):\/\//.test(spec)) return { engine: 'clickhouse', url: spec };
  if (spec.endsWith('.duckdb')) return { engine: 'duckdb', path: resolve(spec) };
  throw new Error(
    `--store ${spec}: expected duckdb:PATH, a PATH ending in .duckdb, or clickhouse://host:8123/db`,
  );
}

/** Opens the store a spec names (creating the DuckDB file's folder, or ClickHouse's tables). */
export async function openStore(
  spec: StoreSpec,
  options: { memoryLimit?: string; sessionMemoryLimit?: string } = {},
): Promise<EventStore> {
  if (spec.engine === 'clickhouse') return openClickHouseStore({ url: spec.url });
  await mkdir(dirname(spec.path), { recursive: true });
  return openDuckDbStore({ path: spec.path, ...options });
}

// The stores' DDL lives in packages/tools/schema/*.sql (shipped with the package, for teams that create
// the tables themselves); this reads it and splits it into statements.
import { readFile } from 'node:fs/promises';
import type { Engine } from './types.js';

/** The DDL file of an engine, as text. */
export function readSchema(engine: Engine): Promise<string> {
  return readFile(schemaPath(engine), 'utf8');
}

/** Where the DDL of an engine is (`schema/<engine>.sql` at the package's root). */
export function schemaPath(engine: Engine): URL {
  // From src/store/ (source) and from dist/ or dist/chunks/ (built) the package root is found by name.
  const here = import.meta.url;
  const root = here.includes('/dist/')
    ? here.slice(0, here.indexOf('/dist/') + 1)
    : new URL('../../', here).href;
  return new URL(`schema/${engine}.sql`, root);
}

/** The statements of a DDL text: comments dropped, split at semicolons. */
export function statements(ddl: string): string[] {
  return ddl
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

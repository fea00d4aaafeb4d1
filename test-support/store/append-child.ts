// A collector stand-in for the crash test: appends batches of 50 events to a DuckDB store as fast as it
// can and prints each acknowledged batch's key, until it is killed.

import { openStore } from '../../packages/tools/src/store/open.js';
import { batchKey } from '../../packages/tools/src/store/rows.js';
import { storedEvents } from './events.js';

const [path, seedText] = process.argv.slice(2);
const store = await openStore({ engine: 'duckdb', path: path! });
let seed = Number(seedText ?? 1);
for (;;) {
  const batches = Array.from({ length: 8 }, () => storedEvents(50, seed++));
  await Promise.all(
    batches.map(async (events) => {
      await store.append(events);
      process.stdout.write(`${batchKey(events)}\n`);
    }),
  );
}

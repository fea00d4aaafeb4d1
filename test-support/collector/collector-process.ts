// Runs a collector server in its own process, for the crash-safety test and the load bench:
// `node --import tsx server/collector/collector-process.ts <dataDir>`. Prints `{"url": …}` as one JSON
// line once listening, and shuts down cleanly on SIGTERM (SIGKILL is the crash being tested).
import { startCollectorServer } from '../../packages/tools/src/collector/server.js';

const dataDir = process.argv[2];
if (dataDir === undefined) {
  console.error('usage: collector-process.ts <dataDir>');
  process.exit(2);
}
const server = await startCollectorServer({ dataDir });
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

// The flag server in its own process, for the crash test: `tsx reliability/flag-server-process.ts
// <flagsDir> <dataDir>`. Prints `{"url": …}` on one line once listening.
import { startFlagServer } from '../packages/tools/src/flag-server/index.js';

const [flagsDir, dataDir] = process.argv.slice(2);
if (!flagsDir || !dataDir) throw new Error('usage: flag-server-process.ts <flagsDir> <dataDir>');
const server = await startFlagServer({ port: 0, flagsDir, dataDir });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

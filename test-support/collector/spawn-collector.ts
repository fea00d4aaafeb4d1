// Starts collector-process.ts as a child process (crash test, store bench) and waits for its URL.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CollectorChild {
  url: string;
  child: ChildProcess;
  /** Resolves once the process has exited (after a kill or on its own). */
  exited: Promise<void>;
}

const script = fileURLToPath(new URL('./collector-process.ts', import.meta.url));

/**
 * Spawns a collector server on `dataDir` in a fresh Node process (TypeScript through tsx), with more
 * arguments of collector-process.ts (`--store SPEC`, `--load N`); `onLine` gets each later stdout line.
 */
export function spawnCollector(
  dataDir: string,
  args: readonly string[] = [],
  onLine: (line: string) => void = () => {},
): Promise<CollectorChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    let err = '';
    let started = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (started) {
          onLine(line);
          continue;
        }
        started = true;
        try {
          const { url } = JSON.parse(line) as { url: string };
          resolve({ url, child, exited });
        } catch {
          reject(new Error(`collector process printed something unexpected: ${line}`));
        }
      }
    });
    child.once('exit', (code, signal) => {
      if (!started) reject(new Error(`collector process exited early (${code ?? signal}): ${err.trim()}`));
    });
  });
}

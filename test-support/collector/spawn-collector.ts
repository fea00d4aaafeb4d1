// Starts collector-process.ts as a child process (crash test, load bench) and waits for its URL.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CollectorChild {
  url: string;
  child: ChildProcess;
  /** Resolves once the process has exited (after a kill or on its own). */
  exited: Promise<void>;
}

const script = fileURLToPath(new URL('./collector-process.ts', import.meta.url));

/** Spawns a collector server on `dataDir` in a fresh Node process (TypeScript through tsx). */
export function spawnCollector(dataDir: string): Promise<CollectorChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        try {
          const { url } = JSON.parse(line) as { url: string };
          resolve({ url, child, exited });
        } catch {
          reject(new Error(`collector process printed something unexpected: ${line}`));
        }
      }
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`collector process exited early (${code ?? signal}): ${err.trim()}`));
    });
  });
}

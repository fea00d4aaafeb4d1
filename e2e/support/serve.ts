// `token-rollout serve` as a child process, the way an app team starts it: the bin on Node, in the app's
// folder. Shared by the quick-start tests (in the workspace and from the packed tarballs).
import { type ChildProcess, spawn } from 'node:child_process';

/** A running `token-rollout serve`. */
export interface Serve {
  /** Its URL, from the line it prints once it listens. */
  url: string;
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `node CLI serve ARGS` in `cwd`; resolves once it listens, rejects with its output if it exits. */
export function startServe(cli: string, args: readonly string[], cwd: string): Promise<Serve> {
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /token-rollout serve: (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`token-rollout serve exited ${code}:\n${out}`)));
  });
}

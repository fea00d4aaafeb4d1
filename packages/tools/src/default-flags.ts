// Where the flag definitions come from when `--flags` is not given: the package's own `flags/` folder,
// the rollout plan's four weeks in LaunchDarkly's flag JSON format. Found by walking up from this module,
// so the same code works from the source tree and from the installed package's dist/.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The flag definitions shipped with token-rollout-tools (the plan's config: see its `flags/` folder). */
export function defaultFlagsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'flags');
    if (existsSync(join(candidate, 'design-tokens-v2.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('token-rollout-tools: its flags/ folder is missing; pass --flags DIR');
    dir = parent;
  }
}

/** `--flags DIR` when given, else `./flags` when the working directory has one, else the shipped default. */
export function resolveFlagsDir(option: string | undefined, cwd = process.cwd()): string {
  if (option !== undefined) return resolve(cwd, option);
  const local = join(cwd, 'flags');
  return existsSync(local) ? local : defaultFlagsDir();
}

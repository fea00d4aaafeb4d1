// `token-rollout init`: its options and its command line. The work is in init.ts, loaded only when the
// command runs: it imports the app's SDK (`token-rollout/boot`), which no other command needs.
import { FAMILIES, type Family, isFamily } from 'token-rollout/core';
import {
  type CommandSpec,
  HelpRequested,
  type OptionSpec,
  type ParsedOptions,
  parseCommand,
  UsageError,
} from '../args.js';

/** The `init` command's options. */
export const INIT_COMMAND = {
  name: 'token-rollout init',
  summary:
    "Writes the rollout plan's flag definitions (the defaults `serve` uses) into DIR/flags/ and prints the boot snippet's <head> tag for the app's token manifest, then the next steps.",
  options: {
    dir: { kind: 'string', value: 'DIR', help: 'the app folder; flags go to DIR/flags/', default: '.' },
    manifest: {
      kind: 'string',
      value: 'PATH',
      help: "the token manifest (default: the app's installed token-rollout/tokens/manifest.json)",
    },
    families: {
      kind: 'list',
      value: 'a,b',
      help: "the page's families, as the rollout's `families` (default: every family)",
    },
    'token-base': {
      kind: 'string',
      value: 'URL',
      help: 'where the app serves the token files (dist/tokens/)',
      default: '/tokens/',
    },
    force: { kind: 'flag', help: 'overwrite flag files that exist' },
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** What `init` was asked to do, checked. */
export interface InitOptions {
  /** The app folder (absolute or relative to `cwd`). */
  dir: string;
  /** The token manifest; undefined: the one installed with the app's token-rollout. */
  manifest?: string;
  /** The page's families; empty: every family (no `data-families`). */
  families: readonly Family[];
  tokenBase: string;
  force: boolean;
}

/** Where `init` writes its output, and the folder relative paths start from. */
export interface InitIo {
  stdout(line: string): void;
  stderr(line: string): void;
  cwd: string;
}

/** `InitOptions` from parsed options; an unknown family is a usage error naming it. */
export function initOptionsOf(o: ParsedOptions<typeof INIT_COMMAND.options>): InitOptions {
  const unknown = o.families.filter((f) => !isFamily(f));
  if (unknown.length > 0) {
    throw new UsageError(
      `${INIT_COMMAND.name}: unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} (known: ${FAMILIES.join(', ')})`,
    );
  }
  const tokenBase = o['token-base'].endsWith('/') ? o['token-base'] : `${o['token-base']}/`;
  return {
    dir: o.dir,
    ...(o.manifest === undefined ? {} : { manifest: o.manifest }),
    families: [...new Set(o.families)] as Family[],
    tokenBase,
    force: o.force,
  };
}

/**
 * `token-rollout init ARGS`: `--help` prints the usage (0), a bad option its message (2); otherwise the
 * exit code of `runInit` (0 written, 1 refused or failed).
 */
export async function initCli(argv: readonly string[], io: InitIo): Promise<number> {
  let options: InitOptions;
  try {
    options = initOptionsOf(parseCommand(INIT_COMMAND, argv, {}));
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout(error.usage);
      return 0;
    }
    if (error instanceof UsageError) {
      io.stderr(error.message);
      return 2;
    }
    throw error;
  }
  const { runInit } = await import('./init.js');
  return runInit(options, io);
}

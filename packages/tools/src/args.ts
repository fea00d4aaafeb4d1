// One checked parser for the options of every server command (`token-rollout serve`, `flags`,
// `collector`, and `npm start`): declared once per command with their help, so the usage printed by
// `--help` is the list the parser accepts, and every number is checked by integer-option.ts.
import { parseArgs } from 'node:util';
import { integerOption, portOption } from './integer-option.js';

/** How an option's value is read. `list` may be repeated (and split at commas); `flag` takes none. */
export type OptionKind = 'string' | 'list' | 'port' | 'integer' | 'flag';

/** One option of a command. */
export interface OptionSpec {
  kind: OptionKind;
  /** The value's placeholder in the usage, e.g. `DIR`. */
  value?: string;
  /** One line: what it sets. */
  help: string;
  /** The value when neither the option nor `env` is given (as typed on the command line). */
  default?: string;
  /** An environment variable read when the option is absent. */
  env?: string;
  /** Bounds of an `integer`. */
  min?: number;
  max?: number;
}

/** A command: its name (as typed after `token-rollout`, or `npm start`), what it does, and its options. */
export interface CommandSpec<O extends Record<string, OptionSpec>> {
  name: string;
  summary: string;
  options: O;
}

type ValueOf<S extends OptionSpec> = S['kind'] extends 'port' | 'integer'
  ? number
  : S['kind'] extends 'list'
    ? string[]
    : S['kind'] extends 'flag'
      ? boolean
      : string;

/** The parsed options: an option with a default (or a list or flag) always has a value. */
export type ParsedOptions<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K] extends { default: string }
    ? ValueOf<O[K]>
    : O[K]['kind'] extends 'list' | 'flag'
      ? ValueOf<O[K]>
      : ValueOf<O[K]> | undefined;
};

/** Thrown by `parseCommand` for `--help` / `-h`: print `usage` on stdout and exit 0. */
export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super(usage);
    this.name = 'HelpRequested';
  }
}

/** Thrown for a bad command line; the message names the command and the option. Exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The usage text of `command`, one line per option with its default and environment variable. */
export function usageOf<O extends Record<string, OptionSpec>>(command: CommandSpec<O>): string {
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const left = `--${name}${spec.kind === 'flag' ? '' : ` ${spec.value ?? (spec.kind === 'string' || spec.kind === 'list' ? 'TEXT' : 'N')}`}`;
    const notes = [
      spec.default !== undefined ? `default ${spec.default}` : '',
      spec.env ? `env ${spec.env}` : '',
      spec.kind === 'list' ? 'repeatable' : '',
    ].filter(Boolean);
    return [left, `${spec.help}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`] as const;
  });
  const width = Math.max(10, ...rows.map(([left]) => left.length)) + 2;
  const lines = rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
  return [
    `usage: ${command.name} [options]`,
    '',
    command.summary,
    '',
    ...lines,
    `  ${'--help'.padEnd(width)}this text`,
  ].join('\n');
}

/** Node's parse errors name the option in quotes; say it the way a user typed it, with where to look. */
function usageError(command: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const option = /'(-{1,2}[^' ]+)/.exec((error as Error).message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new UsageError(`${command}: unknown option ${option ?? ''} (${command} --help lists them)`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(`${command}: option ${option ?? ''} needs a value (${command} --help)`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return new UsageError(
      `${command}: unexpected argument ${/'([^']*)'/.exec((error as Error).message)?.[1] ?? ''}`,
    );
  }
  return new UsageError(`${command}: ${(error as Error).message}`);
}

function convert(command: string, name: string, spec: OptionSpec, text: string): number | string {
  try {
    if (spec.kind === 'port') return portOption(text);
    if (spec.kind === 'integer')
      return integerOption(name, text, spec.min ?? 0, spec.max ?? Number.MAX_SAFE_INTEGER);
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
  return text;
}

/**
 * Parses `argv` for `command`: options, then environment variables, then defaults. Throws `HelpRequested`
 * for `--help`, `UsageError` naming the option for anything wrong (unknown, missing value, bad number).
 */
export function parseCommand<O extends Record<string, OptionSpec>>(
  command: CommandSpec<O>,
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): ParsedOptions<O> {
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(usageOf(command));
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] =
      spec.kind === 'flag' ? { type: 'boolean' } : { type: 'string', multiple: spec.kind === 'list' };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw usageError(command.name, error);
  }
  const parsed: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    const given = values[name];
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    if (spec.kind === 'flag') {
      parsed[name] = given === true;
    } else if (spec.kind === 'list') {
      const items = Array.isArray(given)
        ? given.map(String)
        : fromEnv
          ? [fromEnv]
          : spec.default
            ? [spec.default]
            : [];
      parsed[name] = items
        .flatMap((item) => item.split(','))
        .map((item) => item.trim())
        .filter(Boolean);
    } else {
      const text =
        typeof given === 'string' ? given : fromEnv !== undefined && fromEnv !== '' ? fromEnv : spec.default;
      parsed[name] = text === undefined ? undefined : convert(command.name, name, spec, text);
    }
  }
  return parsed as ParsedOptions<O>;
}

/**
 * Runs a command's body and turns the parser's outcomes into exit codes: `--help` prints the usage and
 * gives 0, a usage error prints its message and gives 2; anything else is the body's own.
 */
export async function withUsage(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof HelpRequested) {
      console.log(error.usage);
      return 0;
    }
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

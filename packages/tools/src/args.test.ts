import { describe, expect, it } from 'vitest';
import {
  type CommandSpec,
  HelpRequested,
  type OptionSpec,
  parseCommand,
  UsageError,
  usageOf,
} from './args.js';

const COMMAND = {
  name: 'tool run',
  summary: 'Runs the tool.',
  options: {
    port: { kind: 'port', value: 'N', help: 'port', default: '8030', env: 'PORT' },
    host: { kind: 'string', value: 'H', help: 'host', default: '127.0.0.1' },
    token: { kind: 'string', value: 'T', help: 'token', env: 'TOKEN' },
    'allow-origin': { kind: 'list', value: 'ORIGIN', help: 'origins' },
    limit: { kind: 'integer', value: 'N', help: 'limit', min: 1, max: 10 },
    verbose: { kind: 'flag', help: 'say more' },
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

describe('parseCommand', () => {
  it('reads options, then the environment, then defaults, with numbers checked', () => {
    expect(parseCommand(COMMAND, [], {})).toEqual({
      port: 8030,
      host: '127.0.0.1',
      token: undefined,
      'allow-origin': [],
      limit: undefined,
      verbose: false,
    });
    expect(
      parseCommand(
        COMMAND,
        ['--allow-origin', 'https://a.example,https://b.example', '--allow-origin', 'http://c', '--verbose'],
        { PORT: '0', TOKEN: 't' },
      ),
    ).toMatchObject({
      port: 0,
      token: 't',
      'allow-origin': ['https://a.example', 'https://b.example', 'http://c'],
      verbose: true,
    });
    expect(parseCommand(COMMAND, ['--port', '9000'], { PORT: '1' }).port).toBe(9000);
  });

  it('names what is wrong, as a UsageError', () => {
    const wrong =
      (argv: string[], env: Record<string, string> = {}) =>
      () =>
        parseCommand(COMMAND, argv, env);
    expect(wrong(['--port', 'eighty'])).toThrow(UsageError);
    expect(wrong(['--port', 'eighty'])).toThrow(
      'tool run: --port must be an integer from 0 to 65535, got "eighty"',
    );
    expect(wrong([], { PORT: '70000' })).toThrow('--port must be an integer from 0 to 65535, got "70000"');
    expect(wrong(['--limit', '11'])).toThrow('--limit must be an integer from 1 to 10, got "11"');
    expect(wrong(['--colour'])).toThrow('tool run: unknown option --colour (tool run --help lists them)');
    expect(wrong(['--host'])).toThrow('tool run: option --host needs a value');
    expect(wrong(['stray'])).toThrow('tool run: unexpected argument stray');
  });

  it('answers --help and -h with the usage, listing every option with its default and variable', () => {
    for (const flag of ['--help', '-h']) {
      let usage = '';
      try {
        parseCommand(COMMAND, ['--port', 'bad', flag], {});
      } catch (error) {
        expect(error).toBeInstanceOf(HelpRequested);
        usage = (error as HelpRequested).usage;
      }
      expect(usage).toBe(usageOf(COMMAND));
    }
    const usage = usageOf(COMMAND);
    expect(usage).toContain('usage: tool run [options]');
    expect(usage).toMatch(/--port N +port \(default 8030; env PORT\)/);
    expect(usage).toMatch(/--allow-origin ORIGIN +origins \(repeatable\)/);
    expect(usage).toMatch(/--verbose +say more/);
    expect(usage).toMatch(/--help +this text/);
  });
});

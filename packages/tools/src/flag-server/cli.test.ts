import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlagsArgs } from './cli.js';

describe('parseFlagsArgs', () => {
  it('reads --flags, --data, --port, --host and --admin-token', () => {
    expect(
      parseFlagsArgs([
        '--flags',
        'f',
        '--data',
        'd',
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--admin-token',
        't',
      ]),
    ).toEqual({
      flagsDir: resolve('f'),
      dataDir: resolve('d'),
      port: 0,
      host: '0.0.0.0',
      adminToken: 't',
      maxStreams: 500,
    });
  });

  it('reads --calendar (the release calendar, which must then exist)', () => {
    expect(parseFlagsArgs(['--calendar', 'cal/release.json'], {}).calendarFile).toBe(
      resolve('cal/release.json'),
    );
  });

  it('says which option is wrong', () => {
    expect(() => parseFlagsArgs(['--port', 'eighty'])).toThrow(/--port must be an integer.*"eighty"/);
    expect(() => parseFlagsArgs(['--colour'])).toThrow(/colour/);
  });
});

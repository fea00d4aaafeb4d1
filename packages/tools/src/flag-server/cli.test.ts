import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs } from './cli.js';

describe('parseServeArgs', () => {
  it('reads --flags, --data, --port, --host and --admin-token', () => {
    expect(
      parseServeArgs([
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
    ).toEqual({ flagsDir: resolve('f'), dataDir: resolve('d'), port: 0, host: '0.0.0.0', adminToken: 't' });
  });

  it('says which option is wrong', () => {
    expect(() => parseServeArgs(['--port', 'eighty'])).toThrow(/--port must be an integer.*"eighty"/);
    expect(() => parseServeArgs(['--colour'])).toThrow(/colour/);
  });
});

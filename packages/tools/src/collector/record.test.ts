import type { MetricEvent } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from './record.js';

const event: MetricEvent = {
  name: 'js-error',
  value: 1,
  arm: 'v1',
  stage: null,
  configVersion: 'c',
  region: 'CA',
  user: '0123abcd',
  session: 's',
  ts: 1,
  detail: 'line\nbreak \u2028 and "quotes" and ünïcödé',
  assignment: 'ineligible',
  bucket: 0.5,
};

describe('record format', () => {
  it('writes one line per event (newlines inside values are escaped) and reads it back', () => {
    const line = encodeRecord(event);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(line).toMatch(/^[0-9a-f]{8}\t\{/);
    expect(decodeRecord(line.slice(0, -1))).toEqual({ ok: true, event });
  });

  it('detects a torn line, a flipped byte and a missing checksum', () => {
    const line = encodeRecord(event).slice(0, -1);
    expect(decodeRecord(line.slice(0, line.length - 5))).toEqual({ ok: false, problem: 'checksum-mismatch' });
    expect(decodeRecord(line.replace('"v1"', '"v2"'))).toEqual({ ok: false, problem: 'checksum-mismatch' });
    expect(decodeRecord(line.slice(9))).toEqual({ ok: false, problem: 'no-checksum' });
    expect(decodeRecord('')).toEqual({ ok: false, problem: 'no-checksum' });
  });
});

import { describe, expect, it } from 'vitest';
import { GateInputError, parseEventsNdjson } from './events.js';

const good = {
  name: 'fcp',
  value: 1180,
  arm: 'v2',
  stage: 'week1',
  configVersion: 'c1',
  region: 'AU',
  user: 'a1b2c3d4',
  session: 's1',
  ts: 1_739_145_600_000,
};

describe('parseEventsNdjson', () => {
  it('reads one event per line and skips blank lines', () => {
    const text = `${JSON.stringify(good)}\n\n${JSON.stringify({ ...good, value: 900 })}\n`;
    const events = parseEventsNdjson(text, 'events.ndjson');
    expect(events.map((e) => e.value)).toEqual([1180, 900]);
  });

  it('names the file and line of a line that is not JSON', () => {
    const text = `${JSON.stringify(good)}\n{"name": "fcp",\n`;
    expect(() => parseEventsNdjson(text, 'events.ndjson')).toThrow(GateInputError);
    expect(() => parseEventsNdjson(text, 'events.ndjson')).toThrow(/events\.ndjson:2: not JSON/);
  });

  it('names the file, line and field of an event that breaks the contract', () => {
    const text = `${JSON.stringify(good)}\n${JSON.stringify({ ...good, arm: 'v3' })}\n`;
    expect(() => parseEventsNdjson(text, 'data/x.ndjson')).toThrow(
      /data\/x\.ndjson:2: \$\.arm: expected v1, v2 or mixed/,
    );
  });

  it('lists at most five problems and counts the rest', () => {
    const text = Array.from({ length: 8 }, () => 'nope').join('\n');
    expect(() => parseEventsNdjson(text, 'f')).toThrow(/8 bad event line\(s\)[\s\S]*… and 3 more bad lines/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseEventsNdjson } from './events.js';

const good = { name: 'fcp', value: 1180 };

describe('parseEventsNdjson', () => {
  it('reads one object per line and skips blank lines', () => {
    const text = `${JSON.stringify(good)}\n\n${JSON.stringify({ ...good, value: 900 })}\n`;
    const read = parseEventsNdjson(text, 'events.ndjson');
    expect(read.events).toEqual([good, { ...good, value: 900 }]);
    expect(read.badLines).toBe(0);
  });

  it('skips and counts a line that is not JSON, naming the file and line, instead of failing the check', () => {
    const text = `${JSON.stringify(good)}\n{"name": "fcp",\n${JSON.stringify(good)}`;
    const read = parseEventsNdjson(text, 'events.ndjson');
    expect(read.events).toHaveLength(2);
    expect(read.badLines).toBe(1);
    expect(read.samples[0]).toMatch(/^events\.ndjson:2: not JSON/);
  });

  it('skips lines that are JSON but not an object', () => {
    const read = parseEventsNdjson('[1,2]\n"text"\n42\nnull', 'x');
    expect(read).toMatchObject({ events: [], badLines: 4 });
    expect(read.samples[0]).toBe('x:1: not an event object');
  });

  it('keeps five samples and counts every bad line', () => {
    const read = parseEventsNdjson(Array.from({ length: 8 }, () => 'nope').join('\n'), 'f');
    expect(read.badLines).toBe(8);
    expect(read.samples).toHaveLength(5);
    expect(read.samples[4]).toMatch(/^f:5:/);
  });
});

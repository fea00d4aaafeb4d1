import { describe, expect, it } from 'vitest';
import { bootstrapToEvalx } from './evaluator.js';
import { diffEvents } from './streams.js';

describe('bootstrapToEvalx', () => {
  it("converts allFlagsState's bootstrap JSON into the evalx format", () => {
    const bootstrap = {
      a: { week1: {} },
      b: false,
      $flagsState: {
        a: { variation: 1, version: 7, reason: { kind: 'FALLTHROUGH' }, trackEvents: true },
        b: { variation: 0, version: 2 },
      },
      $valid: true,
    };
    expect(bootstrapToEvalx(bootstrap, false)).toEqual({
      a: { value: { week1: {} }, variation: 1, version: 7, flagVersion: 7, trackEvents: true },
      b: { value: false, variation: 0, version: 2, flagVersion: 2 },
    });
    expect(bootstrapToEvalx(bootstrap, true).a?.reason).toEqual({ kind: 'FALLTHROUGH' });
  });
});

describe('diffEvents', () => {
  it('patches changed flags and deletes vanished ones, newer versions only', () => {
    const before = {
      a: { value: 1, version: 1, flagVersion: 1 },
      b: { value: true, version: 3, flagVersion: 3 },
    };
    const after = {
      a: { value: 2, version: 2, flagVersion: 2 },
      c: { value: 'x', version: 1, flagVersion: 1 },
    };
    expect(diffEvents(before, after)).toEqual([
      { event: 'patch', data: { key: 'a', value: 2, version: 2, flagVersion: 2 } },
      { event: 'patch', data: { key: 'c', value: 'x', version: 1, flagVersion: 1 } },
      { event: 'delete', data: { key: 'b', version: 4 } },
    ]);
    expect(diffEvents(after, after)).toEqual([]);
  });
});

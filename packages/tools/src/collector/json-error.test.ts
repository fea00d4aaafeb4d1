import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-error.js';

describe('locateJsonError', () => {
  it.each([
    ['{"a":}', 5, 1, 6, 'a value'],
    ['[1,2', 4, 1, 5, "',' or ']'"],
    ['[1,,2]', 3, 1, 4, 'a value'],
    ['xyz', 0, 1, 1, 'a value'],
    ['', 0, 1, 1, 'a value (the input ended)'],
    ['[1]\n x', 5, 2, 2, 'the end of the input'],
    ['{"a":1,}', 7, 1, 8, 'a double-quoted property name'],
    ['["\u0001"]', 2, 1, 3, 'an escaped control character'],
    ['["\\x"]', 3, 1, 4, 'a valid escape'],
    ['[01]', 2, 1, 3, "',' or ']'"],
    ['[1.]', 3, 1, 4, 'a digit'],
    ['[tru]', 4, 1, 5, '"true"'],
  ])(
    'finds the error in %j at position %i (line %i, column %i)',
    (text, position, line, column, expected) => {
      expect(locateJsonError(text)).toEqual({ position, line, column, expected });
    },
  );

  it('agrees with JSON.parse on valid JSON and on mutated JSON (property)', () => {
    fc.assert(
      fc.property(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', ',', '}', ']', '"', '\\', 'x', '\n', '-', '0'),
        (json, at, insert) => {
          expect(locateJsonError(json)).toBeNull();
          const cut = at % (json.length + 1);
          const mutated = json.slice(0, cut) + insert + json.slice(cut);
          let valid = true;
          try {
            JSON.parse(mutated);
          } catch {
            valid = false;
          }
          const found = locateJsonError(mutated);
          expect(found === null).toBe(valid);
          if (found) expect(found.position).toBeLessThanOrEqual(mutated.length);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

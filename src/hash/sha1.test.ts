import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha1Hex, sha1Into } from './sha1.js';

const nodeSha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

describe('sha1Hex', () => {
  it('gives the FIPS 180 test vectors', () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1Hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(sha1Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
  });

  it('matches node:crypto at every padding boundary (0..200 bytes)', () => {
    for (let n = 0; n <= 200; n++) {
      const s = 'x'.repeat(n);
      expect(sha1Hex(s), `length ${n}`).toBe(nodeSha1(s));
    }
  });

  it('matches node:crypto on random unicode strings, including astral characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => sha1Hex(s) === nodeSha1(s)),
      { numRuns: 2000 },
    );
  });

  it('matches node:crypto on arbitrary UTF-16, lone surrogates included (both encode them as U+FFFD)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => sha1Hex(s) === nodeSha1(s)),
      { numRuns: 2000 },
    );
    for (const s of ['\ud800', 'a\udc00b', '\udbff\ud800', '😀\ud83d']) expect(sha1Hex(s)).toBe(nodeSha1(s));
  });

  it('handles inputs far larger than its initial buffer, and short ones after them', () => {
    const big = 'é😀'.repeat(50_000);
    expect(sha1Hex(big)).toBe(nodeSha1(big));
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('writes the same digest as words', () => {
    const out = sha1Into('abc', new Uint32Array(5));
    expect([...out].map((w) => w.toString(16).padStart(8, '0')).join('')).toBe(sha1Hex('abc'));
  });
});

describe('sha1Into with a prefix', () => {
  it('hashes prefix + input, whatever was hashed before (the prefix bytes are cached between calls)', () => {
    const out = new Uint32Array(5);
    const hex = () => [...out].map((w) => w.toString(16).padStart(8, '0')).join('');
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('', 'f.s.', 'design-tokens-v2.design-tokens-v2.', 'é.😀.', 'x\ud83d'),
            fc.string({ unit: 'binary', maxLength: 80 }),
          ),
        ),
        (calls) => {
          for (const [prefix, input] of calls) {
            sha1Into(input, out, prefix);
            expect(hex()).toBe(nodeSha1(prefix + input));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the result right when a long input grows the buffer between calls with the same prefix', () => {
    const out = new Uint32Array(5);
    const prefix = 'flag.salt.';
    sha1Into('short', out, prefix);
    const long = 'k'.repeat(10_000);
    sha1Into(long, out, prefix);
    expect([...out].map((w) => w.toString(16).padStart(8, '0')).join('')).toBe(nodeSha1(prefix + long));
    sha1Into('short', out, prefix);
    expect([...out].map((w) => w.toString(16).padStart(8, '0')).join('')).toBe(nodeSha1(`${prefix}short`));
  });
});

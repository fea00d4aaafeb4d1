import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isWellFormedSri, refuseIntegrity, SRI_PATTERN } from './sri.js';

const digest = (algorithm: string, text: string) =>
  `${algorithm}-${createHash(algorithm).update(text).digest('base64')}`;

describe('isWellFormedSri', () => {
  it('accepts real sha256, sha384 and sha512 digests', () => {
    for (const algorithm of ['sha256', 'sha384', 'sha512']) {
      for (const text of ['', 'a', ':root{--x:1}'])
        expect(isWellFormedSri(digest(algorithm, text))).toBe(true);
    }
  });

  it.each([
    'sha384-!!!',
    'sha384-',
    'sha512-not base64 at all',
    'md5-abc',
    'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=',
    `${digest('sha384', 'a')} `,
    `${digest('sha384', 'a')} ${digest('sha512', 'a')}`,
    digest('sha256', 'a').slice(0, -1),
    `${digest('sha384', 'a')}=`,
    digest('sha384', 'a').replace('sha384', 'SHA384'),
    '',
    null,
    42,
  ])('refuses %j', (value) => {
    expect(isWellFormedSri(value)).toBe(false);
    expect(refuseIntegrity(value, '/t/a.css')).toMatch(
      /^refused \/t\/a\.css: integrity .* is not well-formed|not a well-formed/,
    );
  });
});

it('the boot snippet checks digests with the same pattern', () => {
  const snippet = readFileSync(new URL('../boot/snippet.ts', import.meta.url), 'utf8');
  expect(snippet).toContain(`/${SRI_PATTERN.source}/`);
});

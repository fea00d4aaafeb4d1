import { describe, expect, it } from 'vitest';
import { originOf, refuseOrigin } from './origin.js';

describe('origin allowlist', () => {
  const base = 'https://shop.example.com/page';
  it('resolves relative URLs against the page', () => {
    expect(originOf('/t/a.css', base)).toBe('https://shop.example.com');
    expect(refuseOrigin('/t/a.css', base, ['https://shop.example.com'])).toBeNull();
  });
  it('refuses other origins and non-http URLs, naming them', () => {
    expect(refuseOrigin('https://evil.example/a.css', base, ['https://shop.example.com'])).toBe(
      'refused https://evil.example/a.css: origin https://evil.example is not in allowedOrigins',
    );
    expect(refuseOrigin('data:text/css,body{}', base, ['https://shop.example.com'])).toMatch(/not an http/);
  });
});

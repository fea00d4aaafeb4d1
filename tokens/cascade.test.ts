import { describe, expect, it } from 'vitest';
import { computeCustomProperties, matches, parseTokenCss, specificity } from './cascade.js';

const html = (classes: string[] = [], attributes: Record<string, string> = {}) => ({
  root: true,
  classes,
  attributes,
});

describe('token CSS cascade model', () => {
  it('resolves var() chains on the declaring element and lets a theme block override them', () => {
    const sheet = parseTokenCss(
      ':root { --a: #fff; --b: var(--a); --c: 0 1px var(--b); }\n[data-theme="dark"] { --a: #000; }',
      'x.css',
    );
    expect(computeCustomProperties([sheet], [html()]).get('--c')).toBe('0 1px #fff');
    expect(computeCustomProperties([sheet], [html([], { 'data-theme': 'dark' })]).get('--c')).toBe(
      '0 1px #000',
    );
  });

  it('applies the more specific theme-scoped family rule over the unscoped one, and inherits the rest', () => {
    const sheet = parseTokenCss(
      ':root, .theme--light { --x: 1; } .theme--dark { --x: 2; }\n' +
        '.theme--light .tr-cards, .tr-cards { --y: a; } .theme--dark .tr-cards { --y: b; }',
      'v1.css',
    );
    const dark = computeCustomProperties([sheet], [html(['theme--dark']), { classes: ['tr-cards'] }]);
    expect(Object.fromEntries(dark)).toEqual({ '--x': '2', '--y': 'b' });
    const light = computeCustomProperties([sheet], [html(['theme--light']), { classes: ['tr-cards'] }]);
    expect(Object.fromEntries(light)).toEqual({ '--x': '1', '--y': 'a' });
  });

  it('matches descendant selectors through intermediate elements and computes specificity', () => {
    expect(matches('.a .c', [{ classes: ['a'] }, { classes: ['b'] }, { classes: ['c'] }])).toBe(true);
    expect(matches('.a .c', [{ classes: ['b'] }, { classes: ['c'] }])).toBe(false);
    expect(specificity('.theme--dark .tr-cards')).toBe(2);
    expect(specificity(':root')).toBe(1);
  });

  it('names the property on an undefined reference or a cycle', () => {
    const missing = parseTokenCss(':root { --a: var(--nope); }', 'm.css');
    expect(() => computeCustomProperties([missing], [html()])).toThrow(
      '--nope is referenced but not defined',
    );
    const cycle = parseTokenCss(':root { --a: var(--b); --b: var(--a); }', 'c.css');
    expect(() => computeCustomProperties([cycle], [html()])).toThrow(/refers to itself/);
  });

  it('rejects what token CSS must not contain, with file and line', () => {
    expect(() => parseTokenCss(':root {\n  color: red;\n}', 'bad.css')).toThrow(
      'bad.css:2: only custom properties',
    );
    expect(() => parseTokenCss('@media print { :root { --a: 1; } }', 'at.css')).toThrow(
      'at.css:1: unexpected atrule',
    );
    const sheet = parseTokenCss('div > .a { --a: 1; }', 'sel.css');
    expect(() => computeCustomProperties([sheet], [html()])).toThrow('unsupported selector part');
  });
});

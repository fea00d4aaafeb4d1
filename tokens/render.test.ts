// The v1 and v2 renderers on a made-up token set: what each format keeps, drops and repeats.
import { describe, expect, it } from 'vitest';
import { renderV1, v1FamilyScope } from './css-v1.js';
import { renderV2 } from './css-v2.js';
import { contentHash, manifestEntry } from './emit.js';
import type { BuiltToken } from './model.js';

const token = (
  name: string,
  layer: BuiltToken['layer'],
  family: BuiltToken['family'],
  light: [string, string, string[]?],
  dark: [string, string, string[]?] = light,
): BuiltToken => ({
  name,
  path: name.replace(/^tr-/, '').replaceAll('-', '.'),
  layer,
  family,
  file: 'made-up.json',
  values: {
    light: { declared: light[0], resolved: light[1], refs: light[2] ?? [] },
    dark: { declared: dark[0], resolved: dark[1], refs: dark[2] ?? [] },
  },
});

const TOKENS: BuiltToken[] = [
  token('tr-blue-600', 'primitive', 'core', ['#2563eb', '#2563eb']),
  token('tr-blue-400', 'primitive', 'core', ['#60a5fa', '#60a5fa']),
  token('tr-gray-900', 'primitive', 'core', ['#111827', '#111827']),
  token('tr-space-2', 'primitive', 'core', ['8px', '8px']),
  token(
    'tr-brand-bg',
    'semantic',
    'core',
    ['var(--tr-blue-600)', '#2563eb', ['tr-blue-600']],
    ['var(--tr-blue-400)', '#60a5fa', ['tr-blue-400']],
  ),
  token('tr-fg', 'semantic', 'core', ['var(--tr-gray-900)', '#111827', ['tr-gray-900']]),
  token(
    'tr-button-bg',
    'component',
    'buttons',
    ['var(--tr-brand-bg)', '#2563eb', ['tr-brand-bg']],
    ['var(--tr-brand-bg)', '#60a5fa', ['tr-brand-bg']],
  ),
  token('tr-card-gap', 'component', 'cards', ['var(--tr-space-2)', '8px', ['tr-space-2']]),
];

describe('v2 renderer', () => {
  it('keeps references, declares on :root, and puts only changed declarations in the dark block', () => {
    expect(renderV2(TOKENS, 'core')).toBe(
      ':root {\n  --tr-blue-600: #2563eb;\n  --tr-blue-400: #60a5fa;\n  --tr-gray-900: #111827;\n  --tr-space-2: 8px;\n' +
        '  --tr-brand-bg: var(--tr-blue-600);\n  --tr-fg: var(--tr-gray-900);\n}\n' +
        '[data-theme="dark"] {\n  --tr-brand-bg: var(--tr-blue-400);\n}\n',
    );
  });

  it('writes no dark block for a family whose declarations do not change (the theme flows through core)', () => {
    expect(renderV2(TOKENS, 'buttons')).toBe(':root {\n  --tr-button-bg: var(--tr-brand-bg);\n}\n');
  });
});

describe('v1 renderer', () => {
  it('scopes a family to its own tokens, what they reach and the themed palette, component tokens first', () => {
    expect(v1FamilyScope(TOKENS, 'cards').map((t) => t.name)).toEqual([
      'tr-card-gap',
      'tr-brand-bg',
      'tr-blue-600',
      'tr-blue-400',
      'tr-space-2',
    ]);
  });

  it('emits literals only, the theme classes, and a rule per family and theme', () => {
    const css = renderV1(TOKENS);
    expect(css).not.toContain('var(');
    expect(css).toContain(':root,\n.theme--light {\n  --tr-blue-600: #2563eb;');
    expect(css).toContain('.theme--dark {\n  --tr-blue-600: #2563eb;');
    expect(css).toContain(
      '.theme--light .tr-buttons,\n.tr-buttons {\n  --tr-button-bg: #2563eb;\n  --tr-brand-bg: #2563eb;',
    );
    expect(css).toContain(
      '.theme--dark .tr-buttons {\n  --tr-button-bg: #60a5fa;\n  --tr-brand-bg: #60a5fa;',
    );
    expect(css).not.toContain('.tr-forms');
  });
});

describe('content-addressed files', () => {
  it('names a file by its content and records raw/gzip bytes and SRI', () => {
    const css = ':root {\n  --tr-a: 1;\n}\n'.repeat(50);
    const entry = manifestEntry('cards', 'v2', 'cards', css);
    expect(entry.file).toBe(`v2/cards.${contentHash(css)}.css`);
    expect(entry.bytes).toBe(css.length);
    expect(entry.gzipBytes).toBeLessThan(entry.bytes / 5);
    expect(Buffer.from(entry.integrity.replace(/^sha384-/, ''), 'base64')).toHaveLength(48);
    expect(manifestEntry('cards', 'v2', 'cards', `${css} `).file).not.toBe(entry.file);
  });
});

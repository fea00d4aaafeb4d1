// v1/v2 parity, proven from the build output in dist/tokens: every token v1 declares, in every theme and
// on every element v1 scopes it to, is declared by v2 (core + that family's file alone) and resolves to
// the same value; v2 declares nothing v1 lacks; v2 stays within the rollback budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES, type Family } from '../src/families.js';
import { ensureTokensBuilt } from './build.js';
import { computeCustomProperties, type ElementModel, parseTokenCss, type TokenRule } from './cascade.js';
import { familyClass, v1ThemeClass } from './css-v1.js';
import type { TokenManifest } from './manifest.js';
import { THEMES, type Theme } from './model.js';

const dist = fileURLToPath(new URL('../dist/tokens/', import.meta.url));
let manifest: TokenManifest;
const sheets = new Map<string, TokenRule[]>();
const raw = new Map<string, string>();

function sheet(family: string, version: 'v1' | 'v2'): TokenRule[] {
  const entry = manifest.files.find((f) => f.family === family && f.version === version);
  if (!entry) throw new Error(`manifest has no ${version} file for ${family}`);
  let rules = sheets.get(entry.file);
  if (!rules) {
    const css = readFileSync(join(dist, entry.file), 'utf8');
    raw.set(entry.file, css);
    rules = parseTokenCss(css, entry.file);
    sheets.set(entry.file, rules);
  }
  return rules;
}

/** <html> as each version marks a theme: v1 a class, v2 the data-theme attribute (light is the default). */
function root(version: 'v1' | 'v2', theme: Theme): ElementModel {
  return version === 'v1'
    ? { root: true, classes: [v1ThemeClass(theme)] }
    : { root: true, attributes: theme === 'light' ? {} : { 'data-theme': theme } };
}

const v1Chain = (theme: Theme, family?: Family): ElementModel[] =>
  family ? [root('v1', theme), { classes: [familyClass(family)] }] : [root('v1', theme)];

beforeAll(async () => {
  await ensureTokensBuilt();
  manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as TokenManifest;
});

describe.each(THEMES)('v1 and v2 parity, %s theme', (theme) => {
  it.each(FAMILIES)(
    '%s: every token a page with v2 core + this family declares resolves the same inside the v1 family root',
    (family) => {
      const v1 = computeCustomProperties([sheet('all', 'v1')], v1Chain(theme, family));
      const v2 = computeCustomProperties([sheet('core', 'v2'), sheet(family, 'v2')], [root('v2', theme)]);
      expect(v2.size).toBeGreaterThan(100);
      const differences = [...v2]
        .filter(([name, value]) => v1.get(name) !== value)
        .map(([name, value]) => `${name}: v2 ${value} / v1 ${v1.get(name) ?? '(not declared)'}`);
      expect(differences).toEqual([]);
    },
  );

  it('page-level tokens (outside any component) resolve on v1 as on v2, family tokens included', () => {
    const v1 = computeCustomProperties([sheet('all', 'v1')], v1Chain(theme));
    const core = computeCustomProperties([sheet('core', 'v2')], [root('v2', theme)]);
    for (const [name, value] of core) expect(v1.get(name), name).toBe(value);
    // A page that loads one family's v2 file reads its tokens on <html>; v1 has them there too.
    for (const family of FAMILIES) {
      const v2 = computeCustomProperties([sheet('core', 'v2'), sheet(family, 'v2')], [root('v2', theme)]);
      const differences = [...v2]
        .filter(([name, value]) => v1.get(name) !== value)
        .map(([name, value]) => `${family} ${name}: v2 ${value} / v1 ${v1.get(name) ?? '(not declared)'}`);
      expect(differences).toEqual([]);
    }
  });

  it('v2 as a whole declares exactly the tokens v1 declares, with the same values', () => {
    const v1 = new Map<string, string>();
    for (const family of [undefined, ...FAMILIES]) {
      for (const [name, value] of computeCustomProperties([sheet('all', 'v1')], v1Chain(theme, family))) {
        v1.set(name, value);
      }
    }
    const v2 = computeCustomProperties(
      [sheet('core', 'v2'), ...FAMILIES.map((f) => sheet(f, 'v2'))],
      [root('v2', theme)],
    );
    expect([...v2.keys()].filter((name) => !v1.has(name))).toEqual([]);
    expect(Object.fromEntries(v2)).toEqual(Object.fromEntries(v1));
    expect(v2.size).toBe(manifest.tokens.count);
  });
});

describe('build output', () => {
  it('v1 holds only literals; v2 keeps references and puts only differing values in the dark block', () => {
    sheet('all', 'v1');
    const v1 = [...raw].find(([file]) => file.startsWith('v1/'))?.[1] ?? '';
    expect(v1).not.toContain('var(');
    const core = sheet('core', 'v2');
    expect(core.map((r) => r.selectors.join(', '))).toEqual([':root', '[data-theme="dark"]']);
    const [light, dark] = core;
    expect(light?.decls.filter(([, v]) => v.startsWith('var(--tr-')).length).toBeGreaterThan(50);
    const lightValues = new Map(light?.decls);
    for (const [name, value] of dark?.decls ?? []) expect(lightValues.get(name)).not.toBe(value);
    expect(dark?.decls.length).toBeLessThan(light?.decls.length ?? 0);
  });

  it('v2 in all (core + every family) is within the 40,000-byte rollback budget and the 27,000-byte goal', () => {
    const v2 = manifest.files.filter((f) => f.version === 'v2');
    expect(v2.map((f) => f.family).sort()).toEqual(['core', ...FAMILIES].sort());
    const total = v2.reduce((sum, f) => sum + f.bytes, 0);
    expect(total).toBeLessThanOrEqual(40_000);
    expect(total).toBeLessThanOrEqual(27_000);
  });

  it('the v1 monolith is the legacy size (118-124 KB), from real tokens', () => {
    const v1 = manifest.files.find((f) => f.version === 'v1');
    expect(v1?.bytes).toBeGreaterThanOrEqual(118_000);
    expect(v1?.bytes).toBeLessThanOrEqual(124_000);
    expect(manifest.tokens.count).toBeGreaterThanOrEqual(400);
  });

  it('manifest entries match the files: hashed names, byte counts and SRI integrity', async () => {
    const { createHash } = await import('node:crypto');
    for (const entry of manifest.files) {
      const bytes = readFileSync(join(dist, entry.file));
      expect(entry.file).toMatch(new RegExp(`^${entry.version}/${entry.family}\\.[0-9a-f]{8}\\.css$`));
      expect(entry.bytes).toBe(bytes.byteLength);
      expect(entry.integrity).toBe(`sha384-${createHash('sha384').update(bytes).digest('base64')}`);
    }
  });
});

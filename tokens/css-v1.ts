// v1 output: the legacy monolith as the pre-custom-property-reference build emitted it. Every value is a
// resolved literal, every family and every theme is in one file, and themes work through classes on
// <html> (`theme--light` / `theme--dark`) that every component rule is scoped under, Angular-Material
// style: each family's root (`.tr-<family>`) re-declares, per theme, every token its components can
// use: its own component tokens, the tokens they refer to (transitively), and the theme's whole semantic
// palette (a legacy theme mixin received the full theme, not just what it read). The same rules also
// apply to <html> itself, so a token is defined wherever v2 defines it: a component that reads a family
// token outside any `.tr-<family>` element renders the same on v1 as on v2 (ARCHITECTURE.md "Tokens").
import { FAMILIES, type Family } from '../src/families.js';
import { type BuiltToken, THEMES, type Theme } from './model.js';

/** The class that selects a theme in v1 (on <html>). */
export function v1ThemeClass(theme: Theme): string {
  return `theme--${theme}`;
}

/** The class every component root of a family carries; v1 rules are scoped to it. */
export function familyClass(family: Family): string {
  return `tr-${family}`;
}

/** Tokens a family's components can use in v1: own tokens, everything they reach, the semantic palette. */
export function v1FamilyScope(tokens: readonly BuiltToken[], family: Family): BuiltToken[] {
  const byName = new Map(tokens.map((t) => [t.name, t]));
  const wanted = new Set<string>();
  const visit = (token: BuiltToken) => {
    if (wanted.has(token.name)) return;
    wanted.add(token.name);
    // Union over themes: the un-themed `.tr-<family>` rule also applies in dark, so the dark rule must
    // override everything it declares.
    for (const theme of THEMES) {
      for (const ref of token.values[theme].refs) {
        const target = byName.get(ref);
        if (target) visit(target);
      }
    }
  };
  for (const token of tokens) if (token.family === family) visit(token);
  for (const token of tokens) {
    if (token.layer === 'semantic' && isThemed(token)) {
      visit(token);
    }
  }
  // Component tokens first, then core in source order, like the legacy mixins emitted them.
  const rank = (t: BuiltToken) => (t.layer === 'component' ? 0 : t.layer === 'semantic' ? 1 : 2);
  return tokens.filter((t) => wanted.has(t.name)).sort((a, b) => rank(a) - rank(b));
}

function isThemed(token: BuiltToken): boolean {
  return THEMES.some((theme) => token.values[theme].resolved !== token.values[THEMES[0]].resolved);
}

function rule(selectors: readonly string[], tokens: readonly BuiltToken[], theme: Theme): string {
  const lines = tokens.map((t) => `  --${t.name}: ${t.values[theme].resolved};`);
  return `${selectors.join(',\n')} {\n${lines.join('\n')}\n}\n`;
}

/** The v1 monolith: page-level theme blocks for core tokens, then per family a rule per theme. */
export function renderV1(tokens: readonly BuiltToken[]): string {
  const [base, ...others] = THEMES;
  const core = tokens.filter((t) => t.family === 'core');
  let css = rule([':root', `.${v1ThemeClass(base)}`], core, base);
  for (const theme of others) css += rule([`.${v1ThemeClass(theme)}`], core, theme);
  for (const family of FAMILIES) {
    const scope = v1FamilyScope(tokens, family);
    if (!scope.some((t) => t.family === family)) continue;
    const cls = `.${familyClass(family)}`;
    // Page level first (`:root` and the theme class on <html>), then the family's own roots. Each
    // family's dark rule follows its light rule with the same tokens, so on a dark page the last rule
    // that matches <html> is a dark one, whatever the family; every family's rule has the same values.
    const page = (theme: Theme) =>
      theme === base ? [':root', `.${v1ThemeClass(theme)}`] : [`.${v1ThemeClass(theme)}`];
    css += rule([...page(base), `.${v1ThemeClass(base)} ${cls}`, cls], scope, base);
    for (const theme of others) css += rule([...page(theme), `.${v1ThemeClass(theme)} ${cls}`], scope, theme);
  }
  return css;
}

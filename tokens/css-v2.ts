// v2 output: custom properties with references kept (`var(--tr-…)`), core and one file per family,
// the default theme on `:root` and other themes as `[data-theme="…"]` blocks holding only the
// declarations that differ. Themes sit on <html> only: var() resolves where a property is declared,
// so a reference declared on :root follows a theme override declared on the same element.
import type { Family } from '../src/families.js';
import { type BuiltToken, THEMES } from './model.js';

function block(selector: string, lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${selector} {\n${lines.join('\n')}\n}\n`;
}

/** The v2 stylesheet for `core` (primitives + semantic tokens) or one family's component tokens. */
export function renderV2(tokens: readonly BuiltToken[], family: 'core' | Family): string {
  const own = tokens.filter((t) => t.family === family);
  const [base, ...others] = THEMES;
  let css = block(
    ':root',
    own.map((t) => `  --${t.name}: ${t.values[base].declared};`),
  );
  for (const theme of others) {
    const changed = own.filter((t) => t.values[theme].declared !== t.values[base].declared);
    css += block(
      `[data-theme="${theme}"]`,
      changed.map((t) => `  --${t.name}: ${t.values[theme].declared};`),
    );
  }
  return css;
}

// An alternative v2 renderer, used by the theme-switch benchmark only (the build and the SDK use
// css-v2.ts): every token sits in one `:root` block; a token whose value differs by theme is written
// once with CSS `light-dark(<light>, <dark>)`, and the theme is switched by `color-scheme` on <html>
// (`[data-theme="dark"] { color-scheme: dark }`) instead of a `[data-theme="dark"]` block of custom
// properties. The custom properties then never change on a switch: only the inherited `color-scheme`
// does, and each element resolves `light-dark()` where the value is used.
//
// `light-dark()` takes colours only. Shadow lists are rewritten layer by layer: when both themes have
// the same geometry, each layer's colour becomes `light-dark(a, b)`; otherwise the list holds both
// themes' layers, each visible in its own theme and `transparent` (not painted) in the other. Any
// other value that differs by theme cannot be expressed and stays in a `[data-theme="dark"]` block;
// `unsupported` names those tokens so a caller can tell the variant is not a pure color-scheme switch.
import type { Family } from '../src/families.js';
import type { BuiltToken } from './model.js';

/** The rendered CSS, and the tokens that had to stay in a `[data-theme="dark"]` block. */
export interface LightDarkCss {
  css: string;
  unsupported: string[];
}

const COLOR =
  /^(#[0-9a-f]{3,8}|(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\([^()]*\)|transparent|currentcolor|[a-z]+)$/i;

/** True when `value` is one colour literal (what `light-dark()` accepts). */
function isColor(value: string): boolean {
  return COLOR.test(value.trim()) && !/^(none|inherit|initial|unset|auto)$/i.test(value.trim());
}

/** Splits at top-level commas (not inside parentheses). */
function splitTopLevel(value: string, separator: ',' | ' '): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && (separator === ',' ? ch === ',' : /\s/.test(ch))) {
      if (current.trim() !== '') parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

interface ShadowLayer {
  geometry: string;
  color: string;
}

/** Parses a resolved `box-shadow` list whose layers each end with a colour; undefined otherwise. */
function parseShadows(value: string): ShadowLayer[] | undefined {
  const layers: ShadowLayer[] = [];
  for (const layer of splitTopLevel(value, ',')) {
    const parts = splitTopLevel(layer, ' ');
    const color = parts.at(-1);
    const geometry = parts.slice(0, -1);
    if (
      !color ||
      !isColor(color) ||
      geometry.length < 2 ||
      geometry.some((p) => !/^(-?[\d.]+[a-z]*|inset)$/.test(p))
    )
      return undefined;
    layers.push({ geometry: geometry.join(' '), color });
  }
  return layers.length > 0 ? layers : undefined;
}

/** The single-declaration value for a token whose light and dark values differ; undefined when impossible. */
export function lightDarkValue(token: BuiltToken): string | undefined {
  const light = token.values.light;
  const dark = token.values.dark;
  if (isColor(light.resolved) && isColor(dark.resolved))
    return `light-dark(${light.declared}, ${dark.declared})`;
  const ls = parseShadows(light.resolved);
  const ds = parseShadows(dark.resolved);
  if (!ls || !ds) return undefined;
  if (ls.length === ds.length && ls.every((l, i) => l.geometry === ds[i]?.geometry)) {
    return ls.map((l, i) => `${l.geometry} light-dark(${l.color}, ${ds[i]?.color})`).join(', ');
  }
  return [
    ...ls.map((l) => `${l.geometry} light-dark(${l.color}, transparent)`),
    ...ds.map((d) => `${d.geometry} light-dark(transparent, ${d.color})`),
  ].join(', ');
}

/** The light-dark() variant of `renderV2` for `core` or one family's component tokens. */
export function renderV2LightDark(tokens: readonly BuiltToken[], family: 'core' | Family): LightDarkCss {
  const own = tokens.filter((t) => t.family === family);
  const root: string[] = family === 'core' ? ['  color-scheme: light;'] : [];
  const dark: string[] = family === 'core' ? ['  color-scheme: dark;'] : [];
  const unsupported: string[] = [];
  for (const t of own) {
    if (t.values.light.declared === t.values.dark.declared) {
      root.push(`  --${t.name}: ${t.values.light.declared};`);
      continue;
    }
    const value = lightDarkValue(t);
    if (value !== undefined) root.push(`  --${t.name}: ${value};`);
    else {
      root.push(`  --${t.name}: ${t.values.light.declared};`);
      dark.push(`  --${t.name}: ${t.values.dark.declared};`);
      unsupported.push(t.name);
    }
  }
  let css = root.length > 0 ? `:root {\n${root.join('\n')}\n}\n` : '';
  if (dark.length > 0) css += `[data-theme="dark"] {\n${dark.join('\n')}\n}\n`;
  return { css, unsupported };
}

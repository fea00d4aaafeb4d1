// The built token set in one flat, theme-aware shape: what the CSS renderers, the manifest and the
// parity test share. Produced from the DTCG sources by load.ts (Style Dictionary).
import type { Family } from '../src/families.js';

/** The themes every token is resolved in; the first is the default (declared on `:root`). */
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** Which source folder a token comes from: it decides the file (core or a family) and v1 scoping. */
export type Layer = 'primitive' | 'semantic' | 'component';

/** A token's output in one theme. */
export interface ThemedValue {
  /** The v2 declaration value: references kept as `var(--tr-…)`. */
  declared: string;
  /** The fully resolved literal value (what v1 emits and what `declared` resolves to). */
  resolved: string;
  /** Custom property names this token's value refers to directly (no `--` prefix). */
  refs: readonly string[];
}

/** One token: its CSS custom property name (without `--`), where it lives, and its value per theme. */
export interface BuiltToken {
  name: string;
  /** Dotted DTCG path, for messages. */
  path: string;
  layer: Layer;
  /** `core` for primitives and semantic tokens, else the component family. */
  family: 'core' | Family;
  /** Source file relative to the project root, for messages. */
  file: string;
  values: Record<Theme, ThemedValue>;
}

// Reads the DTCG sources with Style Dictionary (parsing, reference resolution, transforms, naming) and
// returns the flat BuiltToken list. One Style Dictionary run per theme: the theme's semantic file
// replaces the other's, everything else is shared.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import StyleDictionary from 'style-dictionary';
import type { Dictionary, TransformedToken } from 'style-dictionary/types';
import { createPropertyFormatter, getReferences } from 'style-dictionary/utils';
import { FAMILIES, type Family, isFamily } from '../src/families.js';
import { type BuiltToken, type Layer, THEMES, type Theme, type ThemedValue } from './model.js';

/** A problem in the token sources, with the file and token path that caused it. */
export class TokenSourceError extends Error {
  override name = 'TokenSourceError';
}

const NAME_SEGMENT = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The CSS custom property name (without `--`) for a DTCG path: `tr-` + the path joined by `-`. */
export function tokenName(path: readonly string[]): string {
  return ['tr', ...path].join('-');
}

interface SourceFiles {
  shared: string[];
  themes: Record<Theme, string>;
}

function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Lists the source files: primitives/, semantic/ (base.json + one file per theme), components/<family>.json. */
export function sourceFiles(sourceDir: string): SourceFiles {
  const primitives = jsonFiles(join(sourceDir, 'primitives'));
  const semantic = jsonFiles(join(sourceDir, 'semantic'));
  const components = jsonFiles(join(sourceDir, 'components'));
  if (primitives.length === 0)
    throw new TokenSourceError(`${join(sourceDir, 'primitives')}: no *.json token files`);
  for (const file of components) {
    const family = basename(file, '.json');
    if (!isFamily(family)) {
      throw new TokenSourceError(
        `${file}: unknown component family "${family}" (expected one of ${FAMILIES.join(', ')})`,
      );
    }
  }
  const themes = {} as Record<Theme, string>;
  for (const theme of THEMES) {
    const file = semantic.find((f) => basename(f, '.json') === theme);
    if (!file)
      throw new TokenSourceError(`${join(sourceDir, 'semantic', `${theme}.json`)}: missing theme file`);
    themes[theme] = file;
  }
  const themeFiles = new Set(Object.values(themes));
  return { shared: [...primitives, ...semantic.filter((f) => !themeFiles.has(f)), ...components], themes };
}

function layerOf(file: string, sourceDir: string): { layer: Layer; family: 'core' | Family } {
  const [folder] = relative(sourceDir, file).split(sep);
  if (folder === 'components') return { layer: 'component', family: basename(file, '.json') as Family };
  return { layer: folder === 'primitives' ? 'primitive' : 'semantic', family: 'core' };
}

function stringify(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new TokenSourceError(
    `${where}: value did not transform to a CSS string (got ${JSON.stringify(value)})`,
  );
}

function tokenPaths(node: unknown, prefix: string[], out: string[]): void {
  if (typeof node !== 'object' || node === null) return;
  if ('$value' in node) {
    out.push(prefix.join('.'));
    return;
  }
  for (const [key, child] of Object.entries(node))
    if (!key.startsWith('$')) tokenPaths(child, [...prefix, key], out);
}

/** Style Dictionary merges a path defined in two files (only a warning); one value would silently win. */
export function checkDuplicatePaths(files: readonly string[]): void {
  const owner = new Map<string, string>();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new TokenSourceError(
        `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const paths: string[] = [];
    tokenPaths(json, [], paths);
    for (const path of paths) {
      const prior = owner.get(path);
      if (prior !== undefined)
        throw new TokenSourceError(`${file}: token "${path}" is already defined in ${prior}`);
      owner.set(path, file);
    }
  }
}

async function loadTheme(files: SourceFiles, theme: Theme): Promise<Dictionary> {
  checkDuplicatePaths([...files.shared, files.themes[theme]]);
  const sd = new StyleDictionary({
    source: [...files.shared, files.themes[theme]],
    usesDtcg: true,
    log: { verbosity: 'verbose', warnings: 'disabled', errors: { brokenReferences: 'throw' } },
    hooks: {
      transforms: {
        'tr/name': {
          type: 'name',
          transform: (token: TransformedToken) => {
            const bad = token.path.find((segment) => !NAME_SEGMENT.test(segment));
            if (bad !== undefined) {
              throw new TokenSourceError(
                `${relative(process.cwd(), token.filePath)}: token "${token.path.join('.')}" has segment "${bad}"; use lower-case letters, digits and "-"`,
              );
            }
            return tokenName(token.path);
          },
        },
      },
    },
    platforms: {
      css: { transforms: ['tr/name', 'shadow/css/shorthand', 'cubicBezier/css'] },
    },
  });
  const dictionary = await sd.getPlatformTokens('css');
  // Two paths can join to the same custom property name (`a.b-c` and `a-b.c`); one would shadow the other.
  const named = new Map<string, TransformedToken>();
  for (const token of dictionary.allTokens) {
    const other = named.get(token.name);
    if (other && other.path.join('.') !== token.path.join('.')) {
      throw new TokenSourceError(
        `${token.filePath}: token "${token.path.join('.')}" and "${other.path.join('.')}" (${other.filePath}) both become --${token.name}`,
      );
    }
    named.set(token.name, token);
  }
  return dictionary;
}

/** Loads and resolves every token in every theme; throws TokenSourceError naming the file and token path. */
export async function loadTokens(sourceDir: string, root = process.cwd()): Promise<BuiltToken[]> {
  const files = sourceFiles(sourceDir);
  const byTheme = {} as Record<Theme, Dictionary>;
  for (const theme of THEMES) byTheme[theme] = await loadTheme(files, theme);

  const [first] = THEMES;
  const names = (d: Dictionary) => new Set(d.allTokens.map((t) => t.path.join('.')));
  const base = names(byTheme[first]);
  for (const theme of THEMES) {
    const other = names(byTheme[theme]);
    const missing = [...base].filter((p) => !other.has(p));
    const extra = [...other].filter((p) => !base.has(p));
    if (missing.length > 0 || extra.length > 0) {
      throw new TokenSourceError(
        `${relative(root, files.themes[theme])}: the themes must define the same tokens; ` +
          `missing ${JSON.stringify(missing.slice(0, 5))}, extra ${JSON.stringify(extra.slice(0, 5))}`,
      );
    }
  }

  const tokens = new Map<string, BuiltToken>();
  for (const theme of THEMES) {
    const dictionary = byTheme[theme];
    const format = createPropertyFormatter({
      outputReferences: true,
      dictionary,
      format: 'css',
      usesDtcg: true,
    });
    for (const token of dictionary.allTokens) {
      const path = token.path.join('.');
      const file = relative(root, token.filePath);
      const line = format(token).trim();
      const prefix = `--${token.name}: `;
      if (!line.startsWith(prefix) || !line.endsWith(';')) {
        throw new TokenSourceError(`${file}: token "${path}" formatted unexpectedly: ${line}`);
      }
      const refs = getReferences(token.original.$value, dictionary.tokens, { usesDtcg: true }).map(
        (ref) => (ref as TransformedToken).name,
      );
      const value: ThemedValue = {
        declared: line.slice(prefix.length, -1),
        resolved: stringify(token.$value, `${file}: token "${path}"`),
        refs,
      };
      let built = tokens.get(token.name);
      if (!built) {
        built = {
          name: token.name,
          path,
          file,
          ...layerOf(token.filePath, sourceDir),
          values: {} as BuiltToken['values'],
        };
        tokens.set(token.name, built);
      }
      built.values[theme] = value;
    }
  }
  const list = [...tokens.values()];
  checkFamilyReferences(list);
  return list;
}

/** A family file loads on its own next to core, so its tokens may only refer to core or its own tokens. */
export function checkFamilyReferences(tokens: readonly BuiltToken[]): void {
  const byName = new Map(tokens.map((t) => [t.name, t]));
  for (const token of tokens) {
    for (const theme of THEMES) {
      for (const ref of token.values[theme].refs) {
        const target = byName.get(ref);
        if (!target) continue;
        if (token.family === 'core' && target.family !== 'core') {
          throw new TokenSourceError(
            `${token.file}: core token "${token.path}" refers to "${target.path}" of family ${target.family}; core must not depend on a family`,
          );
        }
        if (token.family !== 'core' && target.family !== 'core' && target.family !== token.family) {
          throw new TokenSourceError(
            `${token.file}: token "${token.path}" (${token.family}) refers to "${target.path}" of family ${target.family}; a family may only use core tokens and its own`,
          );
        }
      }
    }
  }
}

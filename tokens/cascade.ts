// A small model of the CSS cascade for token stylesheets, used to prove v1/v2 parity from the build
// output in Node: parse with PostCSS, match the few selector forms the token build emits against an
// element chain (<html> -> a component root), and compute custom properties the way a browser does
// (declarations by specificity then order, var() substituted on the declaring element, inheritance).
import postcss from 'postcss';

/** One rule of a token stylesheet: its selectors and its custom property declarations in order. */
export interface TokenRule {
  selectors: string[];
  decls: [name: string, value: string][];
}

/** An element in the chain: classes, attributes, and whether it is the document root. */
export interface ElementModel {
  root?: boolean;
  classes?: readonly string[];
  attributes?: Readonly<Record<string, string>>;
}

/** Parses a token stylesheet; throws with `file` and the line when it holds anything but rules of custom properties. */
export function parseTokenCss(css: string, file: string): TokenRule[] {
  const rules: TokenRule[] = [];
  const tree = postcss.parse(css, { from: file });
  tree.each((node) => {
    if (node.type === 'comment') return;
    if (node.type !== 'rule') {
      throw new Error(`${file}:${node.source?.start?.line ?? '?'}: unexpected ${node.type} in token CSS`);
    }
    const decls: [string, string][] = [];
    node.each((child) => {
      if (child.type === 'comment') return;
      if (child.type !== 'decl' || !child.prop.startsWith('--')) {
        throw new Error(
          `${file}:${child.source?.start?.line ?? '?'}: only custom properties are expected in token CSS`,
        );
      }
      decls.push([child.prop, child.value.trim()]);
    });
    rules.push({ selectors: node.selectors.map((s) => s.trim()), decls });
  });
  return rules;
}

const COMPOUND = /^(?::root|\.[a-zA-Z0-9_-]+|\[[a-z-]+="[^"]*"\])+$/;
const PART = /:root|\.([a-zA-Z0-9_-]+)|\[([a-z-]+)="([^"]*)"\]/g;

function matchesCompound(compound: string, el: ElementModel): boolean {
  for (const m of compound.matchAll(PART)) {
    if (m[0] === ':root' && !el.root) return false;
    if (m[1] !== undefined && !el.classes?.includes(m[1])) return false;
    if (m[2] !== undefined && el.attributes?.[m[2]] !== m[3]) return false;
  }
  return true;
}

/** Specificity (ids, classes/attributes/pseudo-classes, types) of a supported selector, packed as a number. */
export function specificity(selector: string): number {
  return selector.split(/\s+/).reduce((sum, compound) => sum + [...compound.matchAll(PART)].length, 0);
}

/** True when `selector` (compounds joined by descendant combinators) matches the last element of `chain`. */
export function matches(selector: string, chain: readonly ElementModel[]): boolean {
  const parts = selector.split(/\s+/);
  for (const part of parts) {
    if (!COMPOUND.test(part)) throw new Error(`unsupported selector part "${part}" in token CSS`);
  }
  let index = chain.length - 1;
  const last = parts.pop();
  const target = chain[index];
  if (last === undefined || !target || !matchesCompound(last, target)) return false;
  for (let p = parts.length - 1; p >= 0; p--) {
    const part = parts[p] ?? '';
    index--;
    while (index >= 0 && !matchesCompound(part, chain[index] as ElementModel)) index--;
    if (index < 0) return false;
  }
  return true;
}

const VAR = /var\(\s*(--[a-zA-Z0-9_-]+)\s*\)/g;

/**
 * Computed custom properties of the last element of `chain` under `sheets` (in load order): the
 * winning declaration per property, var() resolved on that element, the rest inherited.
 * Throws on a reference to an undefined property or a cycle, naming the property.
 */
export function computeCustomProperties(
  sheets: readonly TokenRule[][],
  chain: readonly ElementModel[],
): Map<string, string> {
  let inherited = new Map<string, string>();
  for (let depth = 0; depth < chain.length; depth++) {
    const path = chain.slice(0, depth + 1);
    const winners = new Map<string, { spec: number; order: number; value: string }>();
    let order = 0;
    for (const rules of sheets) {
      for (const rule of rules) {
        order++;
        const spec = Math.max(-1, ...rule.selectors.filter((s) => matches(s, path)).map(specificity));
        if (spec < 0) continue;
        for (const [name, value] of rule.decls) {
          const prior = winners.get(name);
          if (!prior || spec > prior.spec || (spec === prior.spec && order >= prior.order)) {
            winners.set(name, { spec, order, value });
          }
        }
      }
    }
    const computed = new Map(inherited);
    const resolving = new Set<string>();
    const done = new Map<string, string>();
    const resolve = (name: string): string => {
      const cached = done.get(name);
      if (cached !== undefined) return cached;
      const declared = winners.get(name);
      if (!declared) {
        const value = inherited.get(name);
        if (value === undefined) throw new Error(`${name} is referenced but not defined`);
        return value;
      }
      if (resolving.has(name)) throw new Error(`${name} refers to itself through var()`);
      resolving.add(name);
      const value = declared.value.replace(VAR, (_, ref: string) => resolve(ref));
      resolving.delete(name);
      done.set(name, value);
      return value;
    };
    for (const name of winners.keys()) computed.set(name, resolve(name));
    inherited = computed;
  }
  return inherited;
}

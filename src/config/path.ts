// JSON paths and messages for config issues, written the way a reader finds the spot:
// `$["design-tokens-v2"].week1.regions[0]: expected an ISO 3166-1 alpha-2 code…, got "XX"`.
import { describeValue } from '../json.js';
import type { ConfigLint } from './lint.js';
import type { ConfigIssue } from './types.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of `key` inside the value at `parent`: dotted for identifiers, bracketed and quoted otherwise. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Where a parse collects every problem instead of stopping at the first. */
export interface IssueSink {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  /** The warning checks; absent when only errors are wanted (the field parsers' tests). */
  lint?: ConfigLint;
}

/** Records the error "expected <what>, got <value>" at `path`; returns undefined for `return reject(…)`. */
export function reject(sink: IssueSink, path: string, what: string, value: unknown): undefined {
  sink.errors.push({ path, message: `expected ${what}, got ${describeValue(value)}` });
  return undefined;
}

/** Reads a list that may also be written as a single string (`"all"` for `["all"]`). */
export function asList(value: unknown): unknown[] | undefined {
  return typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
}

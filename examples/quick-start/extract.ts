// The README's quick start, as source files: every fenced block of the section "Quick start for app
// teams" carries a marker comment, `<!-- quick-start:NAME -->`, on the line before it, and this script
// writes the TypeScript blocks to dist/readme/NAME (git and Biome ignore dist/). A block is the README's
// text, dedented and nothing else changed; only what the README cannot show is added around it (the
// glue's `ldClient`, `user` and `nonce`, the exports the other files import). So a README edit that
// breaks the code breaks `tsc` and the example's test (e2e/quick-start.spec.ts).
//
//   npx tsx examples/quick-start/extract.ts     # writes dist/readme/*, prints what it wrote
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = fileURLToPath(new URL('.', import.meta.url));
export const README = join(HERE, '../../README.md');
/** Where the blocks are written: the example's modules import them from here. */
export const OUT = join(HERE, 'dist/readme');

const SECTION = '## Quick start for app teams';
const MARKER = /^<!-- quick-start:([\w.-]+) -->$/;

/** How one block becomes a module: what goes before and after the README's text. */
interface Wrap {
  /** Lines before the block (imports of the glue or of another block). */
  prelude?: string;
  /** Lines after it (the names other modules import). */
  epilogue?: string;
  /** Wraps the block's statements (not its imports) in this function, which returns `returns`. */
  fn?: { signature: string; returns: string };
}

/**
 * The blocks the quick start must have, and how each becomes a module. `null`: not a module (the shell
 * commands, which the test runs). A marked block missing from this list, or one of these missing from
 * the README, is an error.
 */
export const BLOCKS: Record<string, Wrap | null> = {
  'setup.sh': null,
  // Server-side: runs for each page, with that page's CSP nonce.
  'boot.ts': { fn: { signature: 'export function bootHead(nonce: string): string', returns: 'head' } },
  // In the browser: the app's LaunchDarkly client, user and nonce come from the glue.
  'rollout.ts': {
    prelude: "import { ldClient, nonce, user } from '../../glue.js';",
    epilogue: 'export { rollout };',
  },
  'theme-toggle.tsx': { prelude: "import { rollout } from './rollout.js';" },
};

/** The quick start's marked blocks, by name, each dedented. Throws naming what is wrong. */
export function extractBlocks(readme: string): Map<string, string> {
  const lines = readme.split('\n');
  const start = lines.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md: no section "${SECTION}"`);
  const endAt = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const section = lines.slice(start + 1, endAt < 0 ? undefined : endAt);
  const blocks = new Map<string, string>();
  let marker: string | undefined;
  for (let i = 0; i < section.length; i++) {
    const line = section[i] ?? '';
    const trimmed = line.trim();
    const named = MARKER.exec(trimmed);
    if (named) {
      marker = named[1];
      continue;
    }
    const fence = /^(\s*)(`{3,})(\w*)/.exec(line);
    if (!fence) {
      if (trimmed !== '' && marker !== undefined) {
        throw new Error(`README.md: <!-- quick-start:${marker} --> must be right before its code block`);
      }
      continue;
    }
    const [, indent = '', ticks = '```'] = fence;
    if (marker === undefined) {
      throw new Error(
        `README.md, quick start: a code block without a <!-- quick-start:NAME --> marker before it ("${section[i + 1]?.trim()}")`,
      );
    }
    if (blocks.has(marker)) throw new Error(`README.md: two blocks marked quick-start:${marker}`);
    const body: string[] = [];
    for (i++; i < section.length && (section[i] ?? '').trim() !== ticks; i++) {
      const text = section[i] ?? '';
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart());
    }
    if (i >= section.length) throw new Error(`README.md: the block quick-start:${marker} is not closed`);
    blocks.set(marker, `${body.join('\n')}\n`);
    marker = undefined;
  }
  const expected = Object.keys(BLOCKS);
  const missing = expected.filter((name) => !blocks.has(name));
  const unknown = [...blocks.keys()].filter((name) => !expected.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `README.md, quick start: no block marked ${missing.map((n) => `quick-start:${n}`).join(', ')}`,
    );
  }
  if (unknown.length > 0) {
    throw new Error(
      `README.md, quick start: blocks ${unknown.join(', ')} are marked but examples/quick-start/extract.ts does not know them`,
    );
  }
  return blocks;
}

/** A block as a module: its imports first, then the wrap around its statements. */
export function moduleOf(name: string, block: string, wrap: Wrap): string {
  const imports: string[] = [];
  const body: string[] = [];
  let inImport = false;
  for (const line of block.trimEnd().split('\n')) {
    if (inImport || /^import\s/.test(line)) {
      imports.push(line);
      inImport = !line.trimEnd().endsWith(';');
    } else {
      body.push(line);
    }
  }
  while (body[0]?.trim() === '') body.shift();
  const statements = wrap.fn
    ? [
        `${wrap.fn.signature} {`,
        ...body.map((l) => (l === '' ? l : `  ${l}`)),
        `  return ${wrap.fn.returns};`,
        '}',
      ]
    : body;
  return [
    `// Generated by examples/quick-start/extract.ts from README.md's block quick-start:${name}. Edit the README.`,
    ...(wrap.prelude ? [wrap.prelude] : []),
    ...imports,
    '',
    ...statements,
    ...(wrap.epilogue ? ['', wrap.epilogue] : []),
    '',
  ].join('\n');
}

/** Extracts the README's quick start into dist/readme/; returns the blocks (the shell ones included). */
export function writeQuickStart(readme = readFileSync(README, 'utf8')): Map<string, string> {
  const blocks = extractBlocks(readme);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  for (const [name, block] of blocks) {
    const wrap = BLOCKS[name];
    if (wrap) writeFileSync(join(OUT, name), moduleOf(name, block, wrap));
  }
  return blocks;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const blocks = writeQuickStart();
  console.log(`wrote ${[...blocks.keys()].filter((n) => BLOCKS[n]).join(', ')} to ${OUT}`);
}

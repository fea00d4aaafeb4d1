// `token-rollout init`: an app team's first step. It copies the rollout plan's flag definitions (the ones
// `serve` uses when there is no flags/ folder) into the app, refusing to overwrite a file unless told to,
// and prints the boot snippet's <head> tag for the app's token manifest, with what to do next.
// Everything is checked before anything is written: a bad manifest or an existing file writes nothing.
import { createHash } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { bootScriptTag } from 'token-rollout/boot';
import { parseRolloutConfig } from 'token-rollout/core';
import { defaultFlagsDir } from '../default-flags.js';
import type { InitIo, InitOptions } from './command.js';

const NAME = 'token-rollout init';
const MANIFEST = 'token-rollout/tokens/manifest.json';
/** The rollout config's flag; the others are its per-family kill switches. */
const CONFIG_FILE = 'design-tokens-v2.json';

/** A problem that stops `init` before it writes anything: the message says what and where. */
class InitError extends Error {}

/** `path` as the user would type it from `cwd`. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

/** The manifest of the token-rollout installed for the app in `dir`, else the one these tools peer with. */
function installedManifest(dir: string): string {
  for (const from of [join(dir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve(MANIFEST);
    } catch {
      // not installed there; try the next place
    }
  }
  throw new InitError(
    `${NAME}: no token manifest: token-rollout is not installed for ${dir} (npm install token-rollout), or pass --manifest PATH`,
  );
}

/** The v1 monolith's file and integrity from the manifest at `path`; every failure names the file. */
async function v1Of(path: string, cwd: string): Promise<{ file: string; integrity: string }> {
  const name = shown(path, cwd);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InitError(
      `${NAME}: cannot read the manifest ${name}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InitError(`${NAME}: the manifest ${name} is not JSON: ${(error as Error).message}`);
  }
  const files = (json as { files?: unknown } | null)?.files;
  const v1 = Array.isArray(files)
    ? (files as unknown[]).find(
        (f): f is { file: string; integrity: string } =>
          typeof f === 'object' &&
          f !== null &&
          (f as { version?: unknown }).version === 'v1' &&
          typeof (f as { file?: unknown }).file === 'string' &&
          typeof (f as { integrity?: unknown }).integrity === 'string',
      )
    : undefined;
  if (!v1) {
    throw new InitError(
      `${NAME}: the manifest ${name} lists no v1 file with its integrity (expected token-rollout's dist/tokens/manifest.json)`,
    );
  }
  return v1;
}

/** The CSP source that allows the inline snippet as printed: `'sha256-…'` of the script's text. */
function cspHashOf(tag: string): string {
  const code = tag.slice(tag.indexOf('>') + 1, tag.lastIndexOf('</script>'));
  return `'sha256-${createHash('sha256').update(code).digest('base64')}'`;
}

/** What the shipped config flag holds, in a few words: its stages and the active one. */
async function planOf(file: string): Promise<string> {
  const flag = JSON.parse(await readFile(file, 'utf8')) as {
    variations?: unknown[];
    fallthrough?: { variation?: number };
  };
  const result = parseRolloutConfig(flag.variations?.[flag.fallthrough?.variation ?? 1]);
  if (!result.ok) return 'the rollout plan';
  const { stages, activeStage } = result.config;
  const names = stages.map((s) => s.name).join(', ');
  return `the plan's ${stages.length} stages ${names}${activeStage ? `; ${activeStage} active` : ''}`;
}

/** Runs `init`: 0 when the flags were written and the snippet printed, 1 when refused or failed. */
export async function runInit(options: InitOptions, io: InitIo): Promise<number> {
  try {
    return await init(options, io);
  } catch (error) {
    if (!(error instanceof InitError)) throw error;
    io.stderr(error.message);
    return 1;
  }
}

async function init(options: InitOptions, io: InitIo): Promise<number> {
  const dir = resolve(io.cwd, options.dir);
  const manifestPath =
    options.manifest === undefined ? installedManifest(dir) : resolve(io.cwd, options.manifest);
  const v1 = await v1Of(manifestPath, io.cwd);

  const source = defaultFlagsDir();
  // The config first: it is the file a refusal names.
  const names = (await readdir(source))
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => Number(b === CONFIG_FILE) - Number(a === CONFIG_FILE) || a.localeCompare(b));
  const flagsDir = join(dir, 'flags');
  const existing = names.filter((f) => existsSync(join(flagsDir, f)));
  if (existing.length > 0 && !options.force) {
    const first = shown(join(flagsDir, existing[0] ?? ''), io.cwd);
    const more = existing.length > 1 ? ` (and ${existing.length - 1} more)` : '';
    throw new InitError(
      `${NAME}: ${first} already exists${more}; nothing written. Keep your flags, or run again with --force to replace them with the plan's defaults.`,
    );
  }
  await mkdir(flagsDir, { recursive: true });
  for (const name of names) {
    // Without --force, COPYFILE_EXCL also refuses a file created since the check above.
    await copyFile(join(source, name), join(flagsDir, name), options.force ? 0 : constants.COPYFILE_EXCL);
  }

  const flags = shown(flagsDir, io.cwd);
  const v1Href = `${options.tokenBase}${v1.file}`;
  const families = options.families.length > 0 ? options.families : undefined;
  const tag = bootScriptTag({ v1Href, v1Integrity: v1.integrity, ...(families ? { families } : {}) });
  const list = families ? `[${families.map((f) => `'${f}'`).join(', ')}]` : '';
  const switches = names.length - 1;
  io.stdout(
    [
      `${NAME}: wrote ${flags}/${CONFIG_FILE} (the rollout config: ${await planOf(join(source, CONFIG_FILE))}) and ${switches} kill switches (${flags}/design-tokens-v2.<family>.json), the defaults \`serve\` uses${existing.length > 0 ? `; replaced ${existing.length}` : ''}.`,
      '',
      `The boot snippet, first in <head> (bootScriptTag from token-rollout/boot; v1 from ${shown(manifestPath, io.cwd)}):`,
      '',
      tag,
      '',
      'Better, render it on the server for each page, so it carries your CSP nonce and follows SDK and token updates:',
      `  bootScriptTag({ nonce, v1Href: '${v1Href}', v1Integrity: '${v1.integrity}'${families ? `, families: ${list}` : ''} })`,
      `Pasted as is, it needs script-src ${cspHashOf(tag)} in a Content-Security-Policy, and must be pasted again after each token-rollout update.`,
      '',
      'Next steps:',
      `  1. Serve ${shown(dirname(manifestPath), io.cwd)}/ at ${options.tokenBase} (content-hashed files: cache them for a year).`,
      `  2. npx token-rollout serve --flags ${flags}   # the local flag server and collector on http://127.0.0.1:8030`,
      '  3. Point your LaunchDarkly client at http://127.0.0.1:8030 (baseUri, streamUri, eventsUri) and create the',
      `     rollout${families ? ` with families: ${list}` : ''}: node_modules/token-rollout/README.md, "Quick start for app teams".`,
    ].join('\n'),
  );
  return 0;
}

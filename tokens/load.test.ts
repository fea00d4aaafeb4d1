// Bad token sources get an error naming the file and token, and a failed build writes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTokens, TokenBudgetError } from './build.js';
import { loadTokens, TokenSourceError } from './load.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Files = Record<string, unknown>;
const VALID: Files = {
  'primitives/color.json': {
    color: { $type: 'color', blue: { '600': { $value: '#2563eb' }, '400': { $value: '#60a5fa' } } },
  },
  'semantic/base.json': { space: { $type: 'dimension', gap: { $value: '8px' } } },
  'semantic/light.json': { color: { $type: 'color', brand: { bg: { $value: '{color.blue.600}' } } } },
  'semantic/dark.json': { color: { $type: 'color', brand: { bg: { $value: '{color.blue.400}' } } } },
  'components/buttons.json': {
    button: { bg: { $value: '{color.brand.bg}' }, gap: { $value: '{space.gap}' } },
  },
  'components/cards.json': { card: { bg: { $value: '{color.brand.bg}' } } },
};

function sources(overrides: Files = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries({ ...VALID, ...overrides })) {
    if (content === undefined) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), JSON.stringify(content));
  }
  return dir;
}

describe('loading token sources', () => {
  it('resolves every token per theme, keeping references for v2 and literals for v1', async () => {
    const tokens = await loadTokens(sources());
    const button = tokens.find((t) => t.name === 'tr-button-bg');
    expect(button).toMatchObject({ family: 'buttons', layer: 'component', path: 'button.bg' });
    expect(button?.values.light).toEqual({
      declared: 'var(--tr-color-brand-bg)',
      resolved: '#2563eb',
      refs: ['tr-color-brand-bg'],
    });
    expect(button?.values.dark.resolved).toBe('#60a5fa');
    expect(tokens).toHaveLength(7);
  });

  it('rejects a component file that is not a known family', async () => {
    const dir = sources({
      'components/widgets.json': { widget: { bg: { $value: '#fff', $type: 'color' } } },
    });
    await expect(loadTokens(dir)).rejects.toThrow(
      /components\/widgets\.json: unknown component family "widgets" \(expected one of buttons, cards/,
    );
  });

  it('requires a semantic file per theme, naming the missing file', async () => {
    await expect(loadTokens(sources({ 'semantic/dark.json': undefined }))).rejects.toThrow(
      /semantic\/dark\.json: missing theme file/,
    );
  });

  it('requires the themes to define the same tokens', async () => {
    const dark = {
      color: { $type: 'color', brand: { bg: { $value: '{color.blue.400}' }, fg: { $value: '#fff' } } },
    };
    await expect(loadTokens(sources({ 'semantic/dark.json': dark }))).rejects.toThrow(
      /dark\.json: the themes must define the same tokens; missing \[\], extra \["color\.brand\.fg"\]/,
    );
  });

  it('names the token with a broken reference', async () => {
    const cards = { card: { bg: { $value: '{color.brand.nope}' } } };
    await expect(loadTokens(sources({ 'components/cards.json': cards }))).rejects.toThrow(
      /card\.bg.*color\.brand\.nope|color\.brand\.nope.*card\.bg/s,
    );
  });

  it('rejects path segments that do not make a clean custom property name', async () => {
    const cards = { card: { Background: { $value: '#fff', $type: 'color' } } };
    await expect(loadTokens(sources({ 'components/cards.json': cards }))).rejects.toThrow(
      /cards\.json: token "card\.Background" has segment "Background"/,
    );
  });

  it('rejects a family token that depends on another family (family files load on their own)', async () => {
    const cards = { card: { bg: { $value: '{button.bg}' } } };
    await expect(loadTokens(sources({ 'components/cards.json': cards }))).rejects.toThrow(
      /cards\.json: token "card\.bg" \(cards\) refers to "button\.bg" of family buttons/,
    );
  });

  it('rejects a token defined in two files (one value would silently win)', async () => {
    const cards = {
      card: { bg: { $value: '#fff', $type: 'color' } },
      space: { gap: { $value: '4px', $type: 'dimension' } },
    };
    await expect(loadTokens(sources({ 'components/cards.json': cards }))).rejects.toThrow(
      /cards\.json: token "space\.gap" is already defined in .*semantic\/base\.json/,
    );
  });

  it('names a source file that is not valid JSON', async () => {
    const dir = sources();
    writeFileSync(join(dir, 'components/cards.json'), '{ "card": ');
    await expect(loadTokens(dir)).rejects.toThrow(/components\/cards\.json: not valid JSON/);
  });

  it('rejects two paths that become the same custom property', async () => {
    const cards = {
      card: { 'bg-x': { $value: '#fff', $type: 'color' }, bg: { x: { $value: '#000', $type: 'color' } } },
    };
    await expect(loadTokens(sources({ 'components/cards.json': cards }))).rejects.toThrow(
      /both become --tr-card-bg-x/,
    );
  });
});

describe('building', () => {
  it('writes the CSS, manifest and tokens.json for valid sources', async () => {
    const out = join(sources(), 'out');
    const { manifest, budget } = await buildTokens({ sourceDir: dirname(out), outDir: out });
    expect(budget.status).toBe('ok');
    expect(manifest.tokens.count).toBe(7);
    expect(manifest.files.map((f) => `${f.version}:${f.family}`)).toContain('v1:all');
    const written = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(written).toEqual(manifest);
    const flat = JSON.parse(readFileSync(join(out, 'tokens.json'), 'utf8'));
    expect(flat.tokens).toContainEqual({
      name: '--tr-button-bg',
      path: 'button.bg',
      family: 'buttons',
      layer: 'component',
      values: { light: '#2563eb', dark: '#60a5fa' },
    });
  });

  it('fails over the byte budget without touching the previous output', async () => {
    const dir = sources();
    const out = join(dir, 'out');
    await buildTokens({ sourceDir: dir, outDir: out });
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    writeFileSync(
      join(dir, 'semantic/base.json'),
      JSON.stringify({ space: { $type: 'dimension', gap: { $value: '9px' } } }),
    );
    const budget = { errorBytes: 100, warnBytes: 50, goalBytes: 10 };
    await expect(buildTokens({ sourceDir: dir, outDir: out, budget })).rejects.toThrow(TokenBudgetError);
    await expect(buildTokens({ sourceDir: dir, outDir: out, budget })).rejects.toThrow(
      /over the 100-byte rollback limit/,
    );
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    for (const f of JSON.parse(before).files) expect(existsSync(join(out, f.file))).toBe(true);
  });

  it('the CLI exits non-zero with the message on bad sources, and zero on good ones', () => {
    const cli = (dir: string) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./build.ts', import.meta.url)),
          '--source',
          dir,
          '--out',
          join(dir, 'out'),
        ],
        {
          encoding: 'utf8',
        },
      );
    const bad = cli(sources({ 'components/cards.json': { card: { bg: { $value: '{button.bg}' } } } }));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /token build failed: .*cards\.json: token "card\.bg" \(cards\) refers to "button\.bg"/,
    );
    const good = cli(sources());
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('tokens: 7 tokens');
  });

  it('rejects bad sources as TokenSourceError', async () => {
    await expect(loadTokens(sources({ 'components/nope.json': {} }))).rejects.toBeInstanceOf(
      TokenSourceError,
    );
  });
});

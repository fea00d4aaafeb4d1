// The server decision against the real token build (dist/tokens) and the SDK's own core.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bucketOf, FAMILIES, FLAG_KEY, type TokenManifest } from 'token-rollout/core';
import { describe, expect, it } from 'vitest';
import { createServerDecider } from './decide.js';
import { staticServerFlags } from './flags.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const tokensDir = join(root, 'dist/tokens');
const manifest = JSON.parse(readFileSync(join(tokensDir, 'manifest.json'), 'utf8')) as TokenManifest;
const PARTIAL = {
  stage: 'go',
  version: 'ssr-1',
  go: { percentage: 50, regions: ['AU'], components: ['buttons', 'cards'] },
};
const keyWith = (test: (bucket: number) => boolean) => {
  for (let i = 0; ; i++) if (test(bucketOf(FLAG_KEY, FLAG_KEY, `u-${i}`))) return `u-${i}`;
};
const INSIDE = keyWith((b) => b < 0.4);
const OUTSIDE = keyWith((b) => b > 0.6);
const file = (family: string, version = 'v2') =>
  manifest.files.find((f) => f.family === family && f.version === version)?.file ?? '';
const decider = (over: Partial<Parameters<typeof createServerDecider>[0]> = {}) =>
  createServerDecider({
    manifest,
    tokensDir,
    tokenBase: '/tokens/',
    flags: staticServerFlags(PARTIAL),
    ...over,
  });

describe('createServerDecider', () => {
  it('an all-v2 page in a partial stage: the v2 core and its families inline, nothing linked', async () => {
    const d = await decider({ families: ['buttons', 'cards'] }).decide(
      { key: INSIDE, region: 'AU' },
      { nonce: 'n"1' },
    );
    expect(d.arm).toBe('v2');
    expect(d.bootstrap).toMatchObject({ stage: 'go', group: 'treatment', configVersion: 'ssr-1' });
    expect(d.sheets.map((s) => s.id)).toEqual(['v2/core', 'v2/buttons', 'v2/cards']);
    expect(d.links).toBe('');
    const core = readFileSync(join(tokensDir, file('core')), 'utf8');
    expect(d.styles).toBe(d.head);
    expect(
      d.head.startsWith(`<style nonce="n&quot;1" data-tr="v2/core" data-href="/tokens/${file('core')}">`),
    ).toBe(true);
    expect(d.head).toContain(core);
    expect(d.errors).toEqual([]);
  });

  it('links the v1 monolith (not inlined) while a page family is on v1, before the v2 styles', async () => {
    const d = await decider().decide({ key: INSIDE, region: 'AU' });
    expect(d.arm).toBe('mixed');
    expect(d.sheets.map((s) => s.id)).toEqual(['v1', 'v2/core', 'v2/buttons', 'v2/cards']);
    const v1 = manifest.files.find((f) => f.version === 'v1');
    expect(d.links).toBe(
      `<link rel="stylesheet" href="/tokens/${v1?.file}" integrity="${v1?.integrity}" crossorigin="anonymous" data-tr="v1">`,
    );
    expect(d.head.indexOf('data-tr="v1"')).toBeLessThan(d.head.indexOf('data-tr="v2/core"'));
    expect(d.bootCache.families).toMatchObject({ buttons: 'v2', forms: 'v1' });
  });

  it('decides like the browser: control outside the percentage, ineligible outside the regions', async () => {
    const control = await decider().decide({ key: OUTSIDE, region: 'AU' });
    expect(control).toMatchObject({ arm: 'v1', bootstrap: { group: 'control' } });
    const ineligible = await decider().decide({ key: INSIDE, region: 'US' });
    expect(ineligible.bootstrap.group).toBe('ineligible');
    const optedOut = await decider().decide({ key: INSIDE, region: 'AU', optedOut: true });
    expect(optedOut).toMatchObject({ arm: 'v1', bootstrap: { group: 'treatment' } });
    const killed = await decider({ flags: staticServerFlags(PARTIAL, { buttons: false }) }).decide({
      key: INSIDE,
      region: 'AU',
    });
    expect(killed.bootstrap.families.buttons).toEqual({ version: 'v1', reason: 'killed' });
  });

  it('without a flag value in time it decides v1 (flag-off) and says why; the page stays styled', async () => {
    const hung = { values: () => new Promise<never>(() => {}) };
    const d = await decider({ flags: hung, flagTimeoutMs: 50 }).decide({ key: INSIDE, region: 'AU' });
    expect(d.arm).toBe('v1');
    expect(d.bootstrap.families.buttons.reason).toBe('flag-off');
    expect(d.errors).toEqual([`flag ${FLAG_KEY}: no flag value within 50 ms`]);
    const failing = { values: () => Promise.reject(new Error('boom')) };
    expect((await decider({ flags: failing }).decide({ key: 'k' })).errors).toEqual([
      `flag ${FLAG_KEY}: boom`,
    ]);
  });

  it('links what it cannot read, and renders links only when inlining is off', async () => {
    const missing = await decider({ tokensDir: join(root, 'nowhere') }).decide({ key: INSIDE, region: 'AU' });
    expect(missing.styles).toBe('');
    expect(missing.errors[0]).toMatch(/^inline v2\/core: /);
    const linked = await decider({ inline: false, families: FAMILIES }).decide({ key: INSIDE, region: 'AU' });
    expect(linked.styles).toBe('');
    expect(linked.links.match(/<link /g)).toHaveLength(4);
  });

  it('inlines the v1 monolith too when asked (a first visit on a slow network)', async () => {
    const d = await decider().decide({ key: OUTSIDE, region: 'AU' }, { inlineV1: true });
    expect(d.links).toBe('');
    expect(d.head.startsWith(`<style data-tr="v1" data-href="/tokens/${file('all', 'v1')}">`)).toBe(true);
    expect(d.arm).toBe('v1');
  });

  it('never links a file whose manifest digest is malformed: it inlines the local file instead', async () => {
    const bad = {
      ...manifest,
      files: manifest.files.map((f) => (f.version === 'v1' ? { ...f, integrity: 'sha384-!!!' } : f)),
    };
    const d = await decider({ manifest: bad }).decide({ key: OUTSIDE, region: 'AU' }, { inline: false });
    expect(d.links).toBe('');
    expect(d.head.startsWith('<style data-tr="v1"')).toBe(true);
    expect(d.errors).toEqual(['v1: malformed integrity in the manifest, inlined instead of linked']);
  });

  it('keeps an absolute token base absolute (a CDN)', async () => {
    const d = await decider({ tokenBase: 'https://cdn.test/t/', inline: false }).decide({ key: OUTSIDE });
    expect(d.sheets[0]?.href).toBe(`https://cdn.test/t/${file('all', 'v1')}`);
  });
});

// The token CSS of a server decision as HTML: a <link> per sheet the page loads, or the sheet's CSS inline in
// a <style> (no request, no render-blocking round trip). Both carry `data-tr` (and an inline sheet
// `data-href`, the file it holds) so that the browser runtime adopts them instead of loading them again.
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { PlannedSheet } from 'token-rollout/core';

const escapeAttr = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `nonce="…"`, or nothing. */
const nonceAttr = (nonce: string | undefined) => (nonce ? ` nonce="${escapeAttr(nonce)}"` : '');

/** A render-blocking `<link>` for `sheet`, SRI-checked like the runtime's (crossorigin, integrity). */
export function linkTag(sheet: PlannedSheet, nonce?: string): string {
  return `<link rel="stylesheet" href="${escapeAttr(sheet.href)}" integrity="${escapeAttr(sheet.integrity)}" crossorigin="anonymous"${nonceAttr(nonce)} data-tr="${escapeAttr(sheet.id)}">`;
}

/** `css` inline as the sheet `sheet` (its text cannot end the element early). */
export function styleTag(sheet: PlannedSheet, css: string, nonce?: string): string {
  const text = css.replace(/<\/style/gi, '<\\/style');
  return `<style${nonceAttr(nonce)} data-tr="${escapeAttr(sheet.id)}" data-href="${escapeAttr(sheet.href)}">${text}</style>`;
}

/** Reads token CSS files under `dir`, each once (hashed file names never change). */
export function createCssReader(dir: string): (file: string) => Promise<string> {
  const root = resolve(dir);
  const cache = new Map<string, Promise<string>>();
  return (file) => {
    let text = cache.get(file);
    if (!text) {
      const path = resolve(root, file);
      // The names come from the build's manifest; still, never read outside the token directory.
      if (!path.startsWith(root + sep)) return Promise.reject(new Error(`${file} is outside ${root}`));
      text = readFile(path, 'utf8');
      text.catch(() => cache.delete(file));
      cache.set(file, text);
    }
    return text;
  };
}

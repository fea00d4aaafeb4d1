// The gallery page (test-support/gallery/index.html, bundled to dist/gallery/gallery.js): reads the token
// manifest, links the token CSS of the chosen version, applies the theme, renders every chosen family
// `n` times, and marks <html data-gallery-ready="true"> once stylesheets and fonts are settled.
// Problems (bad query, missing manifest or file) are listed on the page and in data-gallery-error.
import type { TokenManifest } from '../../tokens/manifest.js';
import { tokenFiles } from './links.js';
import { renderGallery } from './markup.js';
import { type GalleryParams, type GalleryTheme, parseGalleryParams } from './params.js';
import { applyTheme } from './theme.js';

/** What the page exposes for tests and benchmarks as `window.gallery`. */
export interface GalleryApi {
  readonly params: GalleryParams;
  /** Switches theme the way the loaded version does (v2: one attribute; v1: the class swap). */
  setTheme(theme: GalleryTheme): void;
}

declare global {
  interface Window {
    gallery?: GalleryApi;
  }
}

function loadStylesheet(href: string, integrity: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.integrity = integrity;
    link.dataset.tokens = '';
    link.onload = () => resolve();
    link.onerror = () =>
      reject(new Error(`could not load token CSS ${href} (missing, or failed its integrity check)`));
    document.head.append(link);
  });
}

async function readManifest(url: string): Promise<TokenManifest> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the token manifest ${url}: HTTP ${response.status}`);
  return (await response.json()) as TokenManifest;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

async function main(): Promise<void> {
  const params = parseGalleryParams(location.search);
  const root = document.documentElement;
  const errors = [...params.errors];
  applyTheme(root, params.version, params.theme);
  root.dataset.tokenVersion = params.version;
  document.title = `Token gallery (${params.version}, ${params.theme})`;
  window.gallery = { params, setTheme: (theme) => applyTheme(root, params.version, theme) };

  try {
    const manifestUrl = new URL(params.manifest, location.href);
    const files = tokenFiles(await readManifest(manifestUrl.href), params.version, params.families);
    const loads = await Promise.allSettled(
      files.map((f) => loadStylesheet(new URL(f.file, manifestUrl).href, f.integrity)),
    );
    for (const load of loads) {
      if (load.status === 'rejected') {
        errors.push(load.reason instanceof Error ? load.reason.message : String(load.reason));
      }
    }
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }

  // Render once the token CSS applies, so no transition runs from unstyled values (screenshots and
  // computed styles must be deterministic).
  const main =
    document.getElementById('gallery') ?? document.body.appendChild(document.createElement('main'));
  main.innerHTML = renderGallery(params.families, params.repeat);
  if (errors.length > 0) {
    const box = document.createElement('div');
    box.className = 'gallery-errors';
    box.setAttribute('role', 'alert');
    box.innerHTML = errors
      .map((e) => `<p>${e.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</p>`)
      .join('');
    main.before(box);
    root.dataset.galleryError = errors.join('\n');
  }
  await document.fonts.ready;
  await nextFrame();
  await nextFrame();
  main.removeAttribute('aria-busy');
  root.dataset.galleryReady = 'true';
}

void main();

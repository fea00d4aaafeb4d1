// The token build's manifest (dist/tokens/manifest.json). No Node imports: the browser SDK reads it.

/** One built CSS file. `family` is a family name, `core` (v2 shared tokens) or `all` (the v1 monolith). */
export interface ManifestFile {
  family: string;
  version: 'v1' | 'v2';
  /** Path relative to the manifest, content-hashed: `v2/buttons.3f9a1c2b.css`. */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Subresource Integrity: `sha384-<base64>`. */
  integrity: string;
}

export interface TokenManifest {
  schema: 1;
  themes: readonly string[];
  files: readonly ManifestFile[];
  tokens: { count: number };
}

// Content-addressed output: a file's name carries a hash of its bytes, so a URL always serves the same
// bytes (immutable caching; a rollback is a manifest/flag change, never a CDN purge).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { ManifestFile } from './manifest.js';

/** The first 8 hex digits of the SHA-256 of `content`: the file name's version part. */
export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 8);
}

/** Subresource Integrity value (`sha384-<base64>`) for `content`. */
export function integrity(content: string): string {
  return `sha384-${createHash('sha384').update(content).digest('base64')}`;
}

/** The manifest entry for one CSS file: hashed path, raw and gzip (level 9) bytes, integrity. */
export function manifestEntry(
  family: string,
  version: 'v1' | 'v2',
  stem: string,
  content: string,
): ManifestFile {
  return {
    family,
    version,
    file: `${version}/${stem}.${contentHash(content)}.css`,
    bytes: Buffer.byteLength(content),
    gzipBytes: gzipSync(content, { level: 9 }).byteLength,
    integrity: integrity(content),
  };
}

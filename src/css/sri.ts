// What counts as an SRI value: exactly one sha256, sha384 or sha512 digest in base64, of the length its
// hash has. Chromium loads a <link> whose `integrity` it cannot parse (`sha384-!!!`, `sha384-`, `md5-…`)
// without any check, so a malformed value is no protection at all and is refused before it reaches the page.
// The boot snippet (src/boot/snippet.ts) inlines the same pattern (sri.test.ts holds them together).

/** A well-formed SRI digest: sha256 (44 chars), sha384 (64) or sha512 (88), base64 with its padding. */
export const SRI_PATTERN = /^sha(256-[A-Za-z0-9+/]{43}=|384-[A-Za-z0-9+/]{64}|512-[A-Za-z0-9+/]{86}==)$/;

/** True when `value` is one well-formed SRI digest that the browser will check (see SRI_PATTERN). */
export function isWellFormedSri(value: unknown): value is string {
  return typeof value === 'string' && SRI_PATTERN.test(value);
}

/** Why `integrity` is refused, or null when it is well formed. */
export function refuseIntegrity(integrity: unknown, href: string): string | null {
  if (isWellFormedSri(integrity)) return null;
  const shown = typeof integrity === 'string' ? JSON.stringify(integrity.slice(0, 40)) : String(integrity);
  return `refused ${href}: integrity ${shown} is not a well-formed sha256/sha384/sha512 base64 digest`;
}

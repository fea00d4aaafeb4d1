// The origin allowlist: token CSS is only loaded from origins the app trusts.

/** The origin of `href` resolved against `base`, or null when it is not an http(s) URL. */
export function originOf(href: string, base: string): string | null {
  try {
    const url = new URL(href, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Why `href` may not be loaded, or null when its origin is in `allowed`. */
export function refuseOrigin(href: string, base: string, allowed: readonly string[]): string | null {
  const origin = originOf(href, base);
  if (origin === null) return `refused ${href}: not an http(s) URL`;
  if (!allowed.includes(origin)) return `refused ${href}: origin ${origin} is not in allowedOrigins`;
  return null;
}

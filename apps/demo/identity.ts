// Who the demo visitor is: a user key and a region, chosen in the switcher (or by ?user=&region= in the URL,
// which the simulator uses), remembered so that a returning visitor keeps their bucket. The server decides
// the visitor's tokens before first paint (decision.ts), so the identity lives in two cookies it reads; the
// page gets the identity the server used (page config) and the browser rollout decides for the same user.

/** Regions the switcher offers: the plan's low-traffic start (AU, NZ), its week-2 addition (CA), and others. */
export const REGIONS = ['AU', 'NZ', 'CA', 'US', 'GB', 'DE', 'FR', 'JP', 'BR', 'IN'] as const;

/** The demo visitor. */
export interface Identity {
  key: string;
  region: string;
}

const STORAGE_KEY = 'demo:identity';

/** The cookies the server reads the visitor from (token-rollout-tools' `identity` option). */
export const IDENTITY_COOKIES = {
  userCookie: 'demo_user',
  regionCookie: 'demo_region',
  // The SDK keeps the opt-out in localStorage, which the server cannot read: the page mirrors it here, so
  // an opted-out visitor is decided v1 on the server too (no swap after first paint).
  optOutCookie: 'demo_opt_out',
} as const;

/** `Set-Cookie` values that remember `identity` for a year (readable by the page, which sets them on switch). */
export function identityCookies(identity: Identity): string[] {
  const attrs = '; Path=/; Max-Age=31536000; SameSite=Lax';
  return [
    `${IDENTITY_COOKIES.userCookie}=${encodeURIComponent(identity.key)}${attrs}`,
    `${IDENTITY_COOKIES.regionCookie}=${encodeURIComponent(identity.region)}${attrs}`,
  ];
}

/** Reads the identity: URL parameters first, then storage, else a new random key in AU. */
export function readIdentity(search: string, stored: string | null, random: () => number): Identity {
  const params = new URLSearchParams(search);
  const fromStorage = parseStored(stored);
  const key = params.get('user') || fromStorage?.key || `guest-${Math.floor(random() * 1e8).toString(36)}`;
  const region = (params.get('region') || fromStorage?.region || 'AU').toUpperCase();
  return { key, region };
}

function parseStored(stored: string | null): Identity | null {
  if (!stored) return null;
  try {
    const value: unknown = JSON.parse(stored);
    if (typeof value === 'object' && value !== null && 'key' in value && 'region' in value) {
      const { key, region } = value as { key: unknown; region: unknown };
      if (typeof key === 'string' && typeof region === 'string') return { key, region };
    }
  } catch {
    // A corrupt entry means a new visitor.
  }
  return null;
}

/** Remembers the identity on this device (cookies for the server; storage may be unavailable). */
export function saveIdentity(identity: Identity): void {
  for (const cookie of identityCookies(identity)) {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser; identityCookies escapes.
    document.cookie = cookie;
  }
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(identity));
  } catch {
    // Private mode or disabled storage: the identity lives for this page only.
  }
}

/** Mirrors the rollout's opt-out into its cookie (only when it differs, so most pages write nothing). */
export function mirrorOptOut(optedOut: boolean): void {
  const name = IDENTITY_COOKIES.optOutCookie;
  const current = document.cookie.split('; ').includes(`${name}=1`);
  if (current === optedOut) return;
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser.
  document.cookie = `${name}=${optedOut ? '1' : ''}; Path=/; Max-Age=${optedOut ? 31536000 : 0}; SameSite=Lax`;
}

/** Loads the stored identity string, tolerating storage that throws. */
export function loadStoredIdentity(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

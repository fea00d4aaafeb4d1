// Who the demo visitor is: a user key and a region, chosen in the switcher (or by ?user=&region= in the URL,
// which the simulator uses), remembered so that a returning visitor keeps their bucket.

/** Regions the switcher offers: the plan's low-traffic start (AU, NZ), its week-2 addition (CA), and others. */
export const REGIONS = ['AU', 'NZ', 'CA', 'US', 'GB', 'DE', 'FR', 'JP', 'BR', 'IN'] as const;

/** The demo visitor. */
export interface Identity {
  key: string;
  region: string;
}

const STORAGE_KEY = 'demo:identity';

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

/** Remembers the identity on this device; storage may be unavailable, which only costs persistence. */
export function saveIdentity(identity: Identity): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(identity));
  } catch {
    // Private mode or disabled storage: the identity lives for this page only.
  }
}

/** Loads the stored identity string, tolerating storage that throws. */
export function loadStoredIdentity(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

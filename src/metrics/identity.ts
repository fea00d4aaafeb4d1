// Who an event is about, without saying who: a salted hash of the user key and a random page-session id.
import { sha1Hex } from '../hash/sha1.js';

/** The default salt for user hashes; set your own so hashes cannot be joined with other data sets. */
export const DEFAULT_USER_SALT = 'token-rollout';

/**
 * The user field of events: the first 16 hex digits (64 bits) of SHA-1(`salt:key`). The key itself never
 * leaves the page; the gate only needs a stable, collision-unlikely id to aggregate per user.
 */
export function hashUserKey(key: string, salt: string = DEFAULT_USER_SALT): string {
  return sha1Hex(`${salt}:${key}`).slice(0, 16);
}

/** The crypto functions a session id can use (the window's `crypto`, injected). */
export interface SessionCrypto {
  randomUUID?: () => string;
  getRandomValues?: <T extends Uint8Array>(array: T) => T;
}

/** A random page-session id: `crypto.randomUUID()` where available, else 128 random bits as hex. */
export function newSessionId(crypto: SessionCrypto | undefined, random: () => number = Math.random): string {
  if (crypto?.randomUUID) return crypto.randomUUID();
  return randomHex(16, crypto, random);
}

/**
 * A random event id: 64 bits as 16 hex digits. Short on purpose (it rides on every event); per user and
 * session a collision is out of reach, which is all a store needs to drop a retried duplicate.
 */
export function newEventId(crypto: SessionCrypto | undefined, random: () => number = Math.random): string {
  return randomHex(8, crypto, random);
}

/** `size` random bytes as hex, from `crypto.getRandomValues` where available. */
function randomHex(size: number, crypto: SessionCrypto | undefined, random: () => number): string {
  const bytes = new Uint8Array(size);
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  // Insecure contexts without crypto: ids only need to be unlikely to collide, not unguessable.
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

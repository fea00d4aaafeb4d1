// LaunchDarkly's rollout bucket, bit for bit: the same user lands in the same bucket here, on every device,
// and in LaunchDarkly's own percentage rollouts (js-server-sdk-common, src/evaluation/Bucketer.ts).
import { sha1Into } from '../hash/sha1.js';

/** LaunchDarkly divides by 0xFFFFFFFFFFFFFFF; as a double that literal rounds to exactly 2^60. */
const LONG_SCALE = 2 ** 60;
/** 2^28: the first 15 hex digits are word 0 (8 digits) and the top 28 bits of word 1 (7 digits). */
const TWO_POW_28 = 0x10000000;

const digest = new Uint32Array(5);
let lastFlagKey = '';
let lastSalt = '';
let prefix = '..';

/**
 * The user's rollout bucket in [0, 1]: SHA-1 of `${flagKey}.${salt}.${key}`, its first 15 hex digits read
 * as an integer, divided by 0xFFFFFFFFFFFFFFF — exactly what LaunchDarkly's SDKs compute.
 */
export function bucketOf(flagKey: string, salt: string, key: string): number {
  if (flagKey !== lastFlagKey || salt !== lastSalt) {
    lastFlagKey = flagKey;
    lastSalt = salt;
    prefix = `${flagKey}.${salt}.`;
  }
  // The same prefix string from call to call: sha1Into reuses its encoded bytes.
  sha1Into(key, digest, prefix);
  // LaunchDarkly does parseInt(hex.substring(0, 15), 16), which rounds the 60-bit integer to the nearest
  // double. h0 * 2^28 is exact (32 significant bits), and the one addition rounds to nearest-even the
  // same way, so this equals parseInt without building the hex string (tested against it).
  const value = digest[0]! * TWO_POW_28 + (digest[1]! >>> 4);
  return value / LONG_SCALE;
}

/**
 * LaunchDarkly rollout weights are integers in thousandths of a percent (0..100000): a percentage becomes
 * weight round(p * 1000), and a bucket is inside when bucket < weight / 100000.
 */
export function rolloutThreshold(percentage: number): number {
  return Math.round(percentage * 1000) / 100000;
}

/** True when `bucket` falls inside a `percentage` rollout, compared the way LaunchDarkly compares it. */
export function inRollout(bucket: number, percentage: number): boolean {
  return bucket < rolloutThreshold(percentage);
}

// SHA-1 (FIPS 180-4), synchronous and dependency-free: LaunchDarkly's rollout hash must run in the boot
// path before first paint, where WebCrypto (async) cannot be awaited and node:crypto does not exist.
// Buffers are module-level and reused, so hashing a short key allocates nothing but the result.

let encoder: TextEncoder | undefined;

let bytes = new Uint8Array(256);
const w = new Int32Array(80);
/** Round constants 0x8f1bbcdc and 0xca62c1d6 as signed 32-bit values, so additions stay small integers. */
const K3 = 0x8f1bbcdc | 0;
const K4 = 0xca62c1d6 | 0;

/** The prefix whose UTF-8 bytes sit at the start of `bytes` (null when unknown), and their length. */
let cachedPrefix: string | null = null;
let cachedPrefixBytes = 0;

/** Grows the shared byte buffer so that `chars` UTF-16 units plus SHA-1 padding always fit. */
function ensureCapacity(chars: number): Uint8Array {
  const need = chars * 3 + 72;
  if (bytes.length < need) {
    bytes = new Uint8Array(Math.max(need, bytes.length * 2));
    cachedPrefix = null;
  }
  return bytes;
}

/** Writes the UTF-8 bytes of `s` into `buf` from `at`; returns how many were written. */
function writeUtf8(s: string, buf: Uint8Array, at: number): number {
  // ASCII (UUIDs, ids) skips the general encoder.
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 0x80) break;
    buf[at + i] = ch;
  }
  // The rest goes through TextEncoder, which writes lone surrogates as U+FFFD, as node:crypto does.
  if (i === n) return n;
  encoder ??= new TextEncoder();
  return encoder.encodeInto(s, buf.subarray(at)).written;
}

/** The message's bytes (`prefix + input`, UTF-8) in the shared buffer; returns their length. */
function encode(input: string, prefix: string, buf: Uint8Array): number {
  if (prefix.length > 0 && (prefix.charCodeAt(prefix.length - 1) & 0xfc00) === 0xd800) {
    // A high surrogate at the end of the prefix pairs with the input's first unit: encode them together.
    cachedPrefix = null;
    return writeUtf8(prefix + input, buf, 0);
  }
  if (prefix !== cachedPrefix) {
    cachedPrefixBytes = writeUtf8(prefix, buf, 0);
    cachedPrefix = prefix;
  }
  return cachedPrefixBytes + writeUtf8(input, buf, cachedPrefixBytes);
}

/** SHA-1 padding after `len` message bytes: 0x80, zeros, the bit length (64-bit big-endian). Returns the total. */
function pad(buf: Uint8Array, len: number): number {
  const total = ((len + 8) >>> 6) * 64 + 64;
  buf[len] = 0x80;
  for (let p = len + 1; p < total - 8; p++) buf[p] = 0;
  const bitsHigh = Math.floor(len / 0x20000000);
  const bitsLow = (len * 8) >>> 0;
  buf[total - 8] = bitsHigh >>> 24;
  buf[total - 7] = bitsHigh >>> 16;
  buf[total - 6] = bitsHigh >>> 8;
  buf[total - 5] = bitsHigh;
  buf[total - 4] = bitsLow >>> 24;
  buf[total - 3] = bitsLow >>> 16;
  buf[total - 2] = bitsLow >>> 8;
  buf[total - 1] = bitsLow;
  return total;
}

/** Expands the 64-byte block at `off` into the 80-word schedule `w`. */
function schedule(buf: Uint8Array, off: number): void {
  for (let t = 0; t < 16; t++) {
    const p = off + t * 4;
    w[t] = (buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
  }
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }
}

/** Runs the 80 steps on the scheduled block and adds the result into the hash state `h` (5 words). */
function compress(h: Int32Array): void {
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let t = 0;
  let tmp = 0;
  // Four loops, one per round function, so the 80 steps carry no branch.
  for (; t < 20; t++) {
    tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 40; t++) {
    tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 60; t++) {
    tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + K3 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 80; t++) {
    tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K4 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
}

/** The hash state between blocks. */
const h = new Int32Array(5);

/**
 * Writes the five 32-bit words of SHA-1(UTF-8 bytes of `prefix + input`) into `out` (length ≥ 5) and
 * returns it. The word form lets the bucketer read the digest without a hex string; a repeated `prefix`
 * (`"<flagKey>.<salt>."`) is encoded once and kept in the buffer, and no concatenated string is built.
 */
export function sha1Into(input: string, out: Uint32Array, prefix = ''): Uint32Array {
  const buf = ensureCapacity(prefix.length + input.length);
  const total = pad(buf, encode(input, prefix, buf));
  h[0] = 0x67452301;
  h[1] = 0xefcdab89 | 0;
  h[2] = 0x98badcfe | 0;
  h[3] = 0x10325476;
  h[4] = 0xc3d2e1f0 | 0;
  for (let off = 0; off < total; off += 64) {
    schedule(buf, off);
    compress(h);
  }
  for (let i = 0; i < 5; i++) out[i] = h[i]!;
  return out;
}

const words = new Uint32Array(5);

/** SHA-1 of the UTF-8 bytes of `input`, as 40 lower-case hex digits (what node:crypto's digest('hex') gives). */
export function sha1Hex(input: string): string {
  sha1Into(input, words);
  let hex = '';
  for (let i = 0; i < 5; i++) hex += words[i]!.toString(16).padStart(8, '0');
  return hex;
}

// The 249 officially assigned ISO 3166-1 alpha-2 codes (ISO 3166 Maintenance Agency, via Debian's
// iso-codes as packaged by pycountry 26.2.16), as a 26×26 bitmap in base64: bit (a*26 + b) is set for
// the code whose letters are A+a, A+b. 114 characters keep the browser bundle small.
const BITMAP =
  'eFnf7u+93d4nP4QVgNQADgBcCbCf+xUAjQYYeA9AQAMAHSv0QYFP/fz/1yVLCAABQDyPUwEAAEAAUfH95zq7n5pBEARXhUAAAkAAAAAAEAAIBEAAAQ==';

let bits: Uint8Array | undefined;

/** True when `code` (already upper case) is an assigned ISO 3166-1 alpha-2 code. */
export function isIsoRegion(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  bits ??= Uint8Array.from(atob(BITMAP), (c) => c.charCodeAt(0));
  const i = (code.charCodeAt(0) - 65) * 26 + code.charCodeAt(1) - 65;
  return ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** Every assigned ISO 3166-1 alpha-2 code, upper case, in alphabetical order. */
export function isoRegionCodes(): string[] {
  const codes: string[] = [];
  for (let i = 0; i < 676; i++) {
    const code = String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26));
    if (isIsoRegion(code)) codes.push(code);
  }
  return codes;
}

/** Common codes that are not ISO 3166-1 alpha-2, with the code meant: a hint for the error message. */
export const REGION_ALIASES: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR' };

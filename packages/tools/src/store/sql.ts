// SQL literals for the two engines. ClickHouse 18.16 has no query parameters, so values are quoted here,
// in one place: strings with backslash and quote escaped (both engines accept this form).
/** A string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A number literal (finite numbers only: anything else is a bug in the caller). */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

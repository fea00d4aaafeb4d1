// Deep comparison with a relative tolerance on numbers: sums computed by a database in another order than
// Node's differ in the last bits, and nothing else may differ.

/** The paths where `actual` and `expected` differ (numbers within `tolerance`, relative, are equal). */
export function differences(actual: unknown, expected: unknown, tolerance = 1e-9, path = '$'): string[] {
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (Number.isNaN(actual) && Number.isNaN(expected)) return [];
    const scale = Math.max(1, Math.abs(actual), Math.abs(expected));
    return Math.abs(actual - expected) <= tolerance * scale || actual === expected
      ? []
      : [`${path}: ${actual} != ${expected}`];
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return [`${path}: length ${actual.length} != ${expected.length}`];
    return actual.flatMap((a, i) => differences(a, expected[i], tolerance, `${path}[${i}]`));
  }
  if (isObject(actual) && isObject(expected)) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    return [...keys].flatMap((k) => differences(actual[k], expected[k], tolerance, `${path}.${k}`));
  }
  return Object.is(actual, expected)
    ? []
    : [`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

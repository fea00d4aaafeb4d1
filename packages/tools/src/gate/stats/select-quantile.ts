// The product's quantile definition (core's `quantile`: R-7, linear between the closest ranks, which is
// also SQL's PERCENTILE_CONT), computed by selection instead of a sort: the gate caps every continuous
// metric at every look, and a sort per metric per look was most of the simulation's time. A test holds
// it equal to core's `quantile`.

/**
 * The q-quantile (0..1) of the first `length` values of `scratch`, R-7. Reorders `scratch` in place
 * (quickselect, linear time on average): pass a copy. NaN for no values.
 */
export function selectQuantile(scratch: Float64Array, length: number, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile between 0 and 1 is needed, got ${q}`);
  if (length === 0) return Number.NaN;
  const pos = (length - 1) * q;
  const low = Math.floor(pos);
  const lo = select(scratch, length, low);
  if (low + 1 >= length || pos === low) return lo;
  // After selecting `low`, every value to its right is >= it: the next order statistic is their minimum.
  let hi = Number.POSITIVE_INFINITY;
  for (let i = low + 1; i < length; i++) if (scratch[i]! < hi) hi = scratch[i]!;
  return lo + (hi - lo) * (pos - low);
}

/** The k-th smallest (0-based) of the first `length` values; partitions `a` around it (Hoare, median of 3). */
function select(a: Float64Array, length: number, k: number): number {
  let left = 0;
  let right = length - 1;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const x = a[left]!;
    const y = a[mid]!;
    const z = a[right]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k]!;
  }
  return a[k]!;
}

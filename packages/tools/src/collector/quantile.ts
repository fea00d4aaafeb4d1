// Exact quantiles over stored values: at the collector's scale (millions of numbers at most) keeping every
// value costs a few MB and gives the gate exact figures instead of a sketch's approximations.

/** A growable list of numbers with exact, cached quantiles. */
export class ValueList {
  private values = new Float64Array(16);
  private length = 0;
  private sorted: Float64Array | null = null;
  private sum = 0;

  /** Adds one value. */
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
    this.sum += value;
    this.sorted = null;
  }

  /** How many values were added. */
  get count(): number {
    return this.length;
  }

  /** The arithmetic mean, or null when empty. */
  mean(): number | null {
    return this.length === 0 ? null : this.sum / this.length;
  }

  /** The q-quantile (0..1) with linear interpolation between closest ranks, or null when empty. */
  quantile(q: number): number | null {
    if (this.length === 0) return null;
    if (this.sorted === null) this.sorted = this.values.slice(0, this.length).sort();
    const rank = q * (this.length - 1);
    const low = Math.floor(rank);
    const high = Math.min(low + 1, this.length - 1);
    const a = this.sorted[low] as number;
    const b = this.sorted[high] as number;
    return a + (b - a) * (rank - low);
  }
}

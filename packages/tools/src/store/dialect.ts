// The two engines' SQL differences, in one place: every query of the store (the gate's statistics, the
// collector's aggregates) is written once against these helpers. DuckDB is written as DuckDB 1.x takes it;
// ClickHouse as 18.16 (Debian's package) takes it: no CTEs (temporary tables in a session instead), no
// FILTER clause (the -If combinators), no quantile with interpolation (R-7 from a sorted array), no
// query parameters (literals quoted by sql.ts).
import type { Engine } from './types.js';

/** SQL fragments that differ between the engines. */
export interface Dialect {
  readonly engine: Engine;
  /** `count(*)` of rows where `cond` holds. */
  countIf(cond: string): string;
  /** `sum(expr)` over rows where `cond` holds; 0 when none. */
  sumIf(expr: string, cond: string): string;
  /** `min(expr)` / `max(expr)` over rows where `cond` holds (NULL / unspecified when none: guard with a count). */
  minIf(expr: string, cond: string): string;
  maxIf(expr: string, cond: string): string;
  /**
   * The column that orders rows of one receive time: the store's own order (DuckDB: `rowid`, insertion
   * order; ClickHouse, which keeps none: `id`). Exports and the gate's "first event" both use it.
   */
  readonly tie: string;
  /** `expr` of the row with the smallest `(time, tie)` among rows where `cond` holds. */
  argMinIf(expr: string, time: string, tie: string, cond: string): string;
  /** Bitwise OR of an integer over the group, and an integer's bits under `mask`. */
  bitOr(expr: string): string;
  bits(expr: string, mask: number): string;
  /** Whether a DOUBLE is neither NaN nor infinite. */
  isFinite(expr: string): string;
  /** Distinct values of `expr` among rows where `cond` holds. */
  countDistinctIf(expr: string, cond: string): string;
  /**
   * The q-quantile of `expr` over rows where `cond` holds, R-7 (linear between closest ranks: core's
   * `quantile`, the gate's `selectQuantile`, SQL's PERCENTILE_CONT); NULL when there are none.
   */
  quantileIf(expr: string, q: number, cond: string): string;
  /** A nullable column read as non-null (after the rows with NULL were filtered out). */
  notNull(expr: string): string;
  /** A DOUBLE / a VARCHAR, nullable, so that UNION ALL branches have one type per column. */
  num(expr: string): string;
  str(expr: string): string;
  /** Creates a temporary table of a session from a SELECT. */
  createTemp(name: string, select: string): string;
}

const R7 = (sorted: string, q: number): string => {
  // ClickHouse 18.16's quantileExact picks an element without interpolating: R-7 by hand on the sorted
  // array (1-based): h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). The sorted
  // array is written the same way each time, so ClickHouse computes it once.
  const n = `length(${sorted})`;
  const h = `((${n} - 1) * ${q})`;
  const lo = `(toUInt64(floor(${h})) + 1)`;
  const hi = `least(${lo} + 1, ${n})`;
  return `if(${n} = 0, CAST(NULL AS Nullable(Float64)), toNullable(arrayElement(${sorted}, ${lo}) + (${h} - floor(${h})) * (arrayElement(${sorted}, ${hi}) - arrayElement(${sorted}, ${lo}))))`;
};

// DuckDB: conditional aggregates as aggregates of CASE (NULL when the condition fails, which aggregates
// skip) rather than FILTER clauses: in the gate's per-user pass over millions of rows this took half the
// time and less memory (DuckDB 1.5, 10 M rows, 1 M users).
const when = (cond: string, expr: string) => `CASE WHEN ${cond} THEN ${expr} END`;
const duckdb: Dialect = {
  engine: 'duckdb',
  countIf: (cond) => `count(${when(cond, '1')})`,
  sumIf: (expr, cond) => `coalesce(sum(${when(cond, expr)}), 0)`,
  minIf: (expr, cond) => `min(${when(cond, expr)})`,
  maxIf: (expr, cond) => `max(${when(cond, expr)})`,
  tie: 'rowid',
  // One HUGEINT key instead of a (time, rowid) struct: DuckDB can spill a fixed-size key to disk, and the
  // per-user pass over millions of rows must fit its memory limit.
  argMinIf: (expr, time, tie, cond) =>
    `arg_min(${when(cond, expr)}, ${when(cond, `CAST(${time} AS HUGEINT) * 18446744073709551616 + ${tie}`)})`,
  bitOr: (expr) => `bit_or(${expr})`,
  bits: (expr, mask) => `((${expr}) & ${mask})`,
  isFinite: (expr) => `isfinite(${expr})`,
  countDistinctIf: (expr, cond) => `count(DISTINCT ${when(cond, expr)})`,
  quantileIf: (expr, q, cond) => `quantile_cont(${when(cond, expr)}, ${q})`,
  notNull: (expr) => expr,
  num: (expr) => `CAST(${expr} AS DOUBLE)`,
  str: (expr) => `CAST(${expr} AS VARCHAR)`,
  createTemp: (name, select) => `CREATE OR REPLACE TEMP TABLE ${name} AS ${select}`,
};

const clickhouse: Dialect = {
  engine: 'clickhouse',
  countIf: (cond) => `countIf(${cond})`,
  sumIf: (expr, cond) => `sumIf(${expr}, ${cond})`,
  minIf: (expr, cond) => `minIf(${expr}, ${cond})`,
  maxIf: (expr, cond) => `maxIf(${expr}, ${cond})`,
  tie: 'id',
  argMinIf: (expr, time, tie, cond) => `argMinIf(${expr}, (${time}, ${tie}), ${cond})`,
  bitOr: (expr) => `groupBitOr(${expr})`,
  bits: (expr, mask) => `bitAnd(${expr}, ${mask})`,
  isFinite: (expr) => `isFinite(${expr})`,
  countDistinctIf: (expr, cond) => `uniqExactIf(${expr}, ${cond})`,
  quantileIf: (expr, q, cond) => R7(`arraySort(groupArrayIf(toFloat64(${expr}), ${cond}))`, q),
  notNull: (expr) => `assumeNotNull(${expr})`,
  num: (expr) => `CAST(${expr} AS Nullable(Float64))`,
  str: (expr) => `CAST(${expr} AS Nullable(String))`,
  createTemp: (name, select) => `CREATE TEMPORARY TABLE ${name} ENGINE = Memory AS ${select}`,
};

/** The dialect of an engine. */
export function dialectOf(engine: Engine): Dialect {
  return engine === 'duckdb' ? duckdb : clickhouse;
}

/** `a IN ('x', 'y')` with each value quoted. */
export function inList(values: readonly string[], quote: (v: string) => string): string {
  return `(${values.map(quote).join(', ')})`;
}

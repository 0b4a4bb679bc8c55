/** Nearest-rank percentiles for the experiment's latency figures. */

/**
 * The nearest-rank percentile: the smallest value such that at least `p` percent of the
 * values are less than or equal to it. `values` need not be sorted (a sorted copy is used).
 *
 * @param p - in (0, 100].
 * @returns NaN for an empty list.
 * @throws RangeError when `p` is outside (0, 100].
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // p * n / 100 rounds better than p / 100 * n (99.9 / 100 * 1000 is 999.0000000000001), and
  // the epsilon absorbs what rounding is left, so rank is exact for any p with a few decimals.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9));
  return sorted[rank - 1]!;
}

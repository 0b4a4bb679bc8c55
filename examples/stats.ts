/**
 * Pure statistics for the demo: what one request ended as, and the numbers a run of them
 * adds up to. No I/O, no clock: tested in test/unit/demo-stats.test.ts.
 */

/** How one request ended, as its caller saw it. */
export type CallKind = 'ok' | 'fallback' | 'failed';

/** One request of a load run. */
export interface CallRecord {
  readonly kind: CallKind;
  /** Wall time the caller waited, ms. */
  readonly ms: number;
}

/** What a run of requests adds up to, from the caller's side. */
export interface RunSummary {
  readonly requests: number;
  /** Real answers from the service. */
  readonly succeeded: number;
  /** Answered by a fallback (not a real answer, but the caller got something usable). */
  readonly fallback: number;
  readonly failed: number;
  /** succeeded / requests, in [0, 1]; NaN for no requests. */
  readonly realRate: number;
  /** (succeeded + fallback) / requests, in [0, 1]; NaN for no requests. */
  readonly answeredRate: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

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
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1]!;
}

/** Counts outcomes and latency percentiles of a run. */
export function summarize(records: readonly CallRecord[]): RunSummary {
  let succeeded = 0;
  let fallback = 0;
  let failed = 0;
  let max = Number.NaN;
  for (const r of records) {
    if (r.kind === 'ok') succeeded++;
    else if (r.kind === 'fallback') fallback++;
    else failed++;
    if (!(r.ms <= max)) max = r.ms;
  }
  const n = records.length;
  const ms = records.map((r) => r.ms);
  return {
    requests: n,
    succeeded,
    fallback,
    failed,
    realRate: n === 0 ? Number.NaN : succeeded / n,
    answeredRate: n === 0 ? Number.NaN : (succeeded + fallback) / n,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max,
  };
}

/** A share in [0, 1] as a percentage with one decimal: `0.9667` → `'96.7%'`; NaN → `'-'`. */
export function formatPercent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '-';
}

/** Milliseconds rounded to whole ms: `517.4` → `'517'`; NaN → `'-'`. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? String(Math.round(ms)) : '-';
}

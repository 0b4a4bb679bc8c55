/**
 * What the records of one configuration add up to: the summary table and the time series
 * behind the charts. Pure functions of the records; defined word for word in
 * docs/experiments.md.
 */

import { type Incident, outageWindows } from './incident.js';
import { percentile } from './percentile.js';
import type { LaneResult, RequestRecord } from './runner.js';

/** The share of a bucket's requests that must be real answers for it to count as recovered. */
export const RECOVERED = 0.95;
/** Width of the buckets recovery is measured in, ms, whatever the run's length. */
export const RECOVERY_BUCKET = 1_000;

export interface Summary {
  readonly name: string;
  readonly requests: number;
  readonly ok: number;
  readonly fallback: number;
  readonly errors: number;
  /** ok / requests (real answers only). */
  readonly successRate: number;
  /** (ok + fallback) / requests. */
  readonly answeredRate: number;
  /** Latency (end - start) of every request, whatever its outcome, ms. */
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  /** Requests that reached the service, retries included. */
  readonly serviceCalls: number;
  /** Of those, the ones that arrived during an outage window. */
  readonly outageCalls: number;
  /** ms from the end of the (last) outage to the first 1 s bucket at >= 95% real success. */
  readonly recovery: number;
  /** Failures (fallback or error) by reason, most frequent first. */
  readonly reasons: readonly (readonly [string, number])[];
  /** Success rates per phase. */
  readonly phases: readonly PhaseRates[];
}

/** Bucket width for the time series and recovery: 1 s up to a minute's run, then run/60. */
export function bucketSize(duration: number): number {
  return Math.max(1_000, Math.round(duration / 60 / 1_000) * 1_000);
}

/**
 * Time from `outageEnd` to the start of the first bucket [outageEnd + k*bucket,
 * outageEnd + (k+1)*bucket) (k = 0, 1...; requests grouped by start time, buckets ending
 * after `runEnd` not considered) holding at least one request and whose share of real
 * answers is >= `threshold`. NaN when there is none.
 */
export function recoveryTime(
  records: readonly RequestRecord[],
  outageEnd: number,
  runEnd: number,
  bucket: number,
  threshold = RECOVERED,
): number {
  const buckets = Math.floor((runEnd - outageEnd) / bucket);
  const total = new Array<number>(buckets).fill(0);
  const ok = new Array<number>(buckets).fill(0);
  for (const r of records) {
    const k = Math.floor((r.start - outageEnd) / bucket);
    if (k < 0 || k >= buckets) continue;
    total[k]!++;
    if (r.outcome === 'ok') ok[k]!++;
  }
  for (let k = 0; k < buckets; k++) {
    if (total[k]! > 0 && ok[k]! / total[k]! >= threshold) return k * bucket;
  }
  return Number.NaN;
}

const inside = (t: number, windows: readonly { from: number; to: number }[]): boolean =>
  windows.some((w) => t >= w.from && t < w.to);

/** The summary of one configuration's run. */
export function summarize(lane: LaneResult, incident: Incident): Summary {
  const { records } = lane;
  let ok = 0;
  let fallback = 0;
  const reasons = new Map<string, number>();
  for (const r of records) {
    if (r.outcome === 'ok') ok++;
    else if (r.outcome === 'fallback') fallback++;
    if (r.reason !== undefined) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  }
  const n = records.length;
  const latencies = records.map((r) => r.end - r.start);
  const outages = outageWindows(incident);
  const last = outages[outages.length - 1];
  return {
    name: lane.name,
    requests: n,
    ok,
    fallback,
    errors: n - ok - fallback,
    successRate: n === 0 ? Number.NaN : ok / n,
    answeredRate: n === 0 ? Number.NaN : (ok + fallback) / n,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p999: percentile(latencies, 99.9),
    serviceCalls: lane.serviceArrivals.length,
    outageCalls: lane.serviceArrivals.filter((t) => inside(t, outages)).length,
    recovery:
      last === undefined
        ? Number.NaN
        : recoveryTime(records, last.to, incident.duration, RECOVERY_BUCKET),
    reasons: [...reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    phases: phaseRates(records, incident),
  };
}

/** One configuration's values per bucket; NaN where a bucket has no request. */
export interface Series {
  readonly name: string;
  /** Real answers / requests started in the bucket. */
  readonly success: readonly number[];
  /** (Real + fallback answers) / requests started in the bucket. */
  readonly answered: readonly number[];
  /** p99 latency of requests started in the bucket, ms. */
  readonly p99: readonly number[];
  /** Requests that reached the service in the bucket, per second. */
  readonly load: readonly number[];
}

/** Buckets of `bucket` ms from 0 to the end of the run (the last one may be shorter). */
export function timeSeries(lane: LaneResult, duration: number, bucket: number): Series {
  const count = Math.ceil(duration / bucket);
  const index = (t: number): number => Math.min(count - 1, Math.max(0, Math.floor(t / bucket)));
  const latencies = Array.from({ length: count }, () => [] as number[]);
  const ok = new Array<number>(count).fill(0);
  const fallback = new Array<number>(count).fill(0);
  const load = new Array<number>(count).fill(0);
  for (const r of lane.records) {
    const k = index(r.start);
    latencies[k]!.push(r.end - r.start);
    if (r.outcome === 'ok') ok[k]!++;
    else if (r.outcome === 'fallback') fallback[k]!++;
  }
  for (const t of lane.serviceArrivals) load[index(t)]!++;
  const width = (k: number): number => (Math.min(duration, (k + 1) * bucket) - k * bucket) / 1_000;
  return {
    name: lane.name,
    success: latencies.map((l, k) => (l.length === 0 ? Number.NaN : ok[k]! / l.length)),
    answered: latencies.map((l, k) =>
      l.length === 0 ? Number.NaN : (ok[k]! + fallback[k]!) / l.length,
    ),
    p99: latencies.map((l) => percentile(l, 99)),
    load: load.map((n, k) => n / width(k)),
  };
}

/** One configuration's rates in one phase (requests grouped by the phase they started in). */
export interface PhaseRates {
  readonly phase: string;
  readonly requests: number;
  /** Real answers / requests; NaN for no requests. */
  readonly successRate: number;
  /** (Real + fallback answers) / requests; NaN for no requests. */
  readonly answeredRate: number;
}

/** Success rates per incident phase, in the incident's order. */
export function phaseRates(records: readonly RequestRecord[], incident: Incident): PhaseRates[] {
  return incident.phases.map((phase) => {
    let n = 0;
    let ok = 0;
    let answered = 0;
    for (const r of records) {
      if (r.phase !== phase.name) continue;
      n++;
      if (r.outcome === 'ok') ok++;
      if (r.outcome !== 'error') answered++;
    }
    return {
      phase: phase.name,
      requests: n,
      successRate: n === 0 ? Number.NaN : ok / n,
      answeredRate: n === 0 ? Number.NaN : answered / n,
    };
  });
}

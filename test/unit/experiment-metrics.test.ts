import { describe, expect, it } from 'vitest';
import { type Incident, scriptIncident } from '../../examples/experiment/incident.js';
import {
  bucketSize,
  phaseRates,
  recoveryTime,
  summarize,
  timeSeries,
} from '../../examples/experiment/metrics.js';
import type { LaneResult, RequestRecord } from '../../examples/experiment/runner.js';

type Outcome = RequestRecord['outcome'];
const rec = (start: number, ms: number, outcome: Outcome = 'ok', phase = 'a'): RequestRecord => ({
  start,
  end: start + ms,
  outcome,
  reason: outcome === 'ok' ? undefined : outcome === 'fallback' ? 'circuit open' : 'HTTP 503',
  attempts: 1,
  phase,
});

/** Three phases over 10 s: a [0, 4 s), outage [4 s, 6 s), b [6 s, 10 s). */
const incident: Incident = scriptIncident({
  seed: 'x',
  duration: 10_000,
  jitter: 0,
  phases: [
    { name: 'a', weight: 4 },
    { name: 'outage', weight: 2, failRate: 1, outage: true },
    { name: 'b', weight: 4 },
  ],
});

const lane = (records: RequestRecord[], serviceArrivals: number[] = []): LaneResult => ({
  name: 'x',
  description: '',
  records,
  serviceArrivals,
});

describe('experiment summary', () => {
  it('counts fallback answers apart from real ones in the two success rates', () => {
    const records = [
      rec(0, 10),
      rec(1, 10),
      rec(2, 10, 'fallback'),
      rec(3, 10, 'error'),
      rec(4, 10, 'fallback'),
    ];
    const s = summarize(lane(records), incident);
    expect([s.requests, s.ok, s.fallback, s.errors]).toEqual([5, 2, 2, 1]);
    expect(s.successRate).toBe(0.4);
    expect(s.answeredRate).toBe(0.8);
    expect(s.reasons).toEqual([
      ['circuit open', 2],
      ['HTTP 503', 1],
    ]);
  });

  it('takes nearest-rank p50, p99 and p99.9 over every request’s latency', () => {
    // 1,000 requests with latencies 1..1000 ms, in scrambled order.
    const records = Array.from({ length: 1_000 }, (_, i) => rec(i, ((i * 7) % 1_000) + 1));
    const s = summarize(lane(records), incident);
    expect([s.p50, s.p99, s.p999]).toEqual([500, 990, 999]);
    const few = summarize(lane([rec(0, 5), rec(1, 50, 'error')]), incident);
    expect([few.p50, few.p99, few.p999]).toEqual([5, 50, 50]);
  });

  it('counts service arrivals inside the outage window [from, to) only', () => {
    const arrivals = [3_999, 4_000, 4_500, 5_999.9, 6_000, 9_000];
    const s = summarize(lane([rec(0, 1)], arrivals), incident);
    expect(s.serviceCalls).toBe(6);
    expect(s.outageCalls).toBe(3);
  });

  it('gives NaN rates and latencies for no requests', () => {
    const s = summarize(lane([]), incident);
    expect([s.successRate, s.answeredRate, s.p50, s.recovery].every(Number.isNaN)).toBe(true);
  });
});

describe('recovery time', () => {
  const end = 6_000;
  it('is 0 when the first 1 s bucket after the outage already has >= 95% real answers', () => {
    const records = [
      ...Array.from({ length: 19 }, (_, i) => rec(end + i, 1)),
      rec(end + 50, 1, 'error'),
    ];
    expect(recoveryTime(records, end, 10_000, 1_000)).toBe(0); // 19/20 = 95%
  });

  it('is the start of the first good bucket, skipping empty and bad ones', () => {
    const records = [
      rec(end + 100, 1, 'fallback'), // bucket 0: fallback is not a real answer
      rec(end + 200, 1),
      // bucket 1 empty
      rec(end + 2_100, 1),
      rec(end + 2_200, 1, 'error'), // bucket 2: 50%
      rec(end + 3_500, 1), // bucket 3: 100%
      rec(end - 10, 1), // before the end of the outage: ignored
    ];
    expect(recoveryTime(records, end, 10_000, 1_000)).toBe(3_000);
    expect(recoveryTime(records, end, 10_000, 1_000, 0.5)).toBe(0);
  });

  it('is NaN when no whole bucket before the end of the run recovers', () => {
    const records = [rec(end + 100, 1, 'error'), rec(9_500, 1)];
    expect(recoveryTime(records, end, 10_000, 1_000)).toBe(3_000);
    expect(recoveryTime(records, end, 9_900, 1_000)).toBeNaN(); // bucket [9 s, 10 s) ends after the run
    expect(recoveryTime([], end, 10_000, 1_000)).toBeNaN();
  });

  it('is measured from the end of the outage in the summary', () => {
    const records = [rec(6_500, 1, 'error'), rec(7_200, 1)];
    expect(summarize(lane(records), incident).recovery).toBe(1_000);
  });
});

describe('per-phase rates and time series', () => {
  it('groups requests by the phase they started in', () => {
    const records = [
      rec(0, 1, 'ok', 'a'),
      rec(1, 1, 'error', 'a'),
      rec(5_000, 1, 'fallback', 'outage'),
    ];
    expect(phaseRates(records, incident)).toEqual([
      { phase: 'a', requests: 2, successRate: 0.5, answeredRate: 0.5 },
      { phase: 'outage', requests: 1, successRate: 0, answeredRate: 1 },
      { phase: 'b', requests: 0, successRate: Number.NaN, answeredRate: Number.NaN },
    ]);
  });

  it('buckets success, p99 and load per second; the last bucket may be shorter', () => {
    const records = [rec(100, 10), rec(200, 30, 'error'), rec(2_100, 5)];
    const series = timeSeries(lane(records, [100, 200, 250, 2_100]), 2_500, 1_000);
    expect(series.success).toEqual([0.5, Number.NaN, 1]);
    expect(series.p99).toEqual([30, Number.NaN, 5]);
    expect(series.load).toEqual([3, 0, 2]); // one arrival in a 0.5 s bucket is 2 per second
  });

  it('uses 1 s buckets up to a minute, then a sixtieth of the run', () => {
    expect([bucketSize(30_000), bucketSize(60_000), bucketSize(600_000)]).toEqual([
      1_000, 1_000, 10_000,
    ]);
  });
});

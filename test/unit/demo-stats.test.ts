import { describe, expect, it } from 'vitest';
import {
  change,
  formatTable,
  narrate,
  type RunReport,
  reportTable,
} from '../../examples/report.js';
import {
  type CallRecord,
  formatMs,
  formatPercent,
  percentile,
  summarize,
} from '../../examples/stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted

  it('is the smallest value with at least p% of values at or below it', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0.5)).toBe(1);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([10, 20], 50)).toBe(10);
    expect(percentile([10, 20], 51)).toBe(20);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('is NaN for no values and rejects p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(
      new RangeError('percentile: p must be in (0, 100], got 0'),
    );
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('counts each kind and computes rates and latency from the records', () => {
    const records: CallRecord[] = [
      { kind: 'ok', ms: 10 },
      { kind: 'ok', ms: 30 },
      { kind: 'fallback', ms: 700 },
      { kind: 'failed', ms: 3000 },
      { kind: 'ok', ms: 20 },
    ];
    expect(summarize(records)).toEqual({
      requests: 5,
      succeeded: 3,
      fallback: 1,
      failed: 1,
      realRate: 0.6,
      answeredRate: 0.8,
      p50: 30,
      p99: 3000,
      max: 3000,
    });
  });

  it('gives NaN rates and latencies for an empty run', () => {
    const s = summarize([]);
    expect([s.requests, s.succeeded, s.fallback, s.failed]).toEqual([0, 0, 0, 0]);
    expect([s.realRate, s.answeredRate, s.p50, s.p99, s.max].every(Number.isNaN)).toBe(true);
  });
});

describe('formatting', () => {
  it('formats shares and milliseconds, with - for missing numbers', () => {
    expect(formatPercent(0.96667)).toBe('96.7%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(Number.NaN)).toBe('-');
    expect(formatMs(517.5)).toBe('518');
    expect(formatMs(Number.NaN)).toBe('-');
  });

  it('aligns columns: first left, others right, a rule under the header', () => {
    const table = formatTable([
      ['', 'a', 'bb'],
      ['requests', '300', '7'],
      ['p99', '3002', '614'],
    ]);
    expect(table).toBe(
      [
        '              a    bb',
        '---------------------',
        'requests    300     7',
        'p99        3002   614',
      ].join('\n'),
    );
  });

  it('formats an empty table as an empty string and pads short rows', () => {
    expect(formatTable([])).toBe('');
    expect(formatTable([['x', 'y'], ['long']])).toBe(['x      y', '--------', 'long'].join('\n'));
  });

  it('words a change from the numbers', () => {
    const ms = (n: number): string => `${n} ms`;
    expect(change(3000, 600, ms)).toBe('fell from 3000 ms to 600 ms');
    expect(change(0.5, 0.9, formatPercent)).toBe('rose from 50.0% to 90.0%');
    expect(change(0.5, 0.50001, formatPercent)).toBe('stayed at 50.0%');
  });
});

const base: RunReport = {
  label: 'bare',
  requests: 300,
  succeeded: 200,
  fallback: 0,
  failed: 100,
  realRate: 200 / 300,
  answeredRate: 200 / 300,
  p50: 25,
  p99: 3002,
  max: 3006,
  reached: 300,
  retries: undefined,
  timeouts: 20,
  deadlineMs: 3000,
};
const guarded: RunReport = {
  ...base,
  label: 'guarded',
  succeeded: 291,
  fallback: 9,
  failed: 0,
  realRate: 291 / 300,
  answeredRate: 1,
  p50: 30,
  p99: 614,
  max: 728,
  reached: 443,
  retries: 143,
  timeouts: 37,
  deadlineMs: 250,
};

describe('reportTable and narrate', () => {
  it('puts every metric in a row, one column per run', () => {
    const lines = reportTable([base, guarded]).split('\n');
    expect(lines[0]?.trim().split(/\s+/)).toEqual(['bare', 'guarded']);
    const row = (name: string): string[] | undefined =>
      lines
        .find((l) => l.startsWith(name))
        ?.slice(name.length)
        .trim()
        .split(/\s{2,}/);
    expect(row('succeeded (real answers)')).toEqual(['200', '291']);
    expect(row('answered by fallback')).toEqual(['0', '9']);
    expect(row('success rate, incl. fallback')).toEqual(['66.7%', '100.0%']);
    expect(row('latency p99 (ms)')).toEqual(['3002', '614']);
    expect(row('retries')).toEqual(['-', '143']);
    expect(row('timeouts')).toEqual(['20 (at 3000 ms)', '37 (at 250 ms)']);
  });

  it('reads the table in words computed from the numbers', () => {
    expect(narrate(base, guarded)).toEqual([
      'Real answers rose from 66.7% to 97.0% (bare → guarded); with 9 cached fallback answers, 100.0% of callers got a usable answer.',
      'p99 latency fell from 3002 ms to 614 ms (max 3006 ms → 728 ms): bare waited the full 3000 ms on 20 stalled calls, while guarded cut 37 attempts at 250 ms.',
      'The cost: the service received 443 calls for 300 requests (+47.7% load) because of 143 retries.',
    ]);
  });

  it('words a worse result as worse, and omits clauses with nothing to say', () => {
    const worse: RunReport = {
      ...base,
      label: 'worse',
      succeeded: 150,
      failed: 150,
      realRate: 0.5,
      answeredRate: 0.5,
      p99: 4000,
      max: 4000,
      timeouts: 0,
      retries: 1,
      reached: 301,
    };
    expect(narrate({ ...base, timeouts: 0 }, worse)).toEqual([
      'Real answers fell from 66.7% to 50.0% (bare → worse); 150 calls still failed.',
      'p99 latency rose from 3002 ms to 4000 ms (max 3006 ms → 4000 ms).',
      'The cost: the service received 301 calls for 300 requests (+0.3% load) because of 1 retry.',
    ]);
    expect(narrate(base, { ...worse, retries: 0 })[2]).toBe(
      'worse made no retries; the service received 301 calls for 300 requests.',
    );
  });
});

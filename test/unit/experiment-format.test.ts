import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent, formatTable } from '../../examples/experiment/format.js';
import { percentile } from '../../examples/experiment/percentile.js';

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

describe('percentile rounding', () => {
  it('p99.9 of 1,000 values is the 999th, not the 1,000th', () => {
    const thousand = Array.from({ length: 1_000 }, (_, i) => i + 1);
    expect(percentile(thousand, 99.9)).toBe(999);
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
});

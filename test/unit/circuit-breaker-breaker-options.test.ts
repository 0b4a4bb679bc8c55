/**
 * Options of consecutive, countWindow and timeWindow: every bad value fails when the spec is
 * made, with the exact message.
 */
import { describe, expect, it } from 'vitest';
import { consecutive, countWindow, timeWindow } from '../../src/index.js';

const MAX = 2_147_483_647;
const call = (fn: (arg: never) => unknown, arg: unknown) => () => fn(arg as never);

describe('breaker options', () => {
  it.each([
    [0, RangeError, '0'],
    [1.5, RangeError, '1.5'],
    [Number.POSITIVE_INFINITY, RangeError, 'Infinity'],
    ['3', TypeError, '"3"'],
    [undefined, TypeError, 'undefined'],
  ] as const)('consecutive(%s) → %o', (threshold, kind, shown) => {
    expect(call(consecutive, threshold)).toThrow(
      new kind(`consecutive: \`threshold\` must be an integer >= 1, got ${shown}`),
    );
    expect(call(consecutive, threshold)).toThrow(kind);
  });

  it.each([
    [null, new TypeError('countWindow: options must be an object, got null')],
    [
      { duration: 1 },
      new TypeError(
        'countWindow: unknown option `duration`; allowed: `size`, `failureRatio`, `minThroughput`',
      ),
    ],
    [
      { size: 0 },
      new RangeError('countWindow: `size` must be an integer >= 1 and <= 1073741824, got 0'),
    ],
    [
      { size: 2 ** 30 + 1 },
      new RangeError(
        'countWindow: `size` must be an integer >= 1 and <= 1073741824, got 1073741825',
      ),
    ],
    [
      { size: '9' },
      new TypeError('countWindow: `size` must be an integer >= 1 and <= 1073741824, got "9"'),
    ],
    [
      { failureRatio: 0 },
      new RangeError('countWindow: `failureRatio` must be a finite number > 0 and <= 1, got 0'),
    ],
    [
      { failureRatio: 1.01 },
      new RangeError('countWindow: `failureRatio` must be a finite number > 0 and <= 1, got 1.01'),
    ],
    [
      { size: 10, minThroughput: 11 },
      new RangeError('countWindow: `minThroughput` must be an integer >= 1 and <= 10, got 11'),
    ],
    [
      { minThroughput: 0 },
      new RangeError('countWindow: `minThroughput` must be an integer >= 1 and <= 100, got 0'),
    ],
  ])('countWindow(%j) → %s', (options, error) => {
    expect(call(countWindow, options)).toThrow(error);
    expect(call(countWindow, options)).toThrow(error.constructor as typeof Error);
  });

  it.each([
    ['x', new TypeError('timeWindow: options must be an object, got "x"')],
    [
      { size: 1 },
      new TypeError(
        'timeWindow: unknown option `size`; allowed: `duration`, `buckets`, `failureRatio`, `minThroughput`',
      ),
    ],
    [
      { duration: 0 },
      new RangeError(`timeWindow: \`duration\` must be a finite number > 0 and <= ${MAX}, got 0`),
    ],
    [
      { duration: MAX + 1 },
      new RangeError(
        `timeWindow: \`duration\` must be a finite number > 0 and <= ${MAX}, got 2147483648`,
      ),
    ],
    [
      { buckets: 0 },
      new RangeError('timeWindow: `buckets` must be an integer >= 1 and <= 1000, got 0'),
    ],
    [
      { buckets: 1_001 },
      new RangeError('timeWindow: `buckets` must be an integer >= 1 and <= 1000, got 1001'),
    ],
    [
      { buckets: 2.5 },
      new RangeError('timeWindow: `buckets` must be an integer >= 1 and <= 1000, got 2.5'),
    ],
    [
      { failureRatio: -0.5 },
      new RangeError('timeWindow: `failureRatio` must be a finite number > 0 and <= 1, got -0.5'),
    ],
    [
      { minThroughput: 0 },
      new RangeError('timeWindow: `minThroughput` must be an integer >= 1, got 0'),
    ],
    [
      { minThroughput: null },
      new TypeError('timeWindow: `minThroughput` must be an integer >= 1, got null'),
    ],
  ])('timeWindow(%j) → %s', (options, error) => {
    expect(call(timeWindow, options)).toThrow(error);
    expect(call(timeWindow, options)).toThrow(error.constructor as typeof Error);
  });

  it('descriptions name the breaker (as messages show them)', () => {
    expect(consecutive(3).description).toBe('consecutive(3)');
    expect(countWindow().description).toBe('countWindow(size 100)');
    expect(timeWindow().description).toBe('timeWindow(duration 30000, buckets 10)');
    expect([consecutive(1).kind, countWindow().kind, timeWindow().kind]).toEqual([
      'consecutive',
      'count',
      'time',
    ]);
  });
});

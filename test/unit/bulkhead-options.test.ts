import { afterEach, describe, expect, it } from 'vitest';
import {
  BulkheadRejectedError,
  bulkhead,
  captureRejectionStacks,
  isBulkheadRejectedError,
  isTimeoutError,
  TimeoutError,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { thrownBy } from '../helpers/common.js';

const build = (options: unknown) => () => bulkhead(options as never);

describe('bulkhead: options', () => {
  const bad: [string, unknown, 'TypeError' | 'RangeError', string][] = [
    [
      'no options',
      undefined,
      'TypeError',
      'bulkhead: `limit` is required: an integer >= 1, the number of calls that may run at once',
    ],
    [
      'no limit',
      { queue: 5 },
      'TypeError',
      'bulkhead: `limit` is required: an integer >= 1, the number of calls that may run at once',
    ],
    ['limit 0', { limit: 0 }, 'RangeError', 'bulkhead: `limit` must be an integer >= 1, got 0'],
    ['limit -1', { limit: -1 }, 'RangeError', 'bulkhead: `limit` must be an integer >= 1, got -1'],
    [
      'limit 1.5',
      { limit: 1.5 },
      'RangeError',
      'bulkhead: `limit` must be an integer >= 1, got 1.5',
    ],
    [
      'limit NaN',
      { limit: Number.NaN },
      'RangeError',
      'bulkhead: `limit` must be an integer >= 1, got NaN',
    ],
    [
      'limit Infinity',
      { limit: Number.POSITIVE_INFINITY },
      'RangeError',
      'bulkhead: `limit` must be an integer >= 1, got Infinity',
    ],
    [
      'limit "3"',
      { limit: '3' },
      'TypeError',
      'bulkhead: `limit` must be an integer >= 1, got "3"',
    ],
    [
      'limit null',
      { limit: null },
      'TypeError',
      'bulkhead: `limit` must be an integer >= 1, got null',
    ],
    [
      'queue -1',
      { limit: 1, queue: -1 },
      'RangeError',
      'bulkhead: `queue` must be an integer >= 0 or Infinity, got -1',
    ],
    [
      'queue NaN',
      { limit: 1, queue: Number.NaN },
      'RangeError',
      'bulkhead: `queue` must be an integer >= 0 or Infinity, got NaN',
    ],
    [
      'queue 2.5',
      { limit: 1, queue: 2.5 },
      'RangeError',
      'bulkhead: `queue` must be an integer >= 0 or Infinity, got 2.5',
    ],
    [
      'queue null',
      { limit: 1, queue: null },
      'TypeError',
      'bulkhead: `queue` must be an integer >= 0 or Infinity, got null',
    ],
    [
      'queueTimeout 0',
      { limit: 1, queue: 1, queueTimeout: 0 },
      'RangeError',
      'bulkhead: `queueTimeout` must be a finite number > 0 and <= 2147483647, got 0',
    ],
    [
      'queueTimeout Infinity',
      { limit: 1, queue: 1, queueTimeout: Number.POSITIVE_INFINITY },
      'RangeError',
      'bulkhead: `queueTimeout` must be a finite number > 0 and <= 2147483647, got Infinity',
    ],
    [
      'queueTimeout 2^31',
      { limit: 1, queue: 1, queueTimeout: 2 ** 31 },
      'RangeError',
      'bulkhead: `queueTimeout` must be a finite number > 0 and <= 2147483647, got 2147483648',
    ],
    [
      'queueTimeout "1s"',
      { limit: 1, queue: 1, queueTimeout: '1s' },
      'TypeError',
      'bulkhead: `queueTimeout` must be a finite number > 0 and <= 2147483647, got "1s"',
    ],
    [
      'a bad clock',
      { limit: 1, clock: { now: () => 0 } },
      'TypeError',
      'bulkhead: `clock` must be a Clock (an object with now() and setTimer()), got an object',
    ],
    [
      'an unknown option',
      { limit: 1, size: 3 },
      'TypeError',
      'bulkhead: unknown option `size`; allowed: `limit`, `queue`, `queueTimeout`, `clock`',
    ],
    ['a number', 5, 'TypeError', 'bulkhead: options must be an object, got 5'],
  ];

  it.each(bad)('%s fails at build time', (_name, options, kind, message) => {
    const error = thrownBy(build(options));
    expect(error.name).toBe(kind);
    expect(error.message).toBe(message);
  });

  it('accepts the extremes, and a frozen options object (it never writes to it)', () => {
    const options = Object.freeze({
      limit: 1,
      queue: Number.POSITIVE_INFINITY,
      queueTimeout: 2_147_483_647,
      clock: new VirtualClock(),
    });
    const policy = bulkhead(options);
    expect([policy.available, policy.queueAvailable]).toEqual([1, Number.POSITIVE_INFINITY]);
    expect(bulkhead({ limit: 1, queueTimeout: 0.5 }).queueAvailable).toBe(0); // queue defaults to 0
  });
});

describe('BulkheadRejectedError', () => {
  afterEach(() => captureRejectionStacks(false));

  it('carries the reason and figures, and says them in its message', () => {
    const full = new BulkheadRejectedError('full', 10, 0);
    expect(full.message).toBe('Bulkhead is full: 10 executing, 0 queued');
    const late = new BulkheadRejectedError('queue-timeout', 4, 7, 250);
    expect(late.message).toBe('Bulkhead queue timeout after 250 ms: 4 executing, 7 queued');
    expect([late.name, late.code, late.reason, late.executing, late.queued]).toEqual([
      'BulkheadRejectedError',
      'ERR_BULKHEAD_FULL',
      'queue-timeout',
      4,
      7,
    ]);
    expect(late).toBeInstanceOf(Error);
  });

  it('is made without a stack unless stacks are switched on', () => {
    expect(new BulkheadRejectedError('full', 1, 0).stack).toBe(
      'BulkheadRejectedError: Bulkhead is full: 1 executing, 0 queued',
    );
    captureRejectionStacks(true);
    expect(new BulkheadRejectedError('full', 1, 0).stack).toMatch(/\n {4}at /);
  });

  it('is recognised by its brand, not by other errors', () => {
    const foreign = Object.assign(new Error('copy'), {
      [Symbol.for('breakwater.error-code')]: 'ERR_BULKHEAD_FULL',
    });
    expect(isBulkheadRejectedError(foreign)).toBe(true);
    expect(isBulkheadRejectedError(new TimeoutError(5))).toBe(false);
    expect(isTimeoutError(new BulkheadRejectedError('full', 1, 0))).toBe(false);
    expect(isBulkheadRejectedError('ERR_BULKHEAD_FULL')).toBe(false);
    expect(isBulkheadRejectedError(null)).toBe(false);
  });
});

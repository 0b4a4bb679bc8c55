import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/system-clock.js';
import { checkClock, checkNumber, checkOptions, given, MAX_DELAY } from '../core/validate.js';

/**
 * Options of {@link bulkhead}; `limit` is required.
 *
 * @example
 * ```ts
 * const options: BulkheadOptions = { limit: 10, queue: 50, queueTimeout: 2_000 };
 * const db = bulkhead(options);
 * ```
 */
export interface BulkheadOptions {
  /**
   * How many calls may run at once: an integer >= 1. Required (as in cockatiel and Polly):
   * the right figure depends on what the calls use, see docs/bulkhead.md for sizing.
   */
  readonly limit: number;
  /**
   * How many calls may wait for a slot once `limit` calls run: an integer >= 0, or `Infinity`
   * for an unbounded queue. A call arriving when the queue is full is rejected at once.
   * @default 0 (no queue: a call that finds every slot taken is rejected at once)
   */
  readonly queue?: number;
  /**
   * Longest time in ms a call may wait in the queue before it is rejected with a
   * `BulkheadRejectedError` (`reason: 'queue-timeout'`): a finite number > 0 and
   * <= 2147483647. Counted from the moment the call was queued; a call that starts running
   * in time is not bounded by it. Has no effect when `queue` is 0.
   * @default none: a queued call waits until a slot frees or its caller aborts
   */
  readonly queueTimeout?: number;
  /** Source of time for queue timeouts and event durations. @default systemClock */
  readonly clock?: Clock;
}

/** Validated settings of a bulkhead. */
export interface BulkheadSettings {
  readonly limit: number;
  readonly queue: number;
  readonly queueTimeout: number | undefined;
  readonly clock: Clock;
}

const KNOWN = ['limit', 'queue', 'queueTimeout', 'clock'];

/** Checks bulkhead options, throwing a TypeError/RangeError that names the bad one. */
export function bulkheadSettings(options: BulkheadOptions): BulkheadSettings {
  const o = checkOptions('bulkhead', options, KNOWN);
  if (o.limit === undefined) {
    throw new TypeError(
      'bulkhead: `limit` is required: an integer >= 1, the number of calls that may run at once',
    );
  }
  return {
    limit: checkNumber('bulkhead', 'limit', o.limit, { integer: true, min: 1 }),
    queue: checkNumber('bulkhead', 'queue', given(o.queue, 0), {
      integer: true,
      min: 0,
      infinity: true,
    }),
    queueTimeout:
      o.queueTimeout === undefined
        ? undefined
        : checkNumber('bulkhead', 'queueTimeout', o.queueTimeout, { above: 0, max: MAX_DELAY }),
    clock: checkClock('bulkhead', o.clock, systemClock),
  };
}

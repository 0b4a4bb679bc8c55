import { checkNumber, checkOptions } from '../../core/validate.js';
import type { Trigger } from '../trigger.js';

/*
 * Triggers that look only at the call number (`ctx.call`: 1 for the first call the injector
 * sees while enabled). They draw no random numbers and read no time.
 */

/**
 * Fires on every `n`-th call: calls `n`, `2n`, `3n`...
 *
 * @param n - an integer >= 1 (`every(1)` fires on every call).
 * @throws TypeError/RangeError when `n` is not an integer >= 1.
 * @example
 * ```ts
 * injectFault({ when: every(3) }); // calls 3, 6, 9... fail
 * ```
 */
export function every(n: number): Trigger {
  const period = checkNumber('every', 'n', n, { integer: true, min: 1 });
  return ({ call }) => call % period === 0;
}

/**
 * Fires on the first `n` calls, then never again.
 *
 * @param n - an integer >= 0 (`firstN(0)` never fires).
 * @throws TypeError/RangeError when `n` is not an integer >= 0.
 * @example
 * ```ts
 * injectFault({ when: firstN(2) }); // the first two calls fail, then all succeed
 * ```
 */
export function firstN(n: number): Trigger {
  const count = checkNumber('firstN', 'n', n, { integer: true, min: 0 });
  return ({ call }) => call <= count;
}

/**
 * Fires on every call after the first `n`: calls `n + 1`, `n + 2`...
 *
 * @param n - an integer >= 0 (`afterN(0)` fires on every call).
 * @throws TypeError/RangeError when `n` is not an integer >= 0.
 * @example
 * ```ts
 * injectFault({ when: afterN(5) }); // works 5 times, then breaks for good
 * ```
 */
export function afterN(n: number): Trigger {
  const count = checkNumber('afterN', 'n', n, { integer: true, min: 0 });
  return ({ call }) => call > count;
}

/**
 * Options of {@link burst}; both are required.
 *
 * @example
 * ```ts
 * const options: BurstOptions = { every: 20, length: 4 };
 * injectFault({ when: burst(options) }); // calls 1-4, 21-24, 41-44... fail
 * ```
 */
export interface BurstOptions {
  /** The window, in calls: an integer >= 1. Required. */
  readonly every: number;
  /** How many calls at the start of each window fire: an integer from 1 to `every`. Required. */
  readonly length: number;
}

/**
 * Fires in bursts, counted in calls (not time): in each window of `every` calls, the first
 * `length` calls fire. Windows start at call 1, so `burst({ every: 10, length: 3 })` fires on
 * calls 1-3, 11-13, 21-23... For bursts in time, see {@link flapping}.
 *
 * @throws TypeError/RangeError for a bad or missing option, or `length` > `every`.
 * @example
 * ```ts
 * injectFault({ when: burst({ every: 100, length: 5 }) }); // 5 failures in a row per 100 calls
 * ```
 */
export function burst(options: BurstOptions): Trigger {
  const o = checkOptions('burst', options, ['every', 'length']);
  const window = checkNumber('burst', 'every', o.every, { integer: true, min: 1 });
  const length = checkNumber('burst', 'length', o.length, { integer: true, min: 1, max: window });
  return ({ call }) => (call - 1) % window < length;
}

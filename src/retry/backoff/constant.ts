import type { Backoff } from '../../core/backoff.js';
import { checkNumber, MAX_DELAY } from '../../core/validate.js';

/**
 * The same delay before every retry. `constant(0)` retries at once, without a timer.
 *
 * @param ms - delay in milliseconds, 0 to 2^31-1.
 * @throws RangeError/TypeError when `ms` is not a number in range.
 * @example
 * ```ts
 * retry({ maxAttempts: 5, backoff: constant(250) });
 * ```
 */
export function constant(ms: number): Backoff {
  checkNumber('constant', 'ms', ms, { min: 0, max: MAX_DELAY });
  return () => ms;
}

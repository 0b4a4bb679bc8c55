import type { Backoff } from '../../core/backoff.js';
import { checkNumber, describe, MAX_DELAY } from '../../core/validate.js';

/**
 * An explicit schedule: `list[0]` before the first retry, `list[1]` before the second, and
 * so on; retrying stops when the list runs out (so at most `list.length` retries).
 *
 * @throws TypeError/RangeError when `list` is not an array of delays in [0, 2^31-1].
 * @example
 * ```ts
 * retry({ maxAttempts: Infinity, backoff: delays([100, 500, 2_000]) }); // 4 calls at most
 * ```
 */
export function delays(list: readonly number[]): Backoff {
  if (!Array.isArray(list)) {
    throw new TypeError(`delays: \`list\` must be an array of delays in ms, got ${describe(list)}`);
  }
  const copy = list.map((ms, i) =>
    checkNumber('delays', `list[${i}]`, ms, { min: 0, max: MAX_DELAY }),
  );
  return ({ attempt }) => copy[attempt - 1];
}

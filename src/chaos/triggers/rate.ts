import { checkNumber } from '../../core/validate.js';
import type { Trigger } from '../trigger.js';

/**
 * Fires on a random share `p` of calls, drawing from the injector's own random stream (seed it
 * with the injector's `seed` to make the decisions replayable).
 *
 * Draws exactly one number per evaluation, also when `p` is 0 (never fires) or 1 (always
 * fires): changing `p` does not shift the numbers later decisions see.
 *
 * @param p - the probability of firing, from 0 to 1.
 * @throws TypeError/RangeError when `p` is not a finite number from 0 to 1.
 * @example
 * ```ts
 * const flaky = injectFault({ when: rate(0.1), seed: 42 }); // about 1 call in 10 fails
 * ```
 */
export function rate(p: number): Trigger {
  const share = checkNumber('rate', 'p', p, { min: 0, max: 1 });
  // random() is in [0, 1): `< 1` always holds and `< 0` never does, with one draw either way.
  return ({ random }) => random() < share;
}

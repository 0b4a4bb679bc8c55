import type { Backoff } from '../../core/backoff.js';
import { checkNumber, checkOptions, given, MAX_DELAY } from '../../core/validate.js';

/**
 * Options of {@link linear}.
 *
 * @example
 * ```ts
 * const options: LinearOptions = { initial: 100, step: 250, max: 2_000 };
 * retry({ maxAttempts: 6, backoff: linear(options) }); // 100, 350, 600, 850, 1100
 * ```
 */
export interface LinearOptions {
  /** Delay before the first retry, ms. @default 100 */
  readonly initial?: number;
  /** Added per further retry, ms. @default the value of `initial` */
  readonly step?: number;
  /** Upper bound, ms, >= `initial`. @default 30_000, or `initial` when larger */
  readonly max?: number;
}

/**
 * Delays growing by a fixed step: `initial`, `initial + step`, `initial + 2·step`... up to `max`.
 *
 * @throws TypeError/RangeError for a bad option, naming it.
 * @example
 * ```ts
 * retry({ backoff: linear({ initial: 200, step: 100, max: 1_000 }) }); // 200, 300, 400...
 * ```
 */
export function linear(options?: LinearOptions): Backoff {
  const o = checkOptions('linear', options, ['initial', 'step', 'max']);
  const initial = checkNumber('linear', 'initial', given(o.initial, 100), {
    min: 0,
    max: MAX_DELAY,
  });
  const step = checkNumber('linear', 'step', given(o.step, initial), { min: 0, max: MAX_DELAY });
  const max = checkNumber('linear', 'max', given(o.max, Math.max(30_000, initial)), {
    min: initial,
    max: MAX_DELAY,
  });
  return ({ attempt }) => Math.min(max, initial + step * (attempt - 1));
}

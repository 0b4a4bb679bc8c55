import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/system-clock.js';
import {
  checkClock,
  checkNumber,
  checkOneOf,
  checkOptions,
  given,
  MAX_DELAY,
} from '../core/validate.js';

/**
 * What a timeout does at the deadline:
 * - `'cooperative'`: at the deadline `ctx.signal` aborts; the call rejects with the
 *   TimeoutError once the task settles (the task is expected to honour the signal).
 * - `'aggressive'`: the call rejects at the deadline whether or not the task has settled;
 *   the task's late result is ignored.
 *
 * @example
 * ```ts
 * // legacySdk.call takes no signal, so do not wait for it to notice the deadline.
 * const mode: TimeoutMode = 'aggressive';
 * await timeout({ after: 500, mode }).execute(() => legacySdk.call());
 * ```
 */
export type TimeoutMode = 'cooperative' | 'aggressive';

/**
 * Options of {@link timeout}; `after` is required.
 *
 * @example
 * ```ts
 * const options: TimeoutOptions = { after: 2_000, mode: 'cooperative' };
 * const res = await timeout(options).execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export interface TimeoutOptions {
  /** The deadline in ms from the start of the call, > 0 and at most 2^31-1. Required. */
  readonly after: number;
  /** See {@link TimeoutMode}. @default 'cooperative' */
  readonly mode?: TimeoutMode;
  /** Source of time. @default systemClock */
  readonly clock?: Clock;
}

export interface TimeoutSettings {
  readonly after: number;
  readonly mode: TimeoutMode;
  readonly clock: Clock;
}

/** Checks timeout options, throwing a TypeError/RangeError that names the bad one. */
export function timeoutSettings(options: TimeoutOptions): TimeoutSettings {
  const o = checkOptions('timeout', options, ['after', 'mode', 'clock']);
  return {
    after: checkNumber('timeout', 'after', o.after, { above: 0, max: MAX_DELAY }),
    mode: checkOneOf('timeout', 'mode', given(o.mode, 'cooperative'), [
      'cooperative',
      'aggressive',
    ]),
    clock: checkClock('timeout', o.clock, systemClock),
  };
}

import { checkNumber, checkOptions, given } from '../../core/validate.js';
import type { Trigger } from '../trigger.js';

/*
 * Triggers that look only at the time (`ctx.now`, the injector's `clock.now()` read once per
 * call). They draw no random numbers and set no timer: time is read when a call arrives.
 */

/**
 * Options of {@link during}; both are required.
 *
 * @example
 * ```ts
 * const outage: DuringOptions = { from: 30_000, to: 90_000 };
 * injectFault({ when: during(outage), clock }); // a one-minute outage after 30 s
 * ```
 */
export interface DuringOptions {
  /** Start of the window (inclusive), as read from the clock's `now()`. Required. */
  readonly from: number;
  /** End of the window (exclusive): a number > `from`, or `Infinity`. Required. */
  readonly to: number;
}

/**
 * Fires on calls that arrive while `from <= clock.now() < to`. Times are on the injector's
 * clock: a `VirtualClock` starts at 0; the default clock is `performance.now()`, so in
 * production code compute them from `systemClock.now()`.
 *
 * @throws TypeError/RangeError for a bad or missing option, or `to` <= `from`.
 * @example
 * ```ts
 * injectFault({ when: during({ from: 1_000, to: 5_000 }), clock }); // an outage from 1 s to 5 s
 * ```
 */
export function during(options: DuringOptions): Trigger {
  const o = checkOptions('during', options, ['from', 'to']);
  const from = checkNumber('during', 'from', o.from, {});
  const to = checkNumber('during', 'to', o.to, { above: from, infinity: true });
  return ({ now }) => now >= from && now < to;
}

/**
 * Options of {@link flapping}; `up` and `down` are required.
 *
 * @example
 * ```ts
 * const options: FlappingOptions = { up: 5_000, down: 1_000, start: 60_000 };
 * injectFault({ when: flapping(options), clock }); // from 60 s: 5 s up, 1 s down, repeating
 * ```
 */
export interface FlappingOptions {
  /** How long each healthy period lasts, ms: a finite number > 0. Required. */
  readonly up: number;
  /** How long each broken period lasts, ms: a finite number > 0. Required. */
  readonly down: number;
  /**
   * When the first healthy period starts, as read from the clock's `now()`. Calls before it
   * see a healthy service.
   * @default 0
   */
  readonly start?: number;
}

/**
 * A dependency that keeps failing and recovering: from `start`, healthy for `up` ms, then
 * broken for `down` ms, and so on. Fires on calls that arrive during a broken period (a
 * period's start belongs to it: at `start + up` the service is broken). Time-based; for
 * bursts counted in calls see {@link burst}.
 *
 * @throws TypeError/RangeError for a bad or missing option.
 * @example
 * ```ts
 * // Up for 10 s, down for 2 s, repeating.
 * injectFault({ when: flapping({ up: 10_000, down: 2_000 }), clock });
 * ```
 */
export function flapping(options: FlappingOptions): Trigger {
  const o = checkOptions('flapping', options, ['up', 'down', 'start']);
  const up = checkNumber('flapping', 'up', o.up, { above: 0 });
  const down = checkNumber('flapping', 'down', o.down, { above: 0 });
  const start = checkNumber('flapping', 'start', given(o.start, 0), {});
  const period = up + down;
  return ({ now }) => now >= start && (now - start) % period >= up;
}

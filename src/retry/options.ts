import type { Backoff } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';
import { type ErrorFilter, toErrorPredicate } from '../core/filter.js';
import type { Outcome } from '../core/outcome.js';
import { systemClock } from '../core/system-clock.js';
import { checkClock, checkFunction, checkNumber, checkOptions, given } from '../core/validate.js';
import { exponential } from './backoff/exponential.js';

/**
 * Options of {@link retry}. Every option is optional; bad values throw when the policy is built.
 *
 * @example
 * ```ts
 * const options: RetryOptions = {
 *   maxAttempts: 5,
 *   backoff: exponential({ initial: 200, max: 5_000 }),
 *   when: [TimeoutError],
 *   whenResult: (res) => res instanceof Response && res.status === 503,
 * };
 * const policy = retry(options);
 * ```
 */
export interface RetryOptions {
  /**
   * Total calls including the first; `Infinity` retries until success, abort or the backoff
   * returns `undefined`.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Delay before each retry; `undefined` from it stops retrying.
   * @default exponential({ initial: 100, factor: 2, max: 30_000, jitter: 'full' })
   */
  readonly backoff?: Backoff;
  /**
   * Which errors are retried: a predicate, an Error class or a list of classes.
   * @default every error
   */
  readonly when?: ErrorFilter;
  /**
   * Retry on a returned value when this returns true (e.g. an HTTP 503 response). When
   * attempts run out the last value is returned, not thrown.
   * @default no value is retried
   */
  readonly whenResult?: (value: unknown) => boolean;
  /**
   * Per-outcome delay override, e.g. from a `Retry-After` header: return ms to wait instead
   * of the backoff's delay, or `undefined` to use the backoff.
   * @default none
   */
  readonly retryAfter?: (outcome: Outcome, attempt: number) => number | undefined;
  /** Source of time for sleeps. @default systemClock */
  readonly clock?: Clock;
  /** Source of numbers in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

/** Validated settings of a retry policy. */
export interface RetrySettings {
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly when: (error: unknown) => boolean;
  readonly whenResult: ((value: unknown) => boolean) | undefined;
  readonly retryAfter: ((outcome: Outcome, attempt: number) => number | undefined) | undefined;
  readonly clock: Clock;
  readonly random: () => number;
}

const KNOWN = ['maxAttempts', 'backoff', 'when', 'whenResult', 'retryAfter', 'clock', 'random'];
const defaultBackoff = exponential({ initial: 100, factor: 2, max: 30_000, jitter: 'full' });

/** Checks retry options, throwing a TypeError/RangeError that names the bad one. */
export function retrySettings(options: RetryOptions | undefined): RetrySettings {
  const o = checkOptions('retry', options, KNOWN);
  const optional = <F extends (...args: never[]) => unknown>(name: string): F | undefined =>
    o[name] === undefined ? undefined : checkFunction<F>('retry', name, o[name]);
  return {
    maxAttempts: checkNumber('retry', 'maxAttempts', given(o.maxAttempts, 3), {
      integer: true,
      min: 1,
      infinity: true,
    }),
    backoff: optional<Backoff>('backoff') ?? defaultBackoff,
    when: toErrorPredicate('retry', 'when', o.when),
    whenResult: optional('whenResult'),
    retryAfter: optional('retryAfter'),
    clock: checkClock('retry', o.clock, systemClock),
    random: optional<() => number>('random') ?? Math.random,
  };
}

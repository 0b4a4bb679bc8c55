import type { Outcome } from '../core/outcome.js';

/**
 * `onRetry`: an attempt failed and another will start after `delay` ms.
 *
 * @example
 * ```ts
 * retry().onRetry(({ attempt, delay, outcome }: RetryEvent) =>
 *   log.warn(`attempt ${attempt} failed (${String(outcome.error)}), next in ${delay} ms`),
 * );
 * ```
 */
export interface RetryEvent {
  /** The attempt that failed (1 = the first call). */
  readonly attempt: number;
  /** Milliseconds until the next attempt (0 = at once, without a timer). */
  readonly delay: number;
  /** What the failed attempt produced: `{ error }` or, with `whenResult`, `{ value }`. */
  readonly outcome: Outcome;
}

/**
 * `onGiveUp`: the last allowed attempt failed (or the backoff said stop).
 *
 * @example
 * ```ts
 * retry({ maxAttempts: 3 }).onGiveUp(({ attempts }: GiveUpEvent) =>
 *   metrics.increment('retry.exhausted', { attempts }),
 * );
 * ```
 */
export interface GiveUpEvent {
  /** How many attempts were made in all. */
  readonly attempts: number;
  /** What the last attempt produced; the call settles with exactly this. */
  readonly outcome: Outcome;
}

/**
 * `onSuccess`: an attempt produced a result that is not retried.
 *
 * @example
 * ```ts
 * retry().onSuccess(({ attempt, duration }: RetrySuccessEvent) =>
 *   metrics.timing('call.ms', duration, { retried: attempt > 1 }),
 * );
 * ```
 */
export interface RetrySuccessEvent {
  /** The attempt that succeeded (1 = the first call). */
  readonly attempt: number;
  /** Milliseconds the attempt took, on the policy's clock. */
  readonly duration: number;
  /** What the attempt produced: `{ value }`, or `{ error }` for an error `when` does not retry. */
  readonly outcome: Outcome;
}

/**
 * `onFailure`: an attempt threw, or returned a value that `whenResult` retries.
 *
 * @example
 * ```ts
 * retry().onFailure(({ attempt, handled, outcome }: RetryFailureEvent) => {
 *   if (!handled) log.error(`attempt ${attempt}: not retried`, outcome.error);
 * });
 * ```
 */
export interface RetryFailureEvent {
  /** The attempt that failed (1 = the first call). */
  readonly attempt: number;
  /** Milliseconds the attempt took, on the policy's clock. */
  readonly duration: number;
  /** What the attempt produced: `{ error }`, or `{ value }` when `whenResult` rejected it. */
  readonly outcome: Outcome;
  /** True when `when`/`whenResult` accept this outcome, i.e. it is retried if attempts and the backoff allow. */
  readonly handled: boolean;
}

import type { Outcome } from '../core/outcome.js';

/** `onRetry`: an attempt failed and another will start after `delay` ms. */
export interface RetryEvent {
  /** The attempt that failed (1 = the first call). */
  readonly attempt: number;
  /** Milliseconds until the next attempt (0 = at once, without a timer). */
  readonly delay: number;
  /** What the failed attempt produced: `{ error }` or, with `whenResult`, `{ value }`. */
  readonly outcome: Outcome;
}

/** `onGiveUp`: the last allowed attempt failed (or the backoff said stop). */
export interface GiveUpEvent {
  /** How many attempts were made in all. */
  readonly attempts: number;
  /** What the last attempt produced; the call settles with exactly this. */
  readonly outcome: Outcome;
}

/** `onSuccess`: an attempt produced a result that is not retried. */
export interface RetrySuccessEvent {
  readonly attempt: number;
  /** Milliseconds the attempt took, on the policy's clock. */
  readonly duration: number;
  readonly outcome: Outcome;
}

/** `onFailure`: an attempt threw, or returned a value that `whenResult` retries. */
export interface RetryFailureEvent {
  readonly attempt: number;
  readonly duration: number;
  readonly outcome: Outcome;
  /** True when `when`/`whenResult` accept this outcome, i.e. it is retried if attempts and the backoff allow. */
  readonly handled: boolean;
}

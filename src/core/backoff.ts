// Backoffs are shared by retry (delay between attempts) and the circuit breaker (how long it stays open).
/**
 * What a backoff is given to compute the delay before the next attempt.
 *
 * @example
 * ```ts
 * const capped: Backoff = ({ attempt, previous }: BackoffInput) =>
 *   attempt > 5 ? undefined : Math.min(2 * (previous ?? 50), 1_000);
 * retry({ maxAttempts: Infinity, backoff: capped });
 * ```
 */
export interface BackoffInput {
  /** The attempt that just failed: 1 after the first call, 2 after the first retry... */
  readonly attempt: number;
  /** The delay used before the failed attempt (`undefined` after the first call). */
  readonly previous: number | undefined;
  /** A source of numbers in [0, 1), the policy's injected `random`. */
  readonly random: () => number;
}

/**
 * Retry timing as a pure function: the delay in ms before the next attempt, or `undefined`
 * to stop retrying. Pure, so a backoff can be stepped in a test without timers.
 *
 * @example
 * ```ts
 * const backoff = exponential({ initial: 100, jitter: 'none' });
 * backoff({ attempt: 3, previous: 200, random: Math.random }); // 400
 * ```
 */
export type Backoff = (input: BackoffInput) => number | undefined;

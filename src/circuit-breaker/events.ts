import type { Outcome } from '../core/outcome.js';
import type { BreakReason } from './breakers/breaker.js';
import type { BrokenCircuitError } from './broken-circuit-error.js';
import type { IsolatedCircuitError } from './isolated-circuit-error.js';

/**
 * What `breaker.state` reports. `'isolated'`: held open by `isolate()` or `mode: 'forced-open'`.
 *
 * @example
 * ```ts
 * const healthy = (state: CircuitState): boolean => state === 'closed';
 * res.status(healthy(breaker.state) ? 200 : 503).end(); // a health check
 * ```
 */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';

/**
 * `onBreak`: the breaker opened.
 *
 * @example
 * ```ts
 * breaker.onBreak(({ reason, retryAfter }: BreakEvent) =>
 *   log.warn(`breaker open (${reason}), probing again in ${retryAfter} ms`),
 * );
 * ```
 */
export interface BreakEvent {
  /** What tipped it: a failure run, a ratio, or a failed probe. */
  readonly reason: BreakReason;
  /** The call that tipped it: `{ error }`, or `{ value }` (a `whenResult` failure or a slow success). */
  readonly outcome: Outcome;
  /** Ms it will stay open before half-opening. */
  readonly retryAfter: number;
}

/**
 * `onReject`: the breaker refused a call without running it.
 *
 * @example
 * ```ts
 * breaker.onReject(({ reason }: RejectEvent) => metrics.increment('breaker.rejected', { reason }));
 * ```
 */
export interface RejectEvent {
  /** `'open'`, `'half-open'` (every probe slot taken) or `'isolated'`. */
  readonly reason: 'open' | 'half-open' | 'isolated';
  /** The error the call rejects with. */
  readonly error: BrokenCircuitError | IsolatedCircuitError;
}

/**
 * `onStateChange`: `breaker.state` changed.
 *
 * @example
 * ```ts
 * breaker.onStateChange(({ from, to }: StateChangeEvent) => log.info(`breaker ${from} -> ${to}`));
 * ```
 */
export interface StateChangeEvent {
  /** The state before the change. */
  readonly from: CircuitState;
  /** The state now. */
  readonly to: CircuitState;
}

/**
 * `onSuccess`: a call the breaker ran succeeded (it counts as a success).
 *
 * @example
 * ```ts
 * breaker.onSuccess(({ duration }: CircuitSuccessEvent) => metrics.timing('payments.ms', duration));
 * ```
 */
export interface CircuitSuccessEvent {
  /** Ms the call took, on the breaker's clock. */
  readonly duration: number;
  /** The value the call returned, as `{ value }`. */
  readonly outcome: Outcome;
}

/**
 * `onFailure`: a call the breaker ran threw, or returned a value `whenResult` rejects.
 *
 * @example
 * ```ts
 * breaker.onFailure(({ handled, outcome }: CircuitFailureEvent) => {
 *   if (handled) log.warn('payments call failed', outcome.error);
 * });
 * ```
 */
export interface CircuitFailureEvent {
  /** Ms the call took, on the breaker's clock. */
  readonly duration: number;
  /** What the call produced: `{ error }`, or `{ value }` when `whenResult` rejected it. */
  readonly outcome: Outcome;
  /**
   * True when it counts as a failure. False for errors `when` does not accept (they count as
   * successes) and for calls cancelled by the caller's own signal (not counted at all).
   */
  readonly handled: boolean;
}

/**
 * `breaker.metrics()`: the window's figures now, computed in O(1).
 *
 * @example
 * ```ts
 * const { state, calls, failureRatio }: CircuitMetrics = breaker.metrics();
 * metrics.gauge('payments.failure_ratio', failureRatio, { state, calls });
 * ```
 */
export interface CircuitMetrics {
  /** The breaker's state now, as {@link CircuitBreakerPolicy.state}. */
  readonly state: CircuitState;
  /** Calls counted in the window (for `consecutive`: the current run of failures). */
  readonly calls: number;
  /** Failed calls in the window. */
  readonly failures: number;
  /** Slow calls in the window (always 0 without `slowCall`). */
  readonly slowCalls: number;
  /** `failures / calls`, 0 when no call is counted. */
  readonly failureRatio: number;
  /** `slowCalls / calls`, 0 when no call is counted. */
  readonly slowCallRatio: number;
  /** Ms until an open breaker half-opens; 0 in any other state. */
  readonly retryAfter: number;
}

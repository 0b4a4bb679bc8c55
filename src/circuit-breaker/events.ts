import type { Outcome } from '../core/outcome.js';
import type { BreakReason } from './breakers/breaker.js';
import type { BrokenCircuitError } from './broken-circuit-error.js';
import type { IsolatedCircuitError } from './isolated-circuit-error.js';

/** What `breaker.state` reports. `'isolated'`: held open by `isolate()` or `mode: 'forced-open'`. */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';

/** `onBreak`: the breaker opened. */
export interface BreakEvent {
  /** What tipped it: a failure run, a ratio, or a failed probe. */
  readonly reason: BreakReason;
  /** The call that tipped it: `{ error }`, or `{ value }` (a `whenResult` failure or a slow success). */
  readonly outcome: Outcome;
  /** Ms it will stay open before half-opening. */
  readonly retryAfter: number;
}

/** `onReject`: the breaker refused a call without running it. */
export interface RejectEvent {
  /** `'open'`, `'half-open'` (every probe slot taken) or `'isolated'`. */
  readonly reason: 'open' | 'half-open' | 'isolated';
  /** The error the call rejects with. */
  readonly error: BrokenCircuitError | IsolatedCircuitError;
}

/** `onStateChange`: `breaker.state` changed. */
export interface StateChangeEvent {
  readonly from: CircuitState;
  readonly to: CircuitState;
}

/** `onSuccess`: a call the breaker ran succeeded (it counts as a success). */
export interface CircuitSuccessEvent {
  /** Ms the call took, on the breaker's clock. */
  readonly duration: number;
  readonly outcome: Outcome;
}

/** `onFailure`: a call the breaker ran threw, or returned a value `whenResult` rejects. */
export interface CircuitFailureEvent {
  readonly duration: number;
  readonly outcome: Outcome;
  /**
   * True when it counts as a failure. False for errors `when` does not accept (they count as
   * successes) and for calls cancelled by the caller's own signal (not counted at all).
   */
  readonly handled: boolean;
}

/** `breaker.metrics()`: the window's figures now, computed in O(1). */
export interface CircuitMetrics {
  readonly state: CircuitState;
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
  /** `failures / calls`, 0 when no call is counted. */
  readonly failureRatio: number;
  /** `slowCalls / calls`, 0 when no call is counted. */
  readonly slowCallRatio: number;
  /** Ms until an open breaker half-opens; 0 in any other state. */
  readonly retryAfter: number;
}

import type { Outcome } from '../core/outcome.js';
import type { BulkheadRejectReason } from './bulkhead-rejected-error.js';

/**
 * `onReject`: the bulkhead rejected a call with a `BulkheadRejectedError`.
 *
 * @example
 * ```ts
 * bulkhead({ limit: 10 }).onReject(({ reason, executing, queued }: BulkheadRejectEvent) =>
 *   log.warn(`bulkhead rejected (${reason}): ${executing} running, ${queued} queued`),
 * );
 * ```
 */
export interface BulkheadRejectEvent {
  /** `'full'` on arrival, or `'queue-timeout'` after waiting `queueTimeout` ms. */
  readonly reason: BulkheadRejectReason;
  /** Calls running when it was rejected. */
  readonly executing: number;
  /** Calls waiting when it was rejected (the rejected call not counted). */
  readonly queued: number;
}

/**
 * `onSuccess`: a call the bulkhead ran returned a value.
 *
 * @example
 * ```ts
 * bulkhead({ limit: 10 }).onSuccess(({ duration }: BulkheadSuccessEvent) =>
 *   metrics.timing('db.query.ms', duration),
 * );
 * ```
 */
export interface BulkheadSuccessEvent {
  /**
   * Milliseconds it ran (from taking its slot, queue wait excluded), on the policy's clock; 0
   * when no `onSuccess`/`onFailure` listener was subscribed as it started.
   */
  readonly duration: number;
  /** The value the call returned, as `{ value }`. */
  readonly outcome: Outcome;
}

/**
 * `onFailure`: a call the bulkhead ran threw or rejected (inner timeouts and aborts included).
 *
 * @example
 * ```ts
 * bulkhead({ limit: 10 }).onFailure(({ duration, outcome }: BulkheadFailureEvent) =>
 *   log.warn(`query failed after ${duration} ms`, outcome.error),
 * );
 * ```
 */
export interface BulkheadFailureEvent {
  /** As in {@link BulkheadSuccessEvent.duration}. */
  readonly duration: number;
  /** The error the call threw or rejected with, as `{ error }`. */
  readonly outcome: Outcome;
}

import type { Outcome } from '../core/outcome.js';
import type { BulkheadRejectReason } from './bulkhead-rejected-error.js';

/** `onReject`: the bulkhead rejected a call with a `BulkheadRejectedError`. */
export interface BulkheadRejectEvent {
  /** `'full'` on arrival, or `'queue-timeout'` after waiting `queueTimeout` ms. */
  readonly reason: BulkheadRejectReason;
  /** Calls running when it was rejected. */
  readonly executing: number;
  /** Calls waiting when it was rejected (the rejected call not counted). */
  readonly queued: number;
}

/** `onSuccess`: a call the bulkhead ran returned a value. */
export interface BulkheadSuccessEvent {
  /**
   * Milliseconds it ran (from taking its slot, queue wait excluded), on the policy's clock; 0
   * when no `onSuccess`/`onFailure` listener was subscribed as it started.
   */
  readonly duration: number;
  readonly outcome: Outcome;
}

/** `onFailure`: a call the bulkhead ran threw or rejected (inner timeouts and aborts included). */
export interface BulkheadFailureEvent {
  /** As in {@link BulkheadSuccessEvent.duration}. */
  readonly duration: number;
  readonly outcome: Outcome;
}

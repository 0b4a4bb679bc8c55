import { BreakwaterError, brand, hasBrand } from '../core/errors/breakwater-error.js';
import { restoreStack, suppressStack } from '../core/errors/stack.js';

/**
 * Why a bulkhead rejected a call: `'full'` (every slot and queue place was taken when it
 * arrived) or `'queue-timeout'` (it waited `queueTimeout` ms in the queue without starting).
 *
 * @example
 * ```ts
 * const retryable = (reason: BulkheadRejectReason): boolean => reason === 'queue-timeout';
 * retry({ when: (error) => isBulkheadRejectedError(error) && retryable(error.reason) });
 * ```
 */
export type BulkheadRejectReason = 'full' | 'queue-timeout';

/**
 * A bulkhead rejected a call without running it. Made without a stack by default (it is a
 * fast rejection of an overloaded service); `captureRejectionStacks(true)` switches stacks on.
 *
 * @example
 * ```ts
 * try {
 *   await policy.execute(task);
 * } catch (error) {
 *   if (isBulkheadRejectedError(error)) res.status(503).set('Retry-After', '1').end();
 *   else throw error;
 * }
 * ```
 */
export class BulkheadRejectedError extends BreakwaterError {
  /** Always `'BulkheadRejectedError'`. */
  override readonly name = 'BulkheadRejectedError';
  /** Always `'ERR_BULKHEAD_FULL'`, for either reason. */
  readonly code = 'ERR_BULKHEAD_FULL';

  /**
   * @param reason - why the call was rejected.
   * @param executing - calls running in the bulkhead when it was rejected.
   * @param queued - calls waiting in its queue then (the rejected call not counted).
   * @param queueTimeout - the queue timeout in ms, for the message of a `'queue-timeout'`.
   */
  constructor(
    readonly reason: BulkheadRejectReason,
    readonly executing: number,
    readonly queued: number,
    queueTimeout?: number,
  ) {
    const limit = suppressStack();
    super(
      reason === 'full'
        ? `Bulkhead is full: ${executing} executing, ${queued} queued`
        : `Bulkhead queue timeout after ${queueTimeout} ms: ${executing} executing, ${queued} queued`,
    );
    restoreStack(limit);
    brand(this, 'ERR_BULKHEAD_FULL');
  }
}

/**
 * True when `value` is a breakwater BulkheadRejectedError (from any copy of the package).
 *
 * @example
 * ```ts
 * retry({ when: isBulkheadRejectedError, backoff: constant(50) });
 * ```
 */
export function isBulkheadRejectedError(value: unknown): value is BulkheadRejectedError {
  return hasBrand(value, 'ERR_BULKHEAD_FULL');
}

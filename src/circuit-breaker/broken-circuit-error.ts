import { BreakwaterError, brand, hasBrand } from '../core/errors/breakwater-error.js';
import { restoreStack, suppressStack } from '../core/errors/stack.js';

/**
 * A circuit breaker rejected the call without running it: it is open, or half-open with every
 * probe slot taken. Made without a stack unless `captureRejectionStacks(true)` was called.
 *
 * @example
 * ```ts
 * try {
 *   await breaker.execute(() => payments.charge(order));
 * } catch (error) {
 *   if (!isBrokenCircuitError(error)) throw error;
 *   res.set('Retry-After', String(Math.ceil(error.retryAfter / 1_000))).status(503).end();
 * }
 * ```
 */
export class BrokenCircuitError extends BreakwaterError {
  /** Always `'BrokenCircuitError'`. */
  override readonly name = 'BrokenCircuitError';
  /** Always `'ERR_CIRCUIT_OPEN'`. */
  readonly code = 'ERR_CIRCUIT_OPEN';

  /**
   * @param retryAfter - ms until the breaker turns half-open (0 when it already is).
   * @param state - `'open'`, or `'half-open'` when the probes are all taken.
   */
  constructor(
    readonly retryAfter: number,
    readonly state: 'open' | 'half-open' = 'open',
  ) {
    const limit = suppressStack();
    super(
      state === 'open'
        ? `Circuit is open; it half-opens in ${Math.ceil(retryAfter)} ms`
        : 'Circuit is half-open and every probe slot is taken',
    );
    restoreStack(limit);
    brand(this, 'ERR_CIRCUIT_OPEN');
  }
}

/**
 * True when `value` is a BrokenCircuitError from any copy of breakwater.
 *
 * @example
 * ```ts
 * retry({ when: (error) => !isBrokenCircuitError(error) });
 * ```
 */
export function isBrokenCircuitError(value: unknown): value is BrokenCircuitError {
  return hasBrand(value, 'ERR_CIRCUIT_OPEN');
}

import { BreakwaterError, brand, hasBrand } from '../core/errors/breakwater-error.js';
import { restoreStack, suppressStack } from '../core/errors/stack.js';

/**
 * A circuit breaker held open by hand (`isolate()` or `mode: 'forced-open'`) rejected the
 * call. It stays that way until released; no timer ends it. Made without a stack unless
 * `captureRejectionStacks(true)` was called.
 *
 * @example
 * ```ts
 * const handle = breaker.isolate(); // maintenance window
 * await expect(breaker.execute(task)).rejects.toBeInstanceOf(IsolatedCircuitError);
 * handle.dispose();
 * ```
 */
export class IsolatedCircuitError extends BreakwaterError {
  /** Always `'IsolatedCircuitError'`. */
  override readonly name = 'IsolatedCircuitError';
  /** Always `'ERR_CIRCUIT_ISOLATED'`. */
  readonly code = 'ERR_CIRCUIT_ISOLATED';

  /** Made by the breaker; takes no arguments. */
  constructor() {
    const limit = suppressStack();
    super('Circuit is held open by hand (isolated or forced open)');
    restoreStack(limit);
    brand(this, 'ERR_CIRCUIT_ISOLATED');
  }
}

/**
 * True when `value` is an IsolatedCircuitError from any copy of breakwater.
 *
 * @example
 * ```ts
 * if (isIsolatedCircuitError(error)) res.status(503).send('maintenance');
 * ```
 */
export function isIsolatedCircuitError(value: unknown): value is IsolatedCircuitError {
  return hasBrand(value, 'ERR_CIRCUIT_ISOLATED');
}

import { BreakwaterError, brand, hasBrand } from '../core/errors/breakwater-error.js';
import { restoreStack, suppressStack } from '../core/errors/stack.js';

/**
 * A circuit breaker held open by hand (`isolate()` or `mode: 'forced-open'`) rejected the
 * call. It stays that way until released; no timer ends it. Made without a stack unless
 * `captureRejectionStacks(true)` was called.
 */
export class IsolatedCircuitError extends BreakwaterError {
  override readonly name = 'IsolatedCircuitError';
  readonly code = 'ERR_CIRCUIT_ISOLATED';

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

import { BreakwaterError, brand, hasBrand } from '../core/errors/breakwater-error.js';

/**
 * A timeout policy's deadline passed. It is both the reason `ctx.signal` is aborted with and
 * the error the call rejects with.
 *
 * @example
 * ```ts
 * try {
 *   await timeout({ after: 1_000 }).execute(({ signal }) => fetch(url, { signal }));
 * } catch (error) {
 *   if (error instanceof TimeoutError) log.warn(`gave up after ${error.after} ms`);
 *   else throw error;
 * }
 * ```
 */
export class TimeoutError extends BreakwaterError {
  /** Always `'TimeoutError'`. */
  override readonly name = 'TimeoutError';
  /** Always `'ERR_TIMEOUT'`. */
  readonly code = 'ERR_TIMEOUT';

  /** @param after - the timeout in ms that passed. */
  constructor(readonly after: number) {
    super(`Operation timed out after ${after} ms`);
    brand(this, 'ERR_TIMEOUT');
  }
}

/**
 * True when `value` is a breakwater TimeoutError (from any copy of the package).
 *
 * @example
 * ```ts
 * retry({ when: isTimeoutError });
 * ```
 */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return hasBrand(value, 'ERR_TIMEOUT');
}

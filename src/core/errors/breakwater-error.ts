/**
 * Brand key, registered globally so that two copies of breakwater (a bundled one and a
 * package one) recognise each other's errors, which `instanceof` cannot do.
 */
const BRAND: unique symbol = Symbol.for('breakwater.error-code') as never;

/**
 * Base class of every rejection breakwater makes itself. Each subclass has a stable `name`,
 * a stable `code` (`ERR_...`) and an `isX()` guard that checks the brand, not the prototype.
 * Not meant to be subclassed outside breakwater: its guards rely on the brand it sets.
 *
 * @example
 * ```ts
 * process.on('unhandledRejection', (error) => {
 *   if (error instanceof BreakwaterError) log.error(`${error.code}: ${error.message}`);
 * });
 * ```
 */
export abstract class BreakwaterError extends Error {
  /** Stable machine-readable code, e.g. `'ERR_TIMEOUT'`. */
  abstract readonly code: string;
  /** @internal The brand that `isX()` guards check (non-enumerable). */
  declare readonly [BRAND]: string;

  /**
   * @param message - the error message.
   * @param options - `cause`, as for `Error`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Marks `error` as a breakwater error with `code` (non-enumerable, so logs stay tidy). */
export function brand(error: BreakwaterError, code: string): void {
  Object.defineProperty(error, BRAND, { value: code, enumerable: false });
}

/** True when `value` is an error made by any copy of breakwater, optionally with `code`. */
export function hasBrand(value: unknown, code?: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const found = (value as { [BRAND]?: unknown })[BRAND];
  return typeof found === 'string' && (code === undefined || found === code);
}

/**
 * True when `value` was made by breakwater (any version or copy).
 *
 * @example
 * ```ts
 * if (isBreakwaterError(error)) metrics.count(error.code);
 * ```
 */
export function isBreakwaterError(value: unknown): value is BreakwaterError {
  return hasBrand(value);
}

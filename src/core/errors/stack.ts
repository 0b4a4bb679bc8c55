/**
 * Stacks for fast rejections. An open breaker or a full bulkhead rejects in well under a
 * microsecond, but `new Error()` with a stack costs about 3 µs (15× a bare call) in V8, so
 * those errors are made without one unless stacks are switched on for debugging.
 */

interface StackTraceLimit {
  stackTraceLimit?: number;
}

let captureStacks = false;

/**
 * Switches stack capture on or off for breakwater's fast rejections (`BrokenCircuitError`,
 * `IsolatedCircuitError`, `BulkheadRejectedError`). Off by default: they are made in the hot
 * path of an overloaded service, where a stack would cost more than the call it saves. Turn
 * it on while debugging to see where the rejected call was made.
 *
 * @param enabled - true to capture stacks, false (the default) to skip them.
 * @throws TypeError when `enabled` is not a boolean.
 * @example
 * ```ts
 * import { captureRejectionStacks } from 'breakwater';
 * if (process.env.DEBUG) captureRejectionStacks(true);
 * ```
 */
export function captureRejectionStacks(enabled: boolean): void {
  if (typeof enabled !== 'boolean') {
    throw new TypeError(
      `captureRejectionStacks: \`enabled\` must be a boolean, got ${typeof enabled}`,
    );
  }
  captureStacks = enabled;
}

/**
 * Call before `super(message)` in a fast rejection's constructor; pass the result to
 * {@link restoreStack} right after. Sets V8's `Error.stackTraceLimit` to 0 for the duration
 * (engines without it are left alone). @internal
 */
export function suppressStack(): number | undefined {
  const E = Error as StackTraceLimit;
  const limit = E.stackTraceLimit;
  if (captureStacks || typeof limit !== 'number') return undefined;
  E.stackTraceLimit = 0;
  return limit;
}

/** Undoes {@link suppressStack}. @internal */
export function restoreStack(limit: number | undefined): void {
  if (limit !== undefined) (Error as StackTraceLimit).stackTraceLimit = limit;
}

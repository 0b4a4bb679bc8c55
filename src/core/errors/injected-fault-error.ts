import { BreakwaterError, brand, hasBrand } from './breakwater-error.js';

/**
 * The error a fault injector (or failpoint) throws when it is not given its own. It keeps its
 * stack: injected faults are for tests, where knowing where the fault surfaced matters more
 * than the microseconds.
 *
 * @example
 * ```ts
 * const db = injectFault({ name: 'db', when: firstN(1) });
 * await expect(db.execute(() => 'row')).rejects.toMatchObject({
 *   name: 'InjectedFaultError',
 *   injector: 'db',
 * });
 * ```
 */
export class InjectedFaultError extends BreakwaterError {
  /** Always `'InjectedFaultError'`. */
  override readonly name = 'InjectedFaultError';
  /** Always `'ERR_INJECTED_FAULT'`. */
  readonly code = 'ERR_INJECTED_FAULT';

  /**
   * @param injector - the name of the injector or failpoint that threw.
   * @param message - what to say; defaults to `Fault injected by <injector>`.
   */
  constructor(
    readonly injector: string,
    message: string = `Fault injected by ${injector}`,
  ) {
    super(message);
    brand(this, 'ERR_INJECTED_FAULT');
  }
}

/**
 * True when `value` is an InjectedFaultError from any copy of breakwater.
 *
 * @example
 * ```ts
 * retry({ when: (error) => !isInjectedFaultError(error) });
 * ```
 */
export function isInjectedFaultError(value: unknown): value is InjectedFaultError {
  return hasBrand(value, 'ERR_INJECTED_FAULT');
}

import type { CallContext } from '../core/context.js';
import { InjectedFaultError } from '../core/errors/injected-fault-error.js';
import type { Chain, Task } from '../core/policy.js';
import { describe } from '../core/validate.js';
import {
  type InjectEvent,
  type InjectionContext,
  InjectorPolicy,
  injectionContext,
} from './injector.js';
import {
  type InjectorOptions,
  type InjectorSettings,
  injectorLabel,
  injectorSettings,
} from './injector-options.js';

/**
 * Options of {@link injectFault}.
 *
 * @example
 * ```ts
 * const options: InjectFaultOptions = {
 *   name: 'payments',
 *   when: rate(0.1),
 *   seed: 42,
 *   error: ({ call }) => new Error(`payments down (call ${call})`),
 * };
 * const faults = injectFault(options);
 * ```
 */
export interface InjectFaultOptions extends InjectorOptions {
  /**
   * What to throw: an Error (the same object each time), or `(ctx) => Error` called for each
   * injected call.
   * @default a fresh `InjectedFaultError` per call, with `injector` set to the injector's name
   */
  readonly error?: Error | ((ctx: InjectionContext) => Error);
}

/**
 * `onInject` of {@link injectFault}: also carries the error about to be thrown.
 *
 * @example
 * ```ts
 * injectFault({ when: every(10) }).onInject(({ call, error }: FaultInjectEvent) =>
 *   log.debug(`call ${call}: throwing ${error.message}`),
 * );
 * ```
 */
export interface FaultInjectEvent extends InjectEvent {
  /** The error the call is about to reject with. */
  readonly error: Error;
}

/**
 * A policy that throws instead of calling the task. Build it with {@link injectFault}.
 *
 * @example
 * ```ts
 * const faults: FaultInjector = injectFault({ when: rate(0.5), seed: 1 });
 * const policy = pipeline(retry({ maxAttempts: 5, backoff: constant(0) }), faults);
 * await policy.execute(() => 'ok');
 * log.info(`${faults.stats.injected} of ${faults.stats.calls} calls failed`);
 * ```
 */
export class FaultInjector extends InjectorPolicy<FaultInjectEvent> {
  /** @internal Use {@link injectFault}. */
  constructor(
    settings: InjectorSettings,
    private readonly error: ((ctx: InjectionContext) => Error) | Error | undefined,
  ) {
    super(settings);
  }

  protected inject<T>(
    _task: Task<T>,
    ctx: CallContext,
    _next: Chain | undefined,
    call: number,
    now: number,
  ): Promise<T> {
    const error = this.makeError(ctx, call);
    this.announce(ctx, call, now, { error });
    return Promise.reject(error);
  }

  private makeError(ctx: CallContext, call: number): Error {
    const error = this.error;
    if (error === undefined) return new InjectedFaultError(this.name);
    if (typeof error !== 'function') return error;
    const made: unknown = error(injectionContext(ctx, call));
    if (!(made instanceof Error)) {
      throw new TypeError(
        `${injectorLabel(this.settings)}: \`error\` returned ${describe(made)}; it must return an Error`,
      );
    }
    return made;
  }
}

/**
 * Throws instead of calling the task, on the calls its trigger picks (every call by default).
 * The default error is an `InjectedFaultError` (`code: 'ERR_INJECTED_FAULT'`) naming the
 * injector, made fresh for each call so its stack shows where the call was made.
 *
 * @throws TypeError/RangeError at build time for a bad option, naming it.
 * @example
 * ```ts
 * const flaky = injectFault({ name: 'db', when: rate(0.2), seed: 7 });
 * const policy = pipeline(retry({ maxAttempts: 3 }), flaky);
 * ```
 */
export function injectFault(options?: InjectFaultOptions): FaultInjector {
  const { settings, options: o } = injectorSettings('injectFault', 'fault', options, ['error']);
  const error = o.error;
  if (error !== undefined && typeof error !== 'function' && !(error instanceof Error)) {
    throw new TypeError(
      `injectFault: \`error\` must be an Error or a function returning one, got ${describe(error)}`,
    );
  }
  return new FaultInjector(settings, error as FaultInjector['error']);
}

import { AttemptContext, type CallContext, type ExecuteContext } from '../core/context.js';
import { Emitter, type Event } from '../core/events.js';
import { type Chain, callNext, PolicyBase, type Task } from '../core/policy.js';
import { checkEnabled, type InjectorSettings } from './injector-options.js';

/**
 * What an injector's own functions (`error`, `delay`, `value`, `run`) receive: the call's
 * `signal` and `attempt`, plus the injector's call number.
 *
 * @example
 * ```ts
 * injectFault({
 *   error: ({ call, attempt }: InjectionContext) => new Error(`call ${call}, attempt ${attempt}`),
 * });
 * ```
 */
export interface InjectionContext extends ExecuteContext {
  /** The injector's call number, as its trigger saw it (`ctx.call`): 1 for the first call. */
  readonly call: number;
}

/**
 * How often an injector was asked and how often it injected (a frozen snapshot).
 *
 * @example
 * ```ts
 * const { calls, injected }: InjectorStats = faults.stats;
 * expect(injected / calls).toBeCloseTo(0.1, 1);
 * ```
 */
export interface InjectorStats {
  /** Calls seen while enabled. */
  readonly calls: number;
  /** Calls whose trigger fired. */
  readonly injected: number;
}

/**
 * `onInject`: the injector's trigger fired and it is about to inject into this call.
 *
 * @example
 * ```ts
 * injectHang({ when: firstN(1) }).onInject(({ injector, call, now }: InjectEvent) =>
 *   log.debug(`${injector} hangs call ${call} at ${now} ms`),
 * );
 * ```
 */
export interface InjectEvent {
  /** The injector's `name`. */
  readonly injector: string;
  /** The injector's call number (see {@link InjectionContext.call}). */
  readonly call: number;
  /** The injector's `clock.now()` when the call arrived. */
  readonly now: number;
  /** The attempt number the call carried (from an enclosing retry, else 1). */
  readonly attempt: number;
}

/**
 * The emitting side of an `Emitter`. Method syntax keeps it covariant in `T`, so a
 * `FaultInjector` is also an `InjectorPolicy<InjectEvent>` and mixed injectors fit in one list.
 */
interface EventSink<T> {
  readonly has: boolean;
  emit(event: T): void;
}

/**
 * Base of every injector. The one decision they share lives here: when a call arrives, an
 * enabled injector counts it, asks its trigger (`when`) and, if that fires, injects; otherwise
 * the call passes through. A disabled injector costs one branch: no count, no clock reading,
 * no random number. Made by the `inject*` factories; not meant to be extended outside
 * breakwater.
 *
 * @example
 * ```ts
 * const injectors: InjectorPolicy[] = [injectFault({ when: rate(0.1) }), injectLatency({ delay: 100 })];
 * for (const injector of injectors) injector.enabled = process.env.CHAOS === '1';
 * ```
 */
export abstract class InjectorPolicy<
  E extends InjectEvent = InjectEvent,
  Alt = never,
> extends PolicyBase<Alt> {
  /** The injector's name (its `name` option, or its kind). */
  readonly name: string;
  /** @internal */
  protected readonly injectEmitter: EventSink<E>;
  /** The trigger fired for a call; emitted before the injector acts on it. */
  readonly onInject: Event<E>;
  private on: boolean;
  private calls = 0;
  private injected = 0;

  /** @internal */
  constructor(protected readonly settings: InjectorSettings) {
    super();
    const emitter = new Emitter<E>();
    this.injectEmitter = emitter;
    this.onInject = emitter.event;
    this.name = settings.name;
    this.on = settings.enabled;
  }

  /**
   * Whether the injector acts. Set it to `false` to let every call through untouched (and
   * uncounted), `true` to resume; the call count and random stream carry on where they were.
   *
   * @throws TypeError when set to anything but a boolean.
   */
  get enabled(): boolean {
    return this.on;
  }
  /** Turns the injector on or off. @throws TypeError when `value` is not a boolean. */
  set enabled(value: boolean) {
    this.on = checkEnabled(this.settings.label, value);
  }

  /** Calls seen while enabled and calls injected, as a frozen snapshot. */
  get stats(): InjectorStats {
    return Object.freeze({ calls: this.calls, injected: this.injected });
  }

  /**
   * Sets both counts back to 0. The call number triggers see restarts with them (`firstN(2)`
   * fires again on the next two calls); the random stream is not rewound.
   */
  resetStats(): void {
    this.calls = 0;
    this.injected = 0;
  }

  invoke<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T | Alt> {
    if (!this.on) return callNext(task, ctx, next);
    const call = ++this.calls;
    const s = this.settings;
    const now = s.clock.now();
    try {
      if (s.when !== undefined && !s.when({ call, now, random: s.random, attempt: ctx.attempt })) {
        return callNext(task, ctx, next);
      }
      this.injected++;
      return this.inject(task, ctx, next, call, now);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Tells `onInject` listeners that this call is injected into; the payload is built only when
   * someone listens. `extra` carries the kind's own fields (`error`, `delay`).
   *
   * @internal
   */
  protected announce(
    ctx: CallContext,
    call: number,
    now: number,
    extra?: Omit<E, keyof InjectEvent>,
  ): void {
    if (!this.injectEmitter.has) return;
    this.injectEmitter.emit({
      injector: this.name,
      call,
      now,
      attempt: ctx.attempt,
      ...extra,
    } as E);
  }

  /**
   * Acts on a call whose trigger fired. May throw synchronously: the call rejects with it.
   *
   * @internal
   */
  protected abstract inject<T>(
    task: Task<T>,
    ctx: CallContext,
    next: Chain | undefined,
    call: number,
    now: number,
  ): Promise<T | Alt>;
}

class InjectionCall extends AttemptContext implements InjectionContext {
  constructor(
    ctx: CallContext,
    readonly call: number,
  ) {
    super(ctx, ctx.attempt);
  }
}

/** The context an injector's own function receives. @internal */
export function injectionContext(ctx: CallContext, call: number): InjectionContext {
  return new InjectionCall(ctx, call);
}

import type { CallContext } from '../core/context.js';
import { Emitter, type Event } from '../core/events.js';
import type { Fusable, FusedCall } from '../core/fused.js';
import { asPromise, type Chain, PolicyBase, runNext, type Task } from '../core/policy.js';
import { type TimeoutOptions, type TimeoutSettings, timeoutSettings } from './options.js';
import { TimeoutContext } from './timeout-context.js';
import { TimeoutError } from './timeout-error.js';

/**
 * `onTimeout`: a call's deadline passed.
 *
 * @example
 * ```ts
 * timeout({ after: 2_000 }).onTimeout(({ after, attempt }: TimeoutEvent) =>
 *   log.warn(`attempt ${attempt} timed out after ${after} ms`),
 * );
 * ```
 */
export interface TimeoutEvent {
  /** The timeout, ms. */
  readonly after: number;
  /** The attempt number the timed-out call carried (from an outer retry, else 1). */
  readonly attempt: number;
}

/**
 * A policy that bounds how long a call may take. Build it with {@link timeout}.
 *
 * @example
 * ```ts
 * const policy: TimeoutPolicy = timeout({ after: 2_000 });
 * policy.onTimeout(() => metrics.increment('search.timeout'));
 * const res = await policy.execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export class TimeoutPolicy extends PolicyBase implements Fusable {
  private readonly timeoutEmitter = new Emitter<TimeoutEvent>();
  /** A call's deadline passed. */
  readonly onTimeout: Event<TimeoutEvent> = this.timeoutEmitter.event;
  /** Shared timer callback: `this` is bound once, the call's context is the timer's argument. */
  private readonly expire = (ctx: TimeoutContext): void => {
    ctx.expire(new TimeoutError(this.settings.after));
    if (this.timeoutEmitter.has) {
      this.timeoutEmitter.emit({ after: this.settings.after, attempt: ctx.attempt });
    }
  };

  /** @internal Use {@link timeout}. */
  constructor(private readonly settings: TimeoutSettings) {
    super();
  }

  invoke<T>(task: Task<T>, parent: CallContext, next: Chain | undefined): Promise<T> {
    return this.settings.mode === 'cooperative'
      ? this.cooperative(task, parent, next)
      : this.aggressive(task, parent, next);
  }

  private cooperative<T>(task: Task<T>, parent: CallContext, next: Chain | undefined): Promise<T> {
    if (parent.aborted) return Promise.reject(parent.reason);
    const ctx = new TimeoutContext(parent);
    return this.run(ctx, task, next).then(
      (value) => settledValue(ctx, value),
      (error: unknown) => settledError(ctx, error),
    );
  }

  /** @internal Fused lane (core/fused.ts): cooperative mode only (aggressive races the task). */
  fuseReady(): boolean {
    return this.settings.mode === 'cooperative';
  }

  /** @internal */
  fuseEnter(parent: CallContext): CallContext {
    const ctx = new TimeoutContext(parent);
    this.arm(ctx);
    return ctx;
  }

  /** @internal The context this layer made is the one inside it, the next layer's. */
  fuseOk(call: FusedCall, layer: number, value: unknown): unknown {
    return settledValue(call.inner(layer) as TimeoutContext, value);
  }

  /** @internal */
  fuseFail(call: FusedCall, layer: number, error: unknown): unknown {
    return settledError(call.inner(layer) as TimeoutContext, error);
  }

  private aggressive<T>(task: Task<T>, parent: CallContext, next: Chain | undefined): Promise<T> {
    if (parent.aborted) return Promise.reject(parent.reason);
    return new Promise<T>((resolve, reject) => {
      const ctx = new TimeoutContext(parent);
      ctx.reject = reject;
      // Once aborted (deadline or parent), the call has rejected already: later outcomes
      // are observed and dropped.
      this.run(ctx, task, next).then(
        (value) => {
          if (!ctx.aborted) {
            ctx.dispose();
            resolve(value);
          }
        },
        (error: unknown) => {
          if (!ctx.aborted) {
            ctx.dispose();
            reject(error);
          }
        },
      );
    });
  }

  /** Sets the deadline's timer and follows the parent's abort. */
  private arm(ctx: TimeoutContext): void {
    ctx.timer = this.settings.clock.setTimer(this.expire, this.settings.after, ctx);
    ctx.link();
  }

  /** Runs the rest of the chain under an armed context. */
  private run<T>(ctx: TimeoutContext, task: Task<T>, next: Chain | undefined): Promise<T> {
    this.arm(ctx);
    try {
      return asPromise(runNext(task, ctx, next));
    } catch (error) {
      ctx.dispose(); // a synchronous throw leaves no timer behind, even for a tick
      return Promise.reject(ctx.error ?? error);
    }
  }
}

/** A cooperative call's task succeeded: its value, unless the deadline passed first. */
function settledValue<T>(ctx: TimeoutContext, value: T): T {
  ctx.dispose();
  if (ctx.error !== undefined) throw ctx.error;
  return value;
}

/** A cooperative call's task failed: the `TimeoutError` if the deadline passed, else its error. */
function settledError(ctx: TimeoutContext, error: unknown): never {
  ctx.dispose();
  throw ctx.error ?? error;
}

/**
 * Bounds a call to `after` ms. At the deadline `ctx.signal` aborts with a `TimeoutError`
 * (`code: 'ERR_TIMEOUT'`), and the call rejects with that error: at once in `'aggressive'`
 * mode, once the task settles in `'cooperative'` mode (the default). One shared timer wheel
 * per duration serves all calls; no AbortController is made unless `ctx.signal` is read.
 *
 * @throws TypeError/RangeError at build time for a bad option, naming it.
 * @example
 * ```ts
 * const policy = timeout({ after: 2_000 });
 * policy.onTimeout(({ after }) => metrics.increment('timeout', { after }));
 * const res = await policy.execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export function timeout(options: TimeoutOptions): TimeoutPolicy {
  return new TimeoutPolicy(timeoutSettings(options));
}

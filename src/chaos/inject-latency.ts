import { sleep } from '../core/abort.js';
import type { CallContext } from '../core/context.js';
import { type Chain, callNext, type Task } from '../core/policy.js';
import { describe, MAX_DELAY } from '../core/validate.js';
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
 * Options of {@link injectLatency}; `delay` is required.
 *
 * @example
 * ```ts
 * const options: InjectLatencyOptions = {
 *   delay: ({ call }) => (call % 10 === 0 ? 5_000 : 50), // every 10th call is very slow
 *   clock,
 * };
 * const latency = injectLatency(options);
 * ```
 */
export interface InjectLatencyOptions extends InjectorOptions {
  /**
   * How long to wait before calling the task, ms: a number from 0 to 2^31-1, or
   * `(ctx) => ms` called for each injected call (its result is checked then). Required.
   */
  readonly delay: number | ((ctx: InjectionContext) => number);
}

/**
 * `onInject` of {@link injectLatency}: also carries the delay about to be waited.
 *
 * @example
 * ```ts
 * injectLatency({ delay: 200 }).onInject(({ call, delay }: LatencyInjectEvent) =>
 *   log.debug(`call ${call}: waiting ${delay} ms`),
 * );
 * ```
 */
export interface LatencyInjectEvent extends InjectEvent {
  /** How long the call waits before the task runs, ms. */
  readonly delay: number;
}

const isDelay = (ms: unknown): ms is number => typeof ms === 'number' && ms >= 0 && ms <= MAX_DELAY;

/**
 * A policy that waits before calling the task. Build it with {@link injectLatency}.
 *
 * @example
 * ```ts
 * const latency: LatencyInjector = injectLatency({ delay: 300, clock });
 * const call = latency.execute(() => 'done');
 * await clock.advance(300);
 * await call; // 'done', 300 ms later on the virtual clock
 * ```
 */
export class LatencyInjector extends InjectorPolicy<LatencyInjectEvent> {
  /** @internal Use {@link injectLatency}. */
  constructor(
    settings: InjectorSettings,
    private readonly delay: number | ((ctx: InjectionContext) => number),
  ) {
    super(settings);
  }

  protected inject<T>(
    task: Task<T>,
    ctx: CallContext,
    next: Chain | undefined,
    call: number,
    now: number,
  ): Promise<T> {
    let delay = this.delay;
    if (typeof delay === 'function') {
      const ms: unknown = delay(injectionContext(ctx, call));
      if (!isDelay(ms)) {
        throw new RangeError(
          `${injectorLabel(this.settings)}: \`delay\` returned ${describe(ms)}; a delay must be a number from 0 to ${MAX_DELAY} (ms)`,
        );
      }
      delay = ms;
    }
    this.announce(ctx, call, now, { delay });
    // A zero delay sets no timer: the task starts in this microtask chain.
    if (delay === 0) return callNext(task, ctx, next);
    return sleep(this.settings.clock, delay, ctx).then(() => callNext(task, ctx, next));
  }
}

/**
 * Waits `delay` ms on the injector's clock, then calls the task, on the calls its trigger
 * picks. The wait ends at once when the call aborts (the caller's signal or an enclosing
 * timeout): the call rejects with the abort reason, the timer is cancelled and the task is
 * not called.
 *
 * @throws TypeError/RangeError at build time for a bad or missing option, naming it.
 * @example
 * ```ts
 * const slow = injectLatency({ name: 'slow-db', delay: 3_000, when: rate(0.1), seed: 1 });
 * const policy = pipeline(timeout({ after: 2_000 }), slow); // about 1 call in 10 times out
 * ```
 */
export function injectLatency(options: InjectLatencyOptions): LatencyInjector {
  const { settings, options: o } = injectorSettings('injectLatency', 'latency', options, ['delay']);
  const delay = o.delay;
  if (typeof delay !== 'function' && !isDelay(delay)) {
    const message = `injectLatency: \`delay\` must be a finite number >= 0 and <= ${MAX_DELAY} or a function, got ${describe(delay)}`;
    throw typeof delay === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return new LatencyInjector(settings, delay as LatencyInjector['delay']);
}

import type { CallContext } from '../core/context.js';
import { type Chain, callNext, type Task } from '../core/policy.js';
import { checkFunction } from '../core/validate.js';
import { type InjectionContext, InjectorPolicy, injectionContext } from './injector.js';
import {
  type InjectorOptions,
  type InjectorSettings,
  injectorSettings,
} from './injector-options.js';

/**
 * Options of {@link injectBehavior}; `run` is required.
 *
 * @example
 * ```ts
 * const options: InjectBehaviorOptions = {
 *   name: 'drop-connection',
 *   when: every(50),
 *   run: async () => pool.destroyOneConnection(),
 * };
 * const chaos = injectBehavior(options);
 * ```
 */
export interface InjectBehaviorOptions extends InjectorOptions {
  /**
   * The side effect, run before the task on each injected call (sync, or async: the task
   * starts once it resolves). If it throws or rejects, the call rejects with that error and
   * the task is not called. Required.
   */
  readonly run: (ctx: InjectionContext) => void | PromiseLike<void>;
}

/**
 * A policy that runs a side effect before the task. Build it with {@link injectBehavior}.
 *
 * @example
 * ```ts
 * const seen: number[] = [];
 * const spy: BehaviorInjector = injectBehavior({ run: ({ call }) => void seen.push(call) });
 * await spy.execute(() => 'ok');
 * spy.enabled = false; // later calls pass through untouched
 * ```
 */
export class BehaviorInjector extends InjectorPolicy {
  /** @internal Use {@link injectBehavior}. */
  constructor(
    settings: InjectorSettings,
    private readonly run: (ctx: InjectionContext) => void | PromiseLike<void>,
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
    this.announce(ctx, call, now);
    const done = this.run(injectionContext(ctx, call));
    if (!isThenable(done)) return callNext(task, ctx, next);
    return Promise.resolve(done).then(() => {
      // The call was aborted while the side effect ran: do not start the task.
      if (ctx.aborted) throw ctx.reason;
      return callNext(task, ctx, next);
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * Runs a side effect before calling the task, on the calls its trigger picks: fill a disk,
 * drop a cache entry, kill a connection, record the call... `run` may be async; the task
 * starts when it resolves.
 *
 * @throws TypeError/RangeError at build time for a bad or missing option, naming it.
 * @example
 * ```ts
 * const evict = injectBehavior({ name: 'evict', when: rate(0.05), run: () => cache.clear() });
 * ```
 */
export function injectBehavior(options: InjectBehaviorOptions): BehaviorInjector {
  const { settings, options: o } = injectorSettings('injectBehavior', 'behavior', options, ['run']);
  const run = checkFunction<InjectBehaviorOptions['run']>('injectBehavior', 'run', o.run);
  return new BehaviorInjector(settings, run);
}

import type { CallContext } from '../core/context.js';
import { asPromise, type Chain, type Task } from '../core/policy.js';
import {
  type InjectEvent,
  type InjectionContext,
  InjectorPolicy,
  injectionContext,
} from './injector.js';
import {
  type InjectorOptions,
  type InjectorSettings,
  injectorSettings,
} from './injector-options.js';

/**
 * An injected answer: a value, or a function computing one (sync or async).
 *
 * @example
 * ```ts
 * const unavailable: InjectedValue<Response> = () => new Response(null, { status: 503 });
 * injectOutcome({ value: unavailable, when: rate(0.1), seed: 3 });
 * ```
 */
export type InjectedValue<V> =
  | ((ctx: InjectionContext) => V | PromiseLike<V>)
  | Exclude<V, (...args: never[]) => unknown>;

/**
 * Options of {@link injectOutcome}; `value` is required.
 *
 * @example
 * ```ts
 * const options: InjectOutcomeOptions<string[]> = { name: 'stale-cache', value: [], when: firstN(3) };
 * const stale = injectOutcome(options);
 * ```
 */
export interface InjectOutcomeOptions<V> extends InjectorOptions {
  /**
   * What the call answers with instead of calling the task: a value, or `(ctx) => value`
   * (sync or async) called for each injected call. A function is always called (to answer
   * with a function, return it from one). If it throws or rejects, the call rejects with that
   * error. Required.
   */
  readonly value: InjectedValue<V>;
}

/**
 * A policy that answers with a chosen value instead of calling the task. Build it with
 * {@link injectOutcome}. `V` joins the result type of the pipeline, as a fallback's does.
 *
 * @example
 * ```ts
 * const empty: OutcomeInjector<null> = injectOutcome({ value: null, when: every(2) });
 * const user = await empty.execute(() => ({ id: '42' })); // { id: '42' } | null
 * ```
 */
export class OutcomeInjector<V> extends InjectorPolicy<InjectEvent, V> {
  /** @internal Use {@link injectOutcome}. */
  constructor(
    settings: InjectorSettings,
    private readonly value: (ctx: InjectionContext) => V | PromiseLike<V>,
  ) {
    super(settings);
  }

  protected inject<T>(
    _task: Task<T>,
    ctx: CallContext,
    _next: Chain | undefined,
    call: number,
    now: number,
  ): Promise<T | V> {
    this.announce(ctx, call, now);
    return asPromise(this.value(injectionContext(ctx, call)));
  }
}

/**
 * Answers with `value` instead of calling the task, on the calls its trigger picks: a stale
 * cache entry, an empty list, an HTTP 503 response object... to test how the caller copes.
 *
 * @throws TypeError at build time for a bad or missing option, naming it.
 * @example
 * ```ts
 * const empty = injectOutcome({ name: 'empty-search', value: [], when: every(5) });
 * const results = await empty.execute(() => search(query)); // every 5th call: []
 * ```
 */
export function injectOutcome<V>(options: InjectOutcomeOptions<V>): OutcomeInjector<V> {
  const { settings, options: o } = injectorSettings('injectOutcome', 'outcome', options, ['value']);
  if (!('value' in o)) {
    throw new TypeError('injectOutcome: `value` is required: a value or (ctx) => value');
  }
  const value = o.value;
  return new OutcomeInjector<V>(
    settings,
    typeof value === 'function'
      ? (value as (ctx: InjectionContext) => V | PromiseLike<V>)
      : () => value as V,
  );
}

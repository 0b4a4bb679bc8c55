import { AttemptContext, type CallContext } from '../core/context.js';
import { Emitter, type Event } from '../core/events.js';
import type { Fusable, FusedCall } from '../core/fused.js';
import type { Outcome } from '../core/outcome.js';
import { type Chain, callNext, PolicyBase, type Task } from '../core/policy.js';
import {
  type FallbackContext,
  type FallbackOptions,
  type FallbackSettings,
  fallbackSettings,
} from './options.js';

/**
 * `onFallback`: the call failed and the fallback answers instead.
 *
 * @example
 * ```ts
 * fallback({ to: [] }).onFallback(({ outcome }: FallbackEvent) =>
 *   log.warn('answered with the fallback', 'error' in outcome ? outcome.error : outcome.value),
 * );
 * ```
 */
export interface FallbackEvent {
  /** What the call produced: `{ error }`, or `{ value }` when `whenResult` triggered. */
  readonly outcome: Outcome;
}

/**
 * A policy that answers with a fallback when a call fails. Build it with {@link fallback}.
 * `R` is the type of the fallback answer; it joins the result type of `execute`.
 *
 * @example
 * ```ts
 * const policy: FallbackPolicy<null> = fallback({ to: null });
 * policy.onFallback(() => metrics.increment('profile.fallback'));
 * const profile = await policy.execute(() => api.getProfile(id)); // the profile, or null
 * ```
 */
export class FallbackPolicy<R> extends PolicyBase<R> implements Fusable {
  private readonly fallbackEmitter = new Emitter<FallbackEvent>();
  /** The call failed and the fallback answers instead. */
  readonly onFallback: Event<FallbackEvent> = this.fallbackEmitter.event;

  /** @internal Use {@link fallback}. */
  constructor(private readonly settings: FallbackSettings<R>) {
    super();
  }

  invoke<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T | R> {
    // One derived promise on the way through; the filters and `to` run in its handlers, so
    // a throwing filter rejects the call instead of being mistaken for the task's error.
    const onError = (error: unknown): T | R | PromiseLike<T | R> => this.recover(error, ctx);
    const whenResult = this.settings.whenResult;
    if (whenResult === undefined) return callNext(task, ctx, next).then(undefined, onError);
    return callNext(task, ctx, next).then(
      (value) => (whenResult(value) ? this.answer(Object.freeze({ value }), ctx) : value),
      onError,
    );
  }

  /** The inside failed: answer with the fallback when `when` accepts the error, else rethrow. */
  private recover(error: unknown, ctx: CallContext): R | PromiseLike<R> {
    if (!this.settings.when(error)) throw error;
    return this.answer(Object.freeze({ error }), ctx);
  }

  /** @internal Fused lane (core/fused.ts): values pass through unless `whenResult` is set. */
  fuseReady(): boolean {
    return this.settings.whenResult === undefined;
  }

  /** @internal */
  fuseEnter(ctx: CallContext): CallContext {
    return ctx;
  }

  /** @internal */
  fuseOk(_call: FusedCall, _layer: number, value: unknown): unknown {
    return value;
  }

  /** @internal */
  fuseFail(call: FusedCall, layer: number, error: unknown): unknown {
    return this.recover(error, call.ctx(layer));
  }

  private answer(outcome: Outcome, ctx: CallContext): R | PromiseLike<R> {
    // The caller (or an outer timeout) gave up on this call: answer nothing more.
    if (ctx.aborted) throw ctx.reason;
    if (this.fallbackEmitter.has) this.fallbackEmitter.emit({ outcome });
    return this.settings.to(outcome.error, new FallbackCall(ctx, outcome));
  }
}

/** The fallback's view of the failed call: its signal and attempt, plus the outcome. */
class FallbackCall extends AttemptContext implements FallbackContext {
  constructor(
    ctx: CallContext,
    readonly outcome: Outcome,
  ) {
    super(ctx, ctx.attempt);
  }
}

/**
 * Answers with `to` when a call fails (for the errors `when` accepts, all by default) or
 * returns a value `whenResult` rejects. Runs at most once per call. Usually the outermost
 * policy of a pipeline.
 *
 * @throws TypeError at build time for a bad or missing option, naming it.
 * @example
 * ```ts
 * const policy = fallback({ to: (error) => ({ items: cache.get(key) ?? [], stale: true }) });
 * const result = await policy.execute(() => api.list(key));
 * ```
 */
export function fallback<R>(options: FallbackOptions<R>): FallbackPolicy<R> {
  return new FallbackPolicy(fallbackSettings(options));
}

import type { ExecuteContext } from '../core/context.js';
import { type ErrorFilter, toErrorPredicate } from '../core/filter.js';
import type { Outcome } from '../core/outcome.js';
import { checkFunction, checkOptions } from '../core/validate.js';

/**
 * What a fallback function receives besides the error.
 *
 * @example
 * ```ts
 * const policy = fallback({
 *   to: (_error, { outcome, attempt }: FallbackContext) => {
 *     log.warn('serving cached list', { attempt, failed: 'error' in outcome });
 *     return cache.get(key) ?? [];
 *   },
 * });
 * ```
 */
export interface FallbackContext extends ExecuteContext {
  /** What the call produced: `{ error }`, or `{ value }` when `whenResult` triggered. */
  readonly outcome: Outcome;
}

/**
 * A fallback answer: a value, or a function computing one (sync or async).
 *
 * @example
 * ```ts
 * const fixed: FallbackTo<string[]> = [];
 * const computed: FallbackTo<string[]> = async () => (await cache.get(key)) ?? [];
 * fallback({ to: fixed });
 * fallback({ to: computed });
 * ```
 */
export type FallbackTo<R> =
  | ((error: unknown, ctx: FallbackContext) => R | PromiseLike<R>)
  | Exclude<R, (...args: never[]) => unknown>;

/**
 * Options of {@link fallback}; `to` is required.
 *
 * @example
 * ```ts
 * const options: FallbackOptions<{ items: string[] }> = {
 *   to: { items: [] },
 *   when: [TimeoutError, BrokenCircuitError],
 * };
 * const policy = fallback(options);
 * ```
 */
export interface FallbackOptions<R> {
  /**
   * The answer when the call fails: a value, or `(error, ctx) => value | Promise`. A
   * function is always called (to answer with a function, return it from one). If it throws,
   * the call rejects with that error. Required.
   */
  readonly to: FallbackTo<R>;
  /** Which errors fall back: a predicate, an Error class or a list of classes. @default every error */
  readonly when?: ErrorFilter;
  /** Fall back on a returned value when this returns true. @default no value falls back */
  readonly whenResult?: (value: unknown) => boolean;
}

export interface FallbackSettings<R> {
  readonly to: (error: unknown, ctx: FallbackContext) => R | PromiseLike<R>;
  readonly when: (error: unknown) => boolean;
  readonly whenResult: ((value: unknown) => boolean) | undefined;
}

/** Checks fallback options, throwing a TypeError that names the bad one. */
export function fallbackSettings<R>(options: FallbackOptions<R>): FallbackSettings<R> {
  const o = checkOptions('fallback', options, ['to', 'when', 'whenResult']);
  if (!('to' in o)) {
    throw new TypeError('fallback: `to` is required: a value or (error, ctx) => value');
  }
  const to = o.to;
  return {
    to: typeof to === 'function' ? (to as FallbackSettings<R>['to']) : () => to as R,
    when: toErrorPredicate('fallback', 'when', o.when),
    whenResult:
      o.whenResult === undefined
        ? undefined
        : checkFunction<(value: unknown) => boolean>('fallback', 'whenResult', o.whenResult),
  };
}

import { describe } from './validate.js';

/**
 * A class of errors, e.g. `TypeError` or your own `HttpError`.
 *
 * @example
 * ```ts
 * const transient: ErrorClass[] = [TimeoutError, BulkheadRejectedError];
 * retry({ when: transient });
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are irrelevant for instanceof.
export type ErrorClass = abstract new (...args: any[]) => unknown;

/**
 * Which errors a policy handles: a predicate, an error class (matched with `instanceof`), or
 * a list of classes.
 *
 * @example
 * ```ts
 * retry({ when: (error) => error instanceof HttpError && error.status >= 500 });
 * retry({ when: [TimeoutError, NetworkError] });
 * ```
 */
export type ErrorFilter = ((error: unknown) => boolean) | ErrorClass | readonly ErrorClass[];

/** Accepts every error. */
export const always = (): boolean => true;

/**
 * An Error class, or any `class` declaration (matched with instanceof too: calling a class
 * as a predicate would throw at run time). Plain functions are predicates.
 */
function isErrorClass(value: unknown): value is ErrorClass {
  if (typeof value !== 'function') return false;
  if (value === Error || (value.prototype !== undefined && value.prototype instanceof Error)) {
    return true;
  }
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/**
 * Turns an ErrorFilter option into a predicate, throwing a TypeError naming the option when
 * it is neither a function nor a list of error classes. `undefined` gives `fallback`.
 */
export function toErrorPredicate(
  policy: string,
  option: string,
  value: unknown,
  fallback: (error: unknown) => boolean = always,
): (error: unknown) => boolean {
  if (value === undefined) return fallback;
  if (isErrorClass(value)) return (error) => error instanceof value;
  if (typeof value === 'function') return value as (error: unknown) => boolean;
  if (Array.isArray(value) && value.length > 0 && value.every(isErrorClass)) {
    const classes = [...value] as ErrorClass[];
    return (error) => classes.some((c) => error instanceof c);
  }
  throw new TypeError(
    `${policy}: \`${option}\` must be a predicate function, an Error class or a non-empty array of Error classes, got ${describe(value)}`,
  );
}

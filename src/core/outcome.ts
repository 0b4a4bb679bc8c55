/**
 * What a call produced: a thrown/rejected `error`, or a returned `value`.
 *
 * @example
 * ```ts
 * retry().onGiveUp(({ outcome }) => {
 *   if ('error' in outcome) log.error(outcome.error);
 *   else log.warn('gave up on value', outcome.value);
 * });
 * ```
 */
export type Outcome<T = unknown> =
  | {
      /** The thrown or rejected error. */
      readonly error: unknown;
      /** Always `undefined` on an error outcome. */
      readonly value?: undefined;
    }
  | {
      /** The returned value. */
      readonly value: T;
      /** Always `undefined` on a value outcome. */
      readonly error?: undefined;
    };

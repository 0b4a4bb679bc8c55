/**
 * What a trigger sees when it decides whether an injector fires for one call. Everything a
 * trigger needs is in here (the call count, the time, a random stream), so triggers are plain
 * values: stateless, reusable across injectors, testable without timers.
 *
 * @example
 * ```ts
 * const retriesOnly: Trigger = ({ attempt }: TriggerContext) => attempt > 1;
 * const slowRetries = injectLatency({ delay: 1_000, when: retriesOnly });
 * retriesOnly({ call: 1, now: 0, random: Math.random, attempt: 2 }); // true
 * ```
 */
export interface TriggerContext {
  /** 1 for the first call the injector (or failpoint, or chaosFetch) sees, 2 for the next... */
  readonly call: number;
  /** The injector's clock, read once for this call (`clock.now()`). */
  readonly now: number;
  /** The injector's own random stream, numbers in [0, 1); draw only what you need. */
  readonly random: () => number;
  /** The retry attempt of this call (1 outside a retry, or for failpoints and fetch). */
  readonly attempt: number;
}

/**
 * Decides, for one call, whether to inject: `rate(0.1)`, `every(3)`, `during({ from, to })`,
 * `all(...)`, `any(...)`, `not(t)`, or any function of the context.
 *
 * @example
 * ```ts
 * const oddCalls: Trigger = ({ call }) => call % 2 === 1;
 * ```
 */
export type Trigger = (ctx: TriggerContext) => boolean;

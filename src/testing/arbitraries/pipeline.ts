import * as fc from 'fast-check';
import { bulkhead } from '../../bulkhead/bulkhead.js';
import { circuitBreaker } from '../../circuit-breaker/circuit-breaker.js';
import type { Clock } from '../../core/clock.js';
import { pipeline as compose, type Pipeline } from '../../core/pipeline.js';
import type { Policy } from '../../core/policy.js';
import { checkNumber, describe, given } from '../../core/validate.js';
import { fallback } from '../../fallback/fallback.js';
import { retry } from '../../retry/retry.js';
import { timeout } from '../../timeout/timeout.js';
import { type BreakerOptionsConstraints, breakerOptions } from './breaker.js';
import { constraintsOf, kindsOf } from './constraints.js';
import {
  type BulkheadOptionsConstraints,
  bulkheadOptions,
  type FallbackOptionsConstraints,
  fallbackOptions,
  type RetryOptionsConstraints,
  retryOptions,
  type TimeoutOptionsConstraints,
  timeoutOptions,
} from './policies.js';
import { renewable, show } from './printing.js';

/**
 * The policies {@link pipeline} draws from, by factory name.
 *
 * @example
 * ```ts
 * const kinds: PolicyKind[] = ['retry', 'timeout'];
 * arbitraries.pipeline({ kinds, clock });
 * ```
 */
export type PolicyKind = 'retry' | 'timeout' | 'fallback' | 'circuitBreaker' | 'bulkhead';

/**
 * Constraints of {@link pipeline}. The per-policy constraints are those of the options
 * arbitraries, without `clock` and `random` (given once, here, for every policy).
 *
 * @example
 * ```ts
 * arbitraries.pipeline({ clock, maxLength: 3, retry: { maxAttempts: { max: 3 } }, fallback: { value: 0 } });
 * ```
 */
export interface PipelineConstraints<R = never> {
  /** The clock of every policy. @default none: each policy's default (real time) */
  readonly clock?: Clock;
  /** Random numbers of every policy. @default a `seededRandom` per policy with a generated seed */
  readonly random?: () => number;
  /** Which policies to draw from (each may appear more than once). @default all five; 'fallback' only with `fallback` */
  readonly kinds?: readonly PolicyKind[];
  /** Fewest policies, an integer >= 0. @default 0 (an empty pipeline runs the task as is) */
  readonly minLength?: number;
  /** Most policies, an integer >= `minLength`. @default 4, or `minLength` when larger */
  readonly maxLength?: number;
  /** Constraints of the retries drawn, see {@link RetryOptionsConstraints}. */
  readonly retry?: Omit<RetryOptionsConstraints, 'clock' | 'random'>;
  /** Constraints of the timeouts drawn, see {@link TimeoutOptionsConstraints}. */
  readonly timeout?: Omit<TimeoutOptionsConstraints, 'clock'>;
  /** Constraints of the circuit breakers drawn, see {@link BreakerOptionsConstraints}. */
  readonly circuitBreaker?: Omit<BreakerOptionsConstraints, 'clock' | 'random'>;
  /** Constraints of the bulkheads drawn, see {@link BulkheadOptionsConstraints}. */
  readonly bulkhead?: Omit<BulkheadOptionsConstraints, 'clock'>;
  /** The fallback's answer (needed to draw fallbacks), see {@link FallbackOptionsConstraints}. */
  readonly fallback?: FallbackOptionsConstraints<R>;
}

const LABEL = 'arbitraries.pipeline';
const ALL: readonly PolicyKind[] = ['retry', 'timeout', 'circuitBreaker', 'bulkhead', 'fallback'];
const KNOWN = ['clock', 'random', 'kinds', 'minLength', 'maxLength', ...ALL];

/** One generated layer: its kind and options (renewed, with their printed form, by fast-check). */
interface Layer {
  readonly kind: PolicyKind;
  readonly options: object;
}

function build(kind: PolicyKind, options: object): Policy<unknown> {
  switch (kind) {
    case 'retry':
      return retry(options);
    case 'timeout':
      return timeout(options as Parameters<typeof timeout>[0]);
    case 'fallback':
      return fallback(options as Parameters<typeof fallback>[0]);
    case 'circuitBreaker':
      return circuitBreaker(options);
    case 'bulkhead':
      return bulkhead(options as Parameters<typeof bulkhead>[0]);
  }
}

/**
 * A random pipeline of valid policies (retry, timeout, fallback, circuit breaker, bulkhead,
 * in any order, repeats allowed), all on the given `clock`. Each run gets freshly built
 * policies (a breaker's state or a bulkhead's queue never leaks into the next run), and a
 * counterexample prints as the code that builds it:
 * `pipeline(retry({ maxAttempts: 2, backoff: constant(5), random: seededRandom(3), clock }), timeout({ after: 40, mode: 'aggressive', clock }))`.
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * // No hang in the plan: a pipeline without a timeout would wait for it forever.
 * const plans = arbitraries.faultPlan({ kinds: ['ok', 'error', 'throw'] });
 * await fc.assert(
 *   fc.asyncProperty(arbitraries.pipeline({ clock }), plans, async (policy, plan) => {
 *     const call = policy.execute(faultPlanTask(plan, clock)).catch(() => 'failed');
 *     await clock.runAll();
 *     await call;
 *     return clock.pending() === 0;
 *   }),
 * );
 * ```
 */
export function pipeline<R = never>(
  constraints?: PipelineConstraints<R>,
): fc.Arbitrary<Pipeline<R>> {
  const c = constraintsOf(LABEL, constraints, KNOWN);
  const hasFallback = c.fallback !== undefined;
  const kinds =
    c.kinds === undefined && !hasFallback
      ? ALL.slice(0, -1)
      : kindsOf(LABEL, 'kinds', c.kinds, ALL);
  if (kinds.includes('fallback') && !hasFallback) {
    throw new TypeError(
      `${LABEL}: \`kinds\` includes 'fallback', so \`fallback\` must give its answer: { value }`,
    );
  }
  const minLength = checkNumber(LABEL, 'minLength', given(c.minLength, 0), {
    integer: true,
    min: 0,
    max: 100,
  });
  const maxLength = checkNumber(LABEL, 'maxLength', given(c.maxLength, Math.max(4, minLength)), {
    integer: true,
    min: minLength,
    max: 100,
  });
  const clock = c.clock === undefined ? {} : { clock: c.clock as Clock };
  const random = c.random === undefined ? {} : { random: c.random as () => number };
  const own = (name: PolicyKind): object => {
    const value = c[name];
    if (value !== undefined && (value === null || typeof value !== 'object')) {
      throw new TypeError(`${LABEL}: \`${name}\` must be an object, got ${describe(value)}`);
    }
    return value ?? {};
  };
  const optionsOf: Record<PolicyKind, () => fc.Arbitrary<object>> = {
    retry: () => retryOptions({ ...own('retry'), ...clock, ...random }),
    timeout: () => timeoutOptions({ ...own('timeout'), ...clock }),
    circuitBreaker: () => breakerOptions({ ...own('circuitBreaker'), ...clock, ...random }),
    bulkhead: () => bulkheadOptions({ ...own('bulkhead'), ...clock }),
    fallback: () => fallbackOptions(c.fallback as FallbackOptionsConstraints<R>),
  };
  const layer = fc.oneof(
    ...kinds.map((kind) => optionsOf[kind]().map((options): Layer => ({ kind, options }))),
  );
  const text = (layers: readonly Layer[]): string =>
    `pipeline(${layers.map((l) => `${l.kind}(${show(l.options)})`).join(', ')})`;
  return fc.array(layer, { minLength, maxLength }).map(
    (layers) =>
      renewable(
        () => compose(...layers.map((l) => build(l.kind, fc.cloneIfNeeded(l.options)))),
        () => text(layers),
      ) as Pipeline<R>,
  );
}

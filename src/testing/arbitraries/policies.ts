import * as fc from 'fast-check';
import type { BulkheadOptions } from '../../bulkhead/options.js';
import type { Clock } from '../../core/clock.js';
import { MAX_DELAY } from '../../core/validate.js';
import type { FallbackOptions, FallbackTo } from '../../fallback/options.js';
import type { RetryOptions } from '../../retry/options.js';
import type { TimeoutMode, TimeoutOptions } from '../../timeout/options.js';
import { type BackoffConstraints, backoffWithin } from './backoff.js';
import {
  clockOf,
  constraintsOf,
  integerIn,
  kindsOf,
  type Range,
  randomSource,
  rangeOf,
  seedArb,
} from './constraints.js';
import { optionsText, printAs, renewable, show } from './printing.js';

/** Spreads `{ clock }` into generated options only when a clock was given. */
const withClock = (clock: Clock | undefined) => (clock === undefined ? {} : { clock });

/**
 * Constraints of {@link retryOptions}.
 *
 * @example
 * ```ts
 * arbitraries.retryOptions({ maxAttempts: { max: 3 }, backoff: { maxDelay: 100 }, clock });
 * ```
 */
export interface RetryOptionsConstraints {
  /** Range of `maxAttempts`, integers in [1, 1000]. @default { min: 1, max: 5 } */
  readonly maxAttempts?: Range;
  /** Which backoffs, see {@link BackoffConstraints}. @default every kind, delays <= 1_000 ms */
  readonly backoff?: BackoffConstraints;
  /** The clock every generated option set uses. @default none: the policy's default */
  readonly clock?: Clock;
  /** Random numbers for jitter. @default `seededRandom(seed)` with a generated seed */
  readonly random?: () => number;
}

/**
 * Valid retry options: `maxAttempts`, a `backoff` (see {@link backoff}), `random` and, when
 * given, `clock`. `when`, `whenResult` and `retryAfter` are left out (every error is retried);
 * add your own with `.map(o => ({ ...o, when }))`. A fresh `seededRandom` is made for each run.
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * fc.assert(
 *   fc.property(arbitraries.retryOptions({ maxAttempts: { max: 3 }, clock }), (options) => {
 *     retry(options); // never throws
 *   }),
 * );
 * ```
 */
export function retryOptions(constraints?: RetryOptionsConstraints): fc.Arbitrary<RetryOptions> {
  const label = 'arbitraries.retryOptions';
  const c = constraintsOf(label, constraints, ['maxAttempts', 'backoff', 'clock', 'random']);
  const attempts = rangeOf(label, 'maxAttempts', c.maxAttempts, {
    min: 1,
    max: 1_000,
    integer: true,
    defaults: [1, 5],
  });
  const backoff = backoffWithin(label, 'backoff.', c.backoff);
  const clock = clockOf(label, c.clock);
  const random = randomSource(label, c.random);
  return fc
    .record({ maxAttempts: integerIn(attempts), backoff, seed: seedArb })
    .map(({ maxAttempts, backoff, seed }) =>
      renewable(
        (): RetryOptions => ({ maxAttempts, backoff, random: random(seed), ...withClock(clock) }),
        (o) => optionsText(o, clock),
      ),
    );
}

/**
 * Constraints of {@link timeoutOptions}.
 *
 * @example
 * ```ts
 * arbitraries.timeoutOptions({ after: { min: 100, max: 500 }, modes: ['aggressive'], clock });
 * ```
 */
export interface TimeoutOptionsConstraints {
  /** Range of `after`, integers in [1, 2^31-1] ms. @default { min: 1, max: 1_000 } */
  readonly after?: Range;
  /** Which modes. @default both */
  readonly modes?: readonly TimeoutMode[];
  /** The clock every generated option set uses. @default none: the policy's default */
  readonly clock?: Clock;
}

/**
 * Valid timeout options: `after`, `mode` and, when given, `clock`.
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraries.timeoutOptions({ clock }), (options) => void timeout(options)));
 * ```
 */
export function timeoutOptions(
  constraints?: TimeoutOptionsConstraints,
): fc.Arbitrary<TimeoutOptions> {
  const label = 'arbitraries.timeoutOptions';
  const c = constraintsOf(label, constraints, ['after', 'modes', 'clock']);
  const after = rangeOf(label, 'after', c.after, {
    min: 1,
    max: MAX_DELAY,
    integer: true,
    defaults: [1, 1_000],
  });
  const modes = kindsOf<TimeoutMode>(label, 'modes', c.modes, ['cooperative', 'aggressive']);
  const clock = clockOf(label, c.clock);
  return fc.record({ after: integerIn(after), mode: fc.constantFrom(...modes) }).map((o) =>
    renewable(
      (): TimeoutOptions => ({ ...o, ...withClock(clock) }),
      (v) => optionsText(v, clock),
    ),
  );
}

/**
 * How {@link fallbackOptions} gives its answer: `to: value`, `to: () => value`, `to: async () => value`.
 *
 * @example
 * ```ts
 * arbitraries.fallbackOptions({ value: GUEST, forms: ['async'] }); // always `to: async () => GUEST`
 * ```
 */
export type FallbackForm = 'value' | 'function' | 'async';

/**
 * Constraints of {@link fallbackOptions}.
 *
 * @example
 * ```ts
 * arbitraries.fallbackOptions({ value: GUEST, forms: ['value', 'async'] });
 * ```
 */
export interface FallbackOptionsConstraints<R> {
  /** The answer of the fallback. Required. */
  readonly value: R;
  /** The forms of `to` to draw from; a function `value` is always returned from one. @default all */
  readonly forms?: readonly FallbackForm[];
}

/**
 * Valid fallback options answering `value`, as a plain value, a function or an async
 * function. Filters (`when`, `whenResult`) are left out: every error falls back.
 *
 * @throws TypeError for a bad or missing constraint, naming it.
 * @example
 * ```ts
 * fc.assert(
 *   fc.asyncProperty(arbitraries.fallbackOptions({ value: 'cached' }), async (options) => {
 *     const answer = await fallback(options).execute(() => Promise.reject(new Error('down')));
 *     return answer === 'cached';
 *   }),
 * );
 * ```
 */
export function fallbackOptions<R>(
  constraints: FallbackOptionsConstraints<R>,
): fc.Arbitrary<FallbackOptions<R>> {
  const label = 'arbitraries.fallbackOptions';
  const c = constraintsOf(label, constraints, ['value', 'forms']);
  if (!('value' in c)) {
    throw new TypeError(`${label}: \`value\` is required: the answer the fallback gives`);
  }
  const value = c.value as R;
  const forms = kindsOf<FallbackForm>(label, 'forms', c.forms, ['value', 'function', 'async']);
  const usable = typeof value === 'function' ? forms.filter((f) => f !== 'value') : forms;
  if (usable.length === 0) {
    throw new TypeError(
      `${label}: \`forms\` must include 'function' or 'async' when \`value\` is a function`,
    );
  }
  const text = show(value);
  const toOf = (form: FallbackForm): FallbackTo<R> => {
    if (form === 'value') return value as FallbackTo<R>;
    if (form === 'function') return printAs(() => value, `() => ${text}`);
    return printAs(async () => value, `async () => ${text}`);
  };
  return fc.constantFrom(...usable).map((form) =>
    renewable(
      (): FallbackOptions<R> => ({ to: toOf(form) }),
      (o) => optionsText(o),
    ),
  );
}

/**
 * Constraints of {@link bulkheadOptions}.
 *
 * @example
 * ```ts
 * arbitraries.bulkheadOptions({ limit: { max: 2 }, queue: { min: 1 }, queueTimeout: false, clock });
 * ```
 */
export interface BulkheadOptionsConstraints {
  /** Range of `limit`, integers >= 1. @default { min: 1, max: 4 } */
  readonly limit?: Range;
  /** Range of `queue`, integers >= 0. @default { min: 0, max: 4 } */
  readonly queue?: Range;
  /** Range of `queueTimeout` (ms, integers >= 1), which is sometimes left out; `false`: always left out. @default { min: 1, max: 1_000 } */
  readonly queueTimeout?: Range | false;
  /** The clock every generated option set uses. @default none: the policy's default */
  readonly clock?: Clock;
}

/**
 * Valid bulkhead options: `limit`, `queue`, sometimes `queueTimeout`, and `clock` when given.
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraries.bulkheadOptions({ clock }), (options) => void bulkhead(options)));
 * ```
 */
export function bulkheadOptions(
  constraints?: BulkheadOptionsConstraints,
): fc.Arbitrary<BulkheadOptions> {
  const label = 'arbitraries.bulkheadOptions';
  const c = constraintsOf(label, constraints, ['limit', 'queue', 'queueTimeout', 'clock']);
  const big = 1_000_000;
  const limit = rangeOf(label, 'limit', c.limit, {
    min: 1,
    max: big,
    integer: true,
    defaults: [1, 4],
  });
  const queue = rangeOf(label, 'queue', c.queue, {
    min: 0,
    max: big,
    integer: true,
    defaults: [0, 4],
  });
  const queueTimeout =
    c.queueTimeout === false
      ? fc.constant(undefined)
      : fc.option(
          integerIn(
            rangeOf(label, 'queueTimeout', c.queueTimeout, {
              min: 1,
              max: MAX_DELAY,
              integer: true,
              defaults: [1, 1_000],
            }),
          ),
          { nil: undefined },
        );
  const clock = clockOf(label, c.clock);
  return fc
    .record({ limit: integerIn(limit), queue: integerIn(queue), queueTimeout })
    .map(({ limit, queue, queueTimeout }) =>
      renewable(
        (): BulkheadOptions => ({
          limit,
          queue,
          ...(queueTimeout === undefined ? {} : { queueTimeout }),
          ...withClock(clock),
        }),
        (o) => optionsText(o, clock),
      ),
    );
}

import type { Backoff } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';
import { type ErrorFilter, toErrorPredicate } from '../core/filter.js';
import { systemClock } from '../core/system-clock.js';
import {
  checkClock,
  checkFunction,
  checkNumber,
  checkOneOf,
  checkOptions,
  describe,
  given,
  MAX_DELAY,
} from '../core/validate.js';
import { type Breaker, isBreaker } from './breakers/breaker.js';
import { consecutive } from './breakers/consecutive.js';
import type { CircuitBreakerSnapshot } from './snapshot.js';

/**
 * How the breaker treats calls, settable at run time:
 * - `'normal'`: counts calls, opens and closes by itself;
 * - `'disabled'`: lets every call through and counts nothing;
 * - `'metrics-only'`: lets every call through and counts it (metrics, events) but never opens;
 * - `'forced-open'`: rejects every call with `IsolatedCircuitError` until the mode changes.
 *
 * @example
 * ```ts
 * // Watch a new breaker in production before letting it reject calls.
 * const breaker = circuitBreaker({ mode: 'metrics-only' });
 * breaker.onBreak(({ reason }) => log.info(`would have opened: ${reason}`));
 * const mode: CircuitBreakerMode = 'normal';
 * breaker.mode = mode; // later, once the thresholds look right
 * ```
 */
export type CircuitBreakerMode = 'normal' | 'disabled' | 'metrics-only' | 'forced-open';
export const MODES: readonly CircuitBreakerMode[] = [
  'normal',
  'disabled',
  'metrics-only',
  'forced-open',
];

/**
 * Calls slower than `threshold` ms are slow; too many slow calls open the breaker.
 *
 * @example
 * ```ts
 * const slowCall: SlowCallOptions = { threshold: 1_000, ratio: 0.5 };
 * circuitBreaker({ breaker: countWindow({ size: 50 }), slowCall }); // half the calls over 1 s: open
 * ```
 */
export interface SlowCallOptions {
  /** A call taking at least this many ms is slow, a number > 0. */
  readonly threshold: number;
  /** Opens when `slowCalls / calls >= ratio` (in the window), a number in (0, 1]. */
  readonly ratio: number;
}

/**
 * Options of {@link circuitBreaker}. Every option is optional; bad values throw when the
 * breaker is built.
 *
 * @example
 * ```ts
 * const options: CircuitBreakerOptions = {
 *   breaker: timeWindow({ duration: 10_000, failureRatio: 0.5, minThroughput: 20 }),
 *   halfOpenAfter: exponential({ initial: 1_000, max: 60_000 }),
 *   when: (error) => !(error instanceof ValidationError),
 * };
 * const breaker = circuitBreaker(options);
 * ```
 */
export interface CircuitBreakerOptions {
  /** What decides to open: `consecutive(n)`, `countWindow({...})`, `timeWindow({...})`. @default consecutive(5) */
  readonly breaker?: Breaker;
  /**
   * How long it stays open before letting probes through: ms, or a backoff of how many times it
   * has opened in a row (`attempt` 1 for the first break; reset when it closes), so a service
   * that keeps failing is left alone longer. A backoff returning `undefined` keeps the last delay.
   * @default 10_000
   */
  readonly halfOpenAfter?: number | Backoff;
  /** How many probe calls half-open admits; all must succeed to close. @default 1 */
  readonly halfOpenProbes?: number;
  /** Also open when too many calls are slow (window breakers only). @default off */
  readonly slowCall?: SlowCallOptions;
  /**
   * Which errors count as failures: a predicate, an Error class or a list of classes. Other
   * errors pass through and count as successes (as in Polly and resilience4j). @default all
   */
  readonly when?: ErrorFilter;
  /** Count a returned value as a failure when this returns true. @default never */
  readonly whenResult?: (value: unknown) => boolean;
  /** How calls are treated at first, see {@link CircuitBreakerMode}. @default 'normal' */
  readonly mode?: CircuitBreakerMode;
  /** Resume from `breaker.snapshot()`, e.g. one saved before a restart. @default none */
  readonly restore?: CircuitBreakerSnapshot;
  /** Source of time for the open period, windows and durations. @default systemClock */
  readonly clock?: Clock;
  /** Random numbers for a jittered `halfOpenAfter` backoff. @default Math.random */
  readonly random?: () => number;
  /** Wall-clock ms for snapshots (an open-until time must survive a restart). @default Date.now */
  readonly wallClock?: () => number;
}

export interface CircuitBreakerSettings {
  readonly breaker: Breaker;
  readonly halfOpenAfter: Backoff;
  readonly halfOpenProbes: number;
  readonly slowThreshold: number | undefined;
  readonly slowRatio: number | undefined;
  readonly when: (error: unknown) => boolean;
  readonly whenResult: ((value: unknown) => boolean) | undefined;
  readonly mode: CircuitBreakerMode;
  readonly restore: unknown;
  readonly clock: Clock;
  readonly random: () => number;
  readonly wallClock: () => number;
}

const P = 'circuitBreaker';

function halfOpenAfterOf(value: unknown): Backoff {
  if (typeof value === 'function') return value as Backoff;
  const ms = checkNumber(P, 'halfOpenAfter', value, { min: 0, max: MAX_DELAY });
  return () => ms;
}

function slowCallOf(value: unknown, breaker: Breaker): [number | undefined, number | undefined] {
  if (value === undefined) return [undefined, undefined];
  if (!breaker.ratios) {
    throw new TypeError(
      `${P}: \`slowCall\` needs a window breaker (countWindow or timeWindow); ${breaker.description} has no window to take a ratio of`,
    );
  }
  const o = checkOptions(`${P}: slowCall`, value, ['threshold', 'ratio']);
  return [
    checkNumber(P, 'slowCall.threshold', o.threshold, { above: 0, max: MAX_DELAY }),
    checkNumber(P, 'slowCall.ratio', o.ratio, { above: 0, max: 1 }),
  ];
}

/** Checks circuit breaker options, throwing a TypeError/RangeError that names the bad one. */
export function circuitBreakerSettings(options: CircuitBreakerOptions): CircuitBreakerSettings {
  const o = checkOptions(P, options, [
    'breaker',
    'halfOpenAfter',
    'halfOpenProbes',
    'slowCall',
    'when',
    'whenResult',
    'mode',
    'restore',
    'clock',
    'random',
    'wallClock',
  ]);
  const breaker = o.breaker === undefined ? consecutive(5) : o.breaker;
  if (!isBreaker(breaker)) {
    throw new TypeError(
      `${P}: \`breaker\` must be consecutive(n), countWindow({...}) or timeWindow({...}), got ${describe(breaker)}`,
    );
  }
  const [slowThreshold, slowRatio] = slowCallOf(o.slowCall, breaker);
  return {
    breaker,
    halfOpenAfter: halfOpenAfterOf(given(o.halfOpenAfter, 10_000)),
    halfOpenProbes: checkNumber(P, 'halfOpenProbes', given(o.halfOpenProbes, 1), {
      integer: true,
      min: 1,
    }),
    slowThreshold,
    slowRatio,
    when: toErrorPredicate(P, 'when', o.when),
    whenResult:
      o.whenResult === undefined
        ? undefined
        : checkFunction<(value: unknown) => boolean>(P, 'whenResult', o.whenResult),
    mode: checkOneOf(P, 'mode', given(o.mode, 'normal'), MODES),
    restore: o.restore,
    clock: checkClock(P, o.clock, systemClock),
    random: checkFunction(P, 'random', given(o.random, Math.random)),
    wallClock: checkFunction(P, 'wallClock', given(o.wallClock, Date.now)),
  };
}

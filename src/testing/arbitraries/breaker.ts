import * as fc from 'fast-check';
import type { Breaker } from '../../circuit-breaker/breakers/breaker.js';
import { consecutive } from '../../circuit-breaker/breakers/consecutive.js';
import { countWindow } from '../../circuit-breaker/breakers/count-window.js';
import { timeWindow } from '../../circuit-breaker/breakers/time-window.js';
import type { CircuitBreakerOptions } from '../../circuit-breaker/options.js';
import type { Backoff } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import { MAX_DELAY } from '../../core/validate.js';
import { exponential } from '../../retry/backoff/exponential.js';
import {
  clockOf,
  constraintsOf,
  flagOf,
  integerIn,
  kindsOf,
  type Range,
  randomSource,
  rangeOf,
  seedArb,
} from './constraints.js';
import { optionsText, printAs, renewable } from './printing.js';

/**
 * The breaker factories {@link breaker} draws from.
 *
 * @example
 * ```ts
 * arbitraries.breaker({ kinds: ['countWindow', 'timeWindow'] }); // window breakers only
 * ```
 */
export type BreakerKind = 'consecutive' | 'countWindow' | 'timeWindow';

/**
 * Constraints of {@link breaker}.
 *
 * @example
 * ```ts
 * arbitraries.breaker({ kinds: ['countWindow'], size: { max: 10 } });
 * ```
 */
export interface BreakerConstraints {
  /** Which factories to draw from. @default all three */
  readonly kinds?: readonly BreakerKind[];
  /** Range of `consecutive(threshold)`, integers >= 1. @default { min: 1, max: 5 } */
  readonly threshold?: Range;
  /** Range of `countWindow({ size })`, integers >= 1. @default { min: 1, max: 20 } */
  readonly size?: Range;
  /** Range of `timeWindow({ duration })`, integer ms >= 1. @default { min: 100, max: 10_000 } */
  readonly duration?: Range;
}

const KINDS: readonly BreakerKind[] = ['consecutive', 'countWindow', 'timeWindow'];
/** Ratios in hundredths (0.01 to 1), so that they print short. */
const ratio = fc.integer({ min: 1, max: 100 }).map((n) => n / 100);

/** {@link breaker} for `breakerOptions`, whose messages name `prefix` (`'breaker.'`). @internal */
export function breakerWithin(
  label: string,
  prefix: string,
  constraints: unknown,
): fc.Arbitrary<Breaker> {
  const what = prefix === '' ? 'constraints' : `\`${prefix.slice(0, -1)}\``;
  const c = constraintsOf(label, constraints, ['kinds', 'threshold', 'size', 'duration'], what);
  const kinds = kindsOf(label, `${prefix}kinds`, c.kinds, KINDS);
  const int = (name: string, min: number, defaults: readonly [number, number]) =>
    integerIn(
      rangeOf(label, `${prefix}${name}`, c[name], { min, max: 2 ** 30, integer: true, defaults }),
    );
  const threshold = int('threshold', 1, [1, 5]);
  const size = int('size', 1, [1, 20]);
  const duration = integerIn(
    rangeOf(label, `${prefix}duration`, c.duration, {
      min: 1,
      max: MAX_DELAY,
      integer: true,
      defaults: [100, 10_000],
    }),
  );
  const arbitraries: Record<BreakerKind, fc.Arbitrary<Breaker>> = {
    consecutive: threshold.map((n) => printAs(consecutive(n), `consecutive(${n})`)),
    countWindow: fc
      .record({ size, failureRatio: ratio, fraction: ratio })
      .map(({ size, failureRatio, fraction }) => {
        const o = { size, failureRatio, minThroughput: Math.max(1, Math.round(size * fraction)) };
        return printAs(countWindow(o), `countWindow(${optionsText(o)})`);
      }),
    timeWindow: fc
      .record({
        duration,
        buckets: fc.integer({ min: 1, max: 10 }),
        failureRatio: ratio,
        minThroughput: fc.integer({ min: 1, max: 20 }),
      })
      .map((o) => printAs(timeWindow(o), `timeWindow(${optionsText(o)})`)),
  };
  return fc.oneof(...kinds.map((kind) => arbitraries[kind]));
}

/**
 * Any breaker spec of `consecutive`, `countWindow` and `timeWindow`, with valid settings.
 * Printed as the call that builds it, e.g. `countWindow({ size: 8, failureRatio: 0.5, minThroughput: 4 })`.
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraries.breaker(), (b) => void circuitBreaker({ breaker: b })));
 * ```
 */
export function breaker(constraints?: BreakerConstraints): fc.Arbitrary<Breaker> {
  return breakerWithin('arbitraries.breaker', '', constraints);
}

/**
 * Constraints of {@link breakerOptions}.
 *
 * @example
 * ```ts
 * arbitraries.breakerOptions({ breaker: { kinds: ['consecutive'] }, halfOpenProbes: { max: 1 }, clock });
 * ```
 */
export interface BreakerOptionsConstraints {
  /** Which breaker specs, see {@link BreakerConstraints}. @default all kinds */
  readonly breaker?: BreakerConstraints;
  /**
   * Range of `halfOpenAfter`, integer ms >= 0. It is a number, or an `exponential` backoff
   * whose delays stay in the range. @default { min: 0, max: 10_000 }
   */
  readonly halfOpenAfter?: Range;
  /** Range of `halfOpenProbes`, integers >= 1. @default { min: 1, max: 3 } */
  readonly halfOpenProbes?: Range;
  /** Whether window breakers sometimes also count slow calls (`slowCall`). @default true */
  readonly slowCall?: boolean;
  /** The clock every generated option set uses; also their `wallClock`. @default none: the policy's default */
  readonly clock?: Clock;
  /** Random numbers for a jittered `halfOpenAfter`. @default `seededRandom(seed)` with a generated seed */
  readonly random?: () => number;
}

/**
 * Valid circuit breaker options: a `breaker` spec (see {@link breaker}), `halfOpenAfter`,
 * `halfOpenProbes`, sometimes `slowCall` (window breakers only), `random` and, when a clock
 * is given, `clock` and `wallClock: () => clock.now()` (so snapshots read virtual time).
 * `mode` is left at `'normal'`; filters are left out (every error counts).
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraries.breakerOptions({ clock }), (options) => void circuitBreaker(options)));
 * ```
 */
export function breakerOptions(
  constraints?: BreakerOptionsConstraints,
): fc.Arbitrary<CircuitBreakerOptions> {
  const label = 'arbitraries.breakerOptions';
  const c = constraintsOf(label, constraints, [
    'breaker',
    'halfOpenAfter',
    'halfOpenProbes',
    'slowCall',
    'clock',
    'random',
  ]);
  const spec = breakerWithin(label, 'breaker.', c.breaker);
  const [low, high] = rangeOf(label, 'halfOpenAfter', c.halfOpenAfter, {
    min: 0,
    max: MAX_DELAY,
    integer: true,
    defaults: [0, 10_000],
  });
  const probes = rangeOf(label, 'halfOpenProbes', c.halfOpenProbes, {
    min: 1,
    max: 1_000,
    integer: true,
    defaults: [1, 3],
  });
  const slow = flagOf(label, 'slowCall', c.slowCall, true);
  const clock = clockOf(label, c.clock);
  const random = randomSource(label, c.random);
  // A backoff whose delays stay in [low, high]: no jitter, or decorrelated (needs initial > 0).
  const halfOpenBackoff: fc.Arbitrary<Backoff> = fc
    .record({
      a: fc.integer({ min: Math.max(low, 1), max: Math.max(high, 1) }),
      b: fc.integer({ min: Math.max(low, 1), max: Math.max(high, 1) }),
      jitter: fc.constantFrom('none' as const, 'decorrelated' as const),
    })
    .map(({ a, b, jitter }) => {
      const o = { initial: Math.min(a, b), factor: 2, max: Math.max(a, b), jitter };
      return printAs(exponential(o), `exponential(${optionsText(o)})`);
    });
  const halfOpenAfter =
    high === 0
      ? fc.constant(0)
      : fc.oneof({ arbitrary: fc.integer({ min: low, max: high }), weight: 3 }, halfOpenBackoff);
  const slowCall = slow
    ? fc.option(fc.record({ threshold: fc.integer({ min: 1, max: 1_000 }), ratio }), {
        nil: undefined,
      })
    : fc.constant(undefined);
  return fc
    .record({
      breaker: spec,
      halfOpenAfter,
      halfOpenProbes: integerIn(probes),
      slowCall,
      seed: seedArb,
    })
    .map(({ breaker, halfOpenAfter, halfOpenProbes, slowCall, seed }) => {
      const build = (): CircuitBreakerOptions => ({
        breaker,
        halfOpenAfter,
        halfOpenProbes,
        ...(slowCall !== undefined && breaker.ratios ? { slowCall } : {}),
        random: random(seed),
        ...(clock === undefined ? {} : { clock, wallClock: wallClockOf(clock) }),
      });
      return renewable(build, (o) => optionsText(o, clock));
    });
}

function wallClockOf(clock: Clock): () => number {
  return printAs(() => clock.now(), '() => clock.now()');
}

/**
 * The option rules of every factory, as oracles written from docs/ (what each option
 * allows), and the values options.property.test.ts tries in them.
 */
import { fc } from '@fast-check/vitest';
import {
  injectBehavior,
  injectFault,
  injectHang,
  injectLatency,
  injectOutcome,
} from '../../src/chaos/index.js';
import {
  type Breaker,
  bulkhead,
  circuitBreaker,
  consecutive,
  countWindow,
  fallback,
  type Policy,
  retry,
  timeout,
  timeWindow,
} from '../../src/index.js';
import type { VirtualClock } from '../../src/testing/index.js';

const MAX_DELAY = 2 ** 31 - 1;
export type Oracle = (value: unknown) => boolean;

const fn: Oracle = (v) => typeof v === 'function';
const opt =
  (oracle: Oracle): Oracle =>
  (v) =>
    v === undefined || oracle(v);
const int =
  (min: number, max = Number.POSITIVE_INFINITY): Oracle =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
/** A finite number in (lo, hi] (`closed`: [lo, hi]). */
const num =
  (lo: number, hi: number, closed = false): Oracle =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && (closed ? v >= lo : v > lo) && v <= hi;
const oneOf =
  (...allowed: unknown[]): Oracle =>
  (v) =>
    allowed.includes(v);
const isErrorClass = (v: unknown): boolean =>
  typeof v === 'function' && (v === Error || v.prototype instanceof Error);
/** ErrorFilter: a predicate, an Error class or a non-empty array of Error classes. */
const errorFilter: Oracle = (v) =>
  fn(v) || (Array.isArray(v) && v.length > 0 && v.every(isErrorClass));
const clockLike: Oracle = (v) =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { now?: unknown }).now === 'function' &&
  typeof (v as { setTimer?: unknown }).setTimer === 'function';
const anyValue: Oracle = () => true;

/** What a factory builds: a policy, or a breaker spec (run inside a circuit breaker). */
export type Built = Policy<unknown> | Breaker;

export interface Factory {
  readonly name: string;
  /** Options that make a valid build; the varied option is set on top of them. */
  readonly base: (clock: VirtualClock) => Record<string, unknown>;
  readonly build: (options: Record<string, unknown>) => Built;
  /** Each option and the values the docs allow for it (`undefined` included when optional). */
  readonly options: Record<string, Oracle>;
  /** True when a call through it may hang by design (ended by the caller's abort). */
  readonly hangs?: boolean;
  /** Takes its one option as a plain argument (so there is no unknown key to give). */
  readonly positional?: boolean;
}

const injectorOptions: Record<string, Oracle> = {
  name: opt((v) => typeof v === 'string' && v !== ''),
  when: opt(fn),
  enabled: opt((v) => typeof v === 'boolean'),
  clock: opt(clockLike),
  seed: opt((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))),
  random: opt(fn),
};

export const factories: readonly Factory[] = [
  {
    name: 'retry',
    base: (clock) => ({ clock }),
    build: (o) => retry(o),
    options: {
      maxAttempts: opt((v) => v === Number.POSITIVE_INFINITY || int(1)(v)),
      backoff: opt(fn),
      when: opt(errorFilter),
      whenResult: opt(fn),
      retryAfter: opt(fn),
      clock: opt(clockLike),
      random: opt(fn),
    },
  },
  {
    name: 'timeout',
    base: (clock) => ({ after: 10, clock }),
    build: (o) => timeout(o as never),
    options: {
      after: num(0, MAX_DELAY),
      mode: opt(oneOf('cooperative', 'aggressive')),
      clock: opt(clockLike),
    },
  },
  {
    name: 'fallback',
    base: () => ({ to: 1 }),
    build: (o) => fallback(o as never),
    options: { to: anyValue, when: opt(errorFilter), whenResult: opt(fn) },
  },
  {
    name: 'circuitBreaker',
    base: (clock) => ({ breaker: countWindow({ size: 4 }), clock }),
    build: (o) => circuitBreaker(o),
    options: {
      breaker: (v) => v === undefined, // a Breaker is made only by its factories
      halfOpenAfter: opt((v) => fn(v) || num(0, MAX_DELAY, true)(v)),
      halfOpenProbes: opt(int(1)),
      slowCall: opt(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          Object.keys(v).every((k) => k === 'threshold' || k === 'ratio') &&
          num(0, MAX_DELAY)((v as { threshold?: unknown }).threshold) &&
          num(0, 1)((v as { ratio?: unknown }).ratio),
      ),
      when: opt(errorFilter),
      whenResult: opt(fn),
      mode: opt(oneOf('normal', 'disabled', 'metrics-only', 'forced-open')),
      restore: (v) => v === undefined, // only a snapshot() is valid
      clock: opt(clockLike),
      random: opt(fn),
      wallClock: opt(fn),
    },
  },
  {
    name: 'consecutive',
    base: () => ({ threshold: 1 }),
    build: (o) => consecutive(o.threshold as number),
    options: { threshold: int(1) },
    positional: true,
  },
  {
    name: 'countWindow',
    base: () => ({ size: 10 }),
    build: (o) => countWindow(o),
    options: {
      size: opt(int(1, 2 ** 30)),
      failureRatio: opt(num(0, 1)),
      minThroughput: opt(int(1, 10)), // <= size (10 in the base)
    },
  },
  {
    name: 'timeWindow',
    base: () => ({}),
    build: (o) => timeWindow(o),
    options: {
      duration: opt(num(0, MAX_DELAY)),
      buckets: opt(int(1, 1_000)),
      failureRatio: opt(num(0, 1)),
      minThroughput: opt(int(1)),
    },
  },
  {
    name: 'bulkhead',
    base: (clock) => ({ limit: 1, clock }),
    build: (o) => bulkhead(o as never),
    options: {
      limit: int(1),
      queue: opt((v) => v === Number.POSITIVE_INFINITY || int(0)(v)),
      queueTimeout: opt(num(0, MAX_DELAY)),
      clock: opt(clockLike),
    },
  },
  {
    name: 'injectFault',
    base: (clock) => ({ clock }),
    build: (o) => injectFault(o),
    options: { ...injectorOptions, error: opt((v) => fn(v) || v instanceof Error) },
  },
  {
    name: 'injectLatency',
    base: (clock) => ({ delay: 0, clock }),
    build: (o) => injectLatency(o as never),
    options: { ...injectorOptions, delay: (v) => fn(v) || num(0, MAX_DELAY, true)(v) },
  },
  {
    name: 'injectOutcome',
    base: (clock) => ({ value: 1, clock }),
    build: (o) => injectOutcome(o as never),
    options: { ...injectorOptions, value: anyValue },
  },
  {
    name: 'injectHang',
    base: (clock) => ({ clock }),
    build: (o) => injectHang(o),
    options: injectorOptions,
    hangs: true,
  },
  {
    name: 'injectBehavior',
    base: (clock) => ({ run: () => {}, clock }),
    build: (o) => injectBehavior(o as never),
    options: { ...injectorOptions, run: fn },
  },
];

/** fc.anything with every kind of value it can make, plus the edges of the option rules. */
export const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom<unknown>(
      ...[undefined, null, true, false, '', 'x', 'normal', 'forced-open', 'cooperative'],
      ...['aggressive', 'metrics-only', 'disabled', 0, -0, -1, 1, 2, 0.5, 1.5, 10, 11, 1_000],
      ...[1_001, 2 ** 30 + 1, MAX_DELAY, MAX_DELAY + 1, 1e300, Number.NaN, -Infinity, Infinity],
      ...[[], {}, [Error], [Error, 1], Error, TypeError, new Error('given'), () => 0],
      ...[{ threshold: 10, ratio: 0.5 }, { threshold: 0, ratio: 1 }, { ratio: 0.5 }, new Number(1)],
    ),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 12 }) },
);

/** Option keys no factory knows (their value is anything). */
export const unknownKeyArb = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((key) => !factories.some((f) => key in f.options));

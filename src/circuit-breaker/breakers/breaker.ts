/**
 * Why a breaker opened.
 *
 * @example
 * ```ts
 * breaker.onBreak(({ reason }) => {
 *   const slow: BreakReason = 'slow-call-ratio';
 *   if (reason === slow) log.warn('opened on latency, not errors');
 * });
 * ```
 */
export type BreakReason = 'consecutive' | 'failure-ratio' | 'slow-call-ratio' | 'half-open-failure';

/**
 * What a window holds now: the counts behind {@link CircuitMetrics}.
 *
 * @example
 * ```ts
 * const { calls, failures, slowCalls }: WindowCounts = breaker.metrics();
 * log.info(`${failures} failed and ${slowCalls} slow of ${calls}`);
 * ```
 */
export interface WindowCounts {
  /** Calls counted (for `consecutive`: the current run of failures). */
  readonly calls: number;
  /** Failed calls counted. */
  readonly failures: number;
  /** Slow calls counted (0 unless the breaker has `slowCall`). */
  readonly slowCalls: number;
}

/**
 * A window's state as plain JSON, inside a breaker snapshot.
 *
 * @example
 * ```ts
 * const window: WindowSnapshot = breaker.snapshot().window;
 * if (window.kind === 'consecutive') log.info(`${window.failures} failures in a row`);
 * ```
 */
export type WindowSnapshot =
  | {
      /** Made by `consecutive(n)`. */
      readonly kind: 'consecutive';
      /** The current run of failures. */
      readonly failures: number;
    }
  | {
      /** Made by `countWindow({...})`. */
      readonly kind: 'count';
      /** The window's size in calls. */
      readonly size: number;
      /** Oldest first; each 0 ok, 1 failed, 2 slow, 3 slow and failed. */
      readonly outcomes: readonly number[];
    }
  | {
      /** Made by `timeWindow({...})`. */
      readonly kind: 'time';
      /** The window's length in ms. */
      readonly duration: number;
      /** Oldest first, the newest is the bucket the snapshot was taken in: [calls, failures, slow]. */
      readonly buckets: readonly (readonly [number, number, number])[];
    };

/**
 * The counting state of one circuit breaker: what decides to open. Every method is O(1) per
 * call whatever the window's size. @internal
 */
export interface Window {
  /** Whether `record` and `counts` need the current time. */
  readonly timed: boolean;
  /** Counts one call; returns why the breaker should open now, if it should. */
  record(failed: boolean, slow: boolean, now: number): BreakReason | undefined;
  counts(now: number): WindowCounts;
  /** Forgets every call. */
  reset(): void;
  snapshot(now: number): WindowSnapshot;
  /**
   * Loads `data` (already checked to be an object) taken `elapsed` ms ago. Returns an error
   * message naming the bad field, or undefined when loaded.
   */
  restore(data: Record<string, unknown>, elapsed: number, now: number): string | undefined;
}

/**
 * Which breaker decides when to open: `consecutive(n)`, `countWindow({...})` or
 * `timeWindow({...})`. A value: one spec may configure many circuit breakers, each counting
 * on its own. Only those three make one (a hand-written object is refused).
 *
 * @example
 * ```ts
 * const spec: Breaker = countWindow({ size: 100, failureRatio: 0.5 });
 * const payments = circuitBreaker({ breaker: spec });
 * const shipping = circuitBreaker({ breaker: spec }); // counts its own calls
 * ```
 */
export interface Breaker {
  /** Which window it keeps (the `kind` of its snapshots). */
  readonly kind: WindowSnapshot['kind'];
  /** e.g. `'countWindow(size 100)'`, for messages. */
  readonly description: string;
  /** True for window breakers, which can also count slow calls. */
  readonly ratios: boolean;
  /** A fresh window; `slowRatio` set when the circuit breaker counts slow calls. @internal */
  create(slowRatio: number | undefined): Window;
}

const BREAKER = Symbol.for('breakwater.breaker');

/** Marks a spec as made by `consecutive`/`countWindow`/`timeWindow`. @internal */
export function breakerSpec(spec: Breaker): Breaker {
  return Object.freeze(Object.defineProperty(spec, BREAKER, { value: true }));
}

/** True for a spec made by this or another copy of breakwater. @internal */
export function isBreaker(value: unknown): value is Breaker {
  return typeof value === 'object' && value !== null && BREAKER in value;
}

/** The ratio check both window breakers use, on their running totals. @internal */
export function ratioReason(
  calls: number,
  failures: number,
  slow: number,
  minThroughput: number,
  failureRatio: number,
  slowRatio: number | undefined,
): BreakReason | undefined {
  if (calls < minThroughput || calls === 0) return undefined;
  if (failures / calls >= failureRatio) return 'failure-ratio';
  if (slowRatio !== undefined && slow / calls >= slowRatio) return 'slow-call-ratio';
  return undefined;
}

/** Checks that snapshot field `key` of `data` is an integer in [0, max]. @internal */
export function countField(
  data: Record<string, unknown>,
  key: string,
  max: number,
): string | undefined {
  const v = data[key];
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max
    ? undefined
    : `window.${key} must be an integer >= 0 and <= ${max}, got ${JSON.stringify(v)}`;
}

import { checkNumber, checkOptions, given } from '../../core/validate.js';
import {
  type Breaker,
  type BreakReason,
  breakerSpec,
  ratioReason,
  type Window,
  type WindowCounts,
} from './breaker.js';

const FAILED = 1;
const SLOW = 2;

/**
 * Options of {@link countWindow}.
 *
 * @example
 * ```ts
 * const options: CountWindowOptions = { size: 20, failureRatio: 0.25, minThroughput: 10 };
 * circuitBreaker({ breaker: countWindow(options) });
 * ```
 */
export interface CountWindowOptions {
  /** How many of the latest calls are judged. @default 100 */
  readonly size?: number;
  /** Opens when `failures / calls >= failureRatio`, a number in (0, 1]. @default 0.5 */
  readonly failureRatio?: number;
  /** No judgement until the window holds this many calls, 1..size. @default size */
  readonly minThroughput?: number;
}

/** The last `size` calls in a ring buffer, with running totals: O(1) per call. */
class CountWindow implements Window {
  readonly timed = false;
  private readonly ring: Uint8Array;
  private next = 0;
  private calls = 0;
  private failures = 0;
  private slow = 0;

  constructor(
    private readonly size: number,
    private readonly failureRatio: number,
    private readonly minThroughput: number,
    private readonly slowRatio: number | undefined,
  ) {
    this.ring = new Uint8Array(size);
  }

  record(failed: boolean, slow: boolean): BreakReason | undefined {
    this.push((failed ? FAILED : 0) | (slow ? SLOW : 0));
    return ratioReason(
      this.calls,
      this.failures,
      this.slow,
      this.minThroughput,
      this.failureRatio,
      this.slowRatio,
    );
  }

  private push(code: number): void {
    if (this.calls === this.size) {
      const old = this.ring[this.next]!;
      this.failures -= old & FAILED;
      this.slow -= (old & SLOW) >> 1;
    } else {
      this.calls++;
    }
    this.ring[this.next] = code;
    this.failures += code & FAILED;
    this.slow += (code & SLOW) >> 1;
    this.next = this.next + 1 === this.size ? 0 : this.next + 1;
  }

  counts(): WindowCounts {
    return { calls: this.calls, failures: this.failures, slowCalls: this.slow };
  }
  reset(): void {
    this.next = this.calls = this.failures = this.slow = 0;
  }
  snapshot() {
    const outcomes: number[] = [];
    const start = this.calls === this.size ? this.next : 0;
    for (let i = 0; i < this.calls; i++) outcomes.push(this.ring[(start + i) % this.size]!);
    return { kind: 'count', size: this.size, outcomes } as const;
  }
  restore(data: Record<string, unknown>): string | undefined {
    if (data.size !== this.size) {
      return `window.size must be ${this.size} (this breaker's), got ${JSON.stringify(data.size)}`;
    }
    const outcomes = data.outcomes;
    if (!Array.isArray(outcomes) || outcomes.length > this.size) {
      return `window.outcomes must be an array of at most ${this.size} codes`;
    }
    const bad = outcomes.findIndex((c) => c !== 0 && c !== 1 && c !== 2 && c !== 3);
    if (bad !== -1) return `window.outcomes[${bad}] must be 0, 1, 2 or 3`;
    this.reset();
    for (const code of outcomes as number[]) this.push(code);
    return undefined;
  }
}

/**
 * Judges the last `size` calls: opens when at least `minThroughput` calls are in the window
 * and `failures / calls >= failureRatio` (or, with `slowCall`, the slow ones reach their
 * ratio). Right for services with steady traffic; O(1) per call however large `size` is.
 *
 * @throws RangeError/TypeError for a bad option, naming it.
 * @example
 * ```ts
 * const breaker = circuitBreaker({
 *   breaker: countWindow({ size: 50, failureRatio: 0.3, minThroughput: 20 }),
 *   halfOpenAfter: 5_000,
 * });
 * ```
 */
export function countWindow(options: CountWindowOptions = {}): Breaker {
  const o = checkOptions('countWindow', options, ['size', 'failureRatio', 'minThroughput']);
  const size = checkNumber('countWindow', 'size', given(o.size, 100), {
    integer: true,
    min: 1,
    max: 2 ** 30,
  });
  const ratio = checkNumber('countWindow', 'failureRatio', given(o.failureRatio, 0.5), {
    above: 0,
    max: 1,
  });
  const min = checkNumber('countWindow', 'minThroughput', given(o.minThroughput, size), {
    integer: true,
    min: 1,
    max: size,
  });
  return breakerSpec({
    kind: 'count',
    description: `countWindow(size ${size})`,
    ratios: true,
    create: (slowRatio) => new CountWindow(size, ratio, min, slowRatio),
  });
}

import { checkNumber, checkOptions, given, MAX_DELAY } from '../../core/validate.js';
import {
  type Breaker,
  type BreakReason,
  breakerSpec,
  ratioReason,
  type Window,
  type WindowCounts,
} from './breaker.js';

/**
 * Options of {@link timeWindow}.
 *
 * @example
 * ```ts
 * const options: TimeWindowOptions = { duration: 60_000, buckets: 12, minThroughput: 50 };
 * circuitBreaker({ breaker: timeWindow(options) });
 * ```
 */
export interface TimeWindowOptions {
  /** How many ms of calls are judged. @default 30_000 */
  readonly duration?: number;
  /** How many buckets the duration is cut into; the window slides a bucket at a time. @default 10 */
  readonly buckets?: number;
  /** Opens when `failures / calls >= failureRatio`, a number in (0, 1]. @default 0.5 */
  readonly failureRatio?: number;
  /** No judgement until the window holds this many calls. @default 100 */
  readonly minThroughput?: number;
}

/**
 * Calls of the last `duration` ms, in `buckets` buckets on the clock, with running totals.
 * A call costs O(1): at most `buckets` buckets are emptied when the clock has moved on,
 * however many calls they held.
 */
class TimeWindow implements Window {
  readonly timed = true;
  private readonly width: number;
  private readonly calls: Uint32Array;
  private readonly failures: Uint32Array;
  private readonly slow: Uint32Array;
  /** Bucket number (time / width) of the newest bucket. */
  private head = Number.NEGATIVE_INFINITY;
  /** Its slot, and the time it ends: until then a call needs no division to find its bucket. */
  private headSlot = 0;
  private headEnd = Number.NEGATIVE_INFINITY;
  private totalCalls = 0;
  private totalFailures = 0;
  private totalSlow = 0;

  constructor(
    private readonly duration: number,
    private readonly buckets: number,
    private readonly failureRatio: number,
    private readonly minThroughput: number,
    private readonly slowRatio: number | undefined,
  ) {
    this.width = duration / buckets;
    this.calls = new Uint32Array(buckets);
    this.failures = new Uint32Array(buckets);
    this.slow = new Uint32Array(buckets);
  }

  private slot(bucket: number): number {
    return ((bucket % this.buckets) + this.buckets) % this.buckets;
  }

  /** Moves the window to the bucket of `now`, emptying the buckets that fell out. */
  private advance(now: number): number {
    if (now < this.headEnd) return this.headSlot;
    const bucket = Math.floor(now / this.width);
    if (bucket <= this.head) return this.headSlot;
    if (bucket - this.head >= this.buckets) {
      this.reset();
    } else {
      for (let b = this.head + 1; b <= bucket; b++) {
        const s = this.slot(b);
        this.totalCalls -= this.calls[s]!;
        this.totalFailures -= this.failures[s]!;
        this.totalSlow -= this.slow[s]!;
        this.calls[s] = this.failures[s] = this.slow[s] = 0;
      }
    }
    this.moveHead(bucket);
    return this.headSlot;
  }

  private moveHead(bucket: number): void {
    this.head = bucket;
    this.headSlot = this.slot(bucket);
    this.headEnd = (bucket + 1) * this.width;
  }

  record(failed: boolean, slow: boolean, now: number): BreakReason | undefined {
    this.add(this.advance(now), 1, failed ? 1 : 0, slow ? 1 : 0);
    return ratioReason(
      this.totalCalls,
      this.totalFailures,
      this.totalSlow,
      this.minThroughput,
      this.failureRatio,
      this.slowRatio,
    );
  }

  private add(s: number, calls: number, failures: number, slow: number): void {
    this.calls[s]! += calls;
    this.failures[s]! += failures;
    this.slow[s]! += slow;
    this.totalCalls += calls;
    this.totalFailures += failures;
    this.totalSlow += slow;
  }

  counts(now: number): WindowCounts {
    this.advance(now);
    return { calls: this.totalCalls, failures: this.totalFailures, slowCalls: this.totalSlow };
  }
  reset(): void {
    this.calls.fill(0);
    this.failures.fill(0);
    this.slow.fill(0);
    this.totalCalls = this.totalFailures = this.totalSlow = 0;
  }
  snapshot(now: number) {
    const newest = this.advance(now);
    const buckets: [number, number, number][] = [];
    for (let i = 1; i <= this.buckets; i++) {
      const s = (newest + i) % this.buckets;
      buckets.push([this.calls[s]!, this.failures[s]!, this.slow[s]!]);
    }
    return { kind: 'time', duration: this.duration, buckets } as const;
  }
  restore(data: Record<string, unknown>, elapsed: number, now: number): string | undefined {
    if (data.duration !== this.duration) {
      return `window.duration must be ${this.duration} (this breaker's), got ${JSON.stringify(data.duration)}`;
    }
    const list = data.buckets;
    if (!Array.isArray(list) || list.length !== this.buckets) {
      return `window.buckets must be an array of ${this.buckets} [calls, failures, slow] triples`;
    }
    const bad = list.findIndex(
      (b) =>
        !Array.isArray(b) ||
        b.length !== 3 ||
        !b.every((n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32) ||
        b[1] > b[0] ||
        b[2] > b[0],
    );
    if (bad !== -1) {
      return `window.buckets[${bad}] must be [calls, failures, slow], integers with failures and slow <= calls`;
    }
    this.reset();
    // The newest bucket is the one the snapshot was taken in; older ones precede it.
    this.moveHead(Math.floor((now - elapsed) / this.width));
    list.forEach((b: number[], i) => {
      this.add(this.slot(this.head - (this.buckets - 1 - i)), b[0]!, b[1]!, b[2]!);
    });
    this.advance(now);
    return undefined;
  }
}

/**
 * Judges the calls of the last `duration` ms: opens when at least `minThroughput` calls fell
 * in the window and `failures / calls >= failureRatio` (or, with `slowCall`, the slow ones
 * reach their ratio). Right for bursty traffic, where "the last n calls" could be hours old.
 * The window slides one bucket (`duration / buckets` ms) at a time.
 *
 * @throws RangeError/TypeError for a bad option, naming it.
 * @example
 * ```ts
 * const breaker = circuitBreaker({
 *   breaker: timeWindow({ duration: 10_000, buckets: 10, failureRatio: 0.5, minThroughput: 20 }),
 *   halfOpenAfter: 5_000,
 * });
 * ```
 */
export function timeWindow(options: TimeWindowOptions = {}): Breaker {
  const o = checkOptions('timeWindow', options, [
    'duration',
    'buckets',
    'failureRatio',
    'minThroughput',
  ]);
  const duration = checkNumber('timeWindow', 'duration', given(o.duration, 30_000), {
    above: 0,
    max: MAX_DELAY,
  });
  const buckets = checkNumber('timeWindow', 'buckets', given(o.buckets, 10), {
    integer: true,
    min: 1,
    max: 1_000,
  });
  const ratio = checkNumber('timeWindow', 'failureRatio', given(o.failureRatio, 0.5), {
    above: 0,
    max: 1,
  });
  const min = checkNumber('timeWindow', 'minThroughput', given(o.minThroughput, 100), {
    integer: true,
    min: 1,
  });
  return breakerSpec({
    kind: 'time',
    description: `timeWindow(duration ${duration}, buckets ${buckets})`,
    ratios: true,
    create: (slowRatio) => new TimeWindow(duration, buckets, ratio, min, slowRatio),
  });
}

import type { Clock, Timer } from '../core/clock.js';
import { checkNumber } from '../core/validate.js';

class VirtualTimer implements Timer {
  active = true;
  constructor(
    private readonly clock: VirtualClock,
    readonly deadline: number,
    readonly seq: number,
    readonly callback: (arg: unknown) => void,
    readonly arg: unknown,
  ) {}

  cancel(): void {
    if (this.active) {
      this.active = false;
      this.clock.release();
    }
  }
}

/** Earlier deadline first; equal deadlines in the order they were set. */
function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

/** Lets every pending promise callback run: one macrotask boundary (no time passes). */
const macrotask: () => Promise<void> = (() => {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return () => new Promise<void>((resolve) => void setImmediate(resolve));
  }
  if (typeof MessageChannel === 'function') {
    return () =>
      new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(undefined);
      });
  }
  return () => new Promise<void>((resolve) => void setTimeout(resolve, 0));
})();

/**
 * A clock whose time moves only when told, for tests that never sleep. Timers fire in
 * deadline order (equal deadlines in the order they were set), each at its own time, and
 * promise callbacks run between two timers, so async code behaves as it would in real time.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const never = new Promise<never>(() => {});
 * const call = timeout({ after: 1_000, mode: 'aggressive', clock }).execute(() => never);
 * const settled = expect(call).rejects.toThrow(TimeoutError); // observe it before time moves
 * await clock.advance(1_000);
 * await settled;
 * expect(clock.pending()).toBe(0);
 * ```
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private live = 0;
  /** Binary min-heap; cancelled timers are dropped lazily when they reach the top. */
  private heap: VirtualTimer[] = [];

  /**
   * @param start - the initial `now()`, ms. @default 0
   * @throws TypeError/RangeError when `start` is not a finite number.
   */
  constructor(start = 0) {
    this.time = checkNumber('VirtualClock', 'start', start, {});
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: (arg: unknown) => void, ms: number, arg?: unknown): Timer {
    // biome-ignore lint/complexity/useMathMinMax: the ternary also maps NaN to 0.
    const delay = ms > 0 ? ms : 0;
    const timer = new VirtualTimer(this, this.time + delay, this.seq++, callback, arg);
    this.push(timer);
    this.live++;
    return timer;
  }

  /** How many timers are scheduled and not yet fired or cancelled. */
  pending(): number {
    return this.live;
  }

  /** The deadline of the next timer to fire, or `undefined` when none is pending. */
  nextDeadline(): number | undefined {
    return this.peek()?.deadline;
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way, each at its deadline.
   *
   * @throws TypeError/RangeError when `ms` is not a number >= 0.
   * @example
   * ```ts
   * const clock = new VirtualClock();
   * const slept = retry({ maxAttempts: 2, backoff: constant(500), clock }).execute(flaky);
   * await clock.advance(500); // the retry starts now, no real time passes
   * await slept;
   * ```
   */
  async advance(ms: number): Promise<void> {
    checkNumber('VirtualClock.advance', 'ms', ms, { min: 0 });
    await this.advanceTo(this.time + ms);
  }

  /**
   * Moves time to `time` (not backwards), firing every timer due on the way.
   *
   * @throws TypeError/RangeError when `time` is before `now()`.
   */
  async advanceTo(time: number): Promise<void> {
    checkNumber('VirtualClock.advanceTo', 'time', time, { min: this.time });
    await macrotask();
    for (
      let timer = this.peek();
      timer !== undefined && timer.deadline <= time;
      timer = this.peek()
    ) {
      this.fire(timer);
      await macrotask();
    }
    this.time = time;
  }

  /** Fires the next timer (moving time to its deadline); false when none is pending. */
  async next(): Promise<boolean> {
    await macrotask();
    const timer = this.peek();
    if (timer === undefined) return false;
    this.fire(timer);
    await macrotask();
    return true;
  }

  /**
   * Fires timers in order until none is pending, including those set meanwhile.
   *
   * @param limit - most timers to fire before giving up with an Error (a timer that re-arms
   *   itself forever). @default 10_000
   * @throws Error when `limit` timers fired and more are pending.
   * @example
   * ```ts
   * const call = injectLatency({ delay: 60_000, clock }).execute(() => 'late');
   * await clock.runAll(); // fires every timer, however far ahead
   * expect(await call).toBe('late');
   * ```
   */
  async runAll(limit = 10_000): Promise<void> {
    checkNumber('VirtualClock.runAll', 'limit', limit, { integer: true, min: 0 });
    await macrotask();
    for (let fired = 0; this.peek() !== undefined; fired++) {
      if (fired === limit) {
        throw new Error(
          `VirtualClock.runAll: ${limit} timers fired and more are pending; does a timer re-arm itself forever?`,
        );
      }
      await this.next();
    }
  }

  /** Lets pending promise callbacks run without moving time. */
  flush(): Promise<void> {
    return macrotask();
  }

  /** @internal a timer was cancelled. */
  release(): void {
    this.live--;
  }

  private fire(timer: VirtualTimer): void {
    this.pop();
    timer.active = false;
    this.live--;
    if (timer.deadline > this.time) this.time = timer.deadline;
    timer.callback(timer.arg);
  }

  private peek(): VirtualTimer | undefined {
    const heap = this.heap;
    while (heap.length > 0 && !heap[0]!.active) this.pop();
    return heap[0];
  }

  private push(timer: VirtualTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < heap.length && before(heap[l]!, heap[min]!)) min = l;
      if (r < heap.length && before(heap[r]!, heap[min]!)) min = r;
      if (min === i) break;
      [heap[i], heap[min]] = [heap[min]!, heap[i]!];
      i = min;
    }
  }
}

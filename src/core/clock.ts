/**
 * A handle to a scheduled callback. `cancel()` is idempotent and O(1).
 */
export interface Timer {
  cancel(): void;
}

/**
 * The source of time for every policy. Inject one to control time: `VirtualClock` from
 * `breakwater/testing` moves only when told, so tests never sleep in real time.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const policy = timeout({ after: 1_000, clock });
 * ```
 */
export interface Clock {
  /** Milliseconds on a monotonic scale; only differences between two readings are meaningful. */
  now(): number;
  /**
   * Runs `callback(arg)` once, `ms` milliseconds from now (0 or less means "as soon as
   * timers run"), unless the returned timer is cancelled first. Passing `arg` lets a caller
   * schedule a shared callback without allocating a closure per timer.
   */
  setTimer<A>(callback: (arg: A) => void, ms: number, arg: A): Timer;
  setTimer(callback: () => void, ms: number): Timer;
}

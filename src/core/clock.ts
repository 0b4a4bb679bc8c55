/**
 * A handle to a scheduled callback. `cancel()` is idempotent and O(1).
 *
 * @example
 * ```ts
 * const timer: Timer = clock.setTimer(() => log.info('fired'), 1_000);
 * timer.cancel(); // it never fires
 * ```
 */
export interface Timer {
  /** Stops the callback from running, if it has not run yet. Calling it again does nothing. */
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
  /** Runs `callback()` once, `ms` milliseconds from now, unless the timer is cancelled first. */
  setTimer(callback: () => void, ms: number): Timer;
}

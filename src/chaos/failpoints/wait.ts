import type { Clock, Timer } from '../../core/clock.js';

/**
 * Resolves after `ms` on `clock`, or rejects with `signal.reason` as soon as `signal` aborts
 * (at once if it already has). Either way the timer is cancelled and the listener removed.
 * @internal
 */
export function wait(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => void clock.setTimer(resolve, ms));
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let timer: Timer | undefined;
    const onAbort = (): void => {
      timer?.cancel();
      reject(signal.reason);
    };
    timer = clock.setTimer(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

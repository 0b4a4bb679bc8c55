import type { Clock, Timer } from './clock.js';
import type { CallContext } from './context.js';
import { unwatchSignal, watchSignal } from './signal-watchers.js';

/**
 * Waits `ms` on `clock`. Ends at once when the call `ctx` aborts, rejecting with its reason;
 * either way the timer is cancelled and the watcher removed, so nothing is left behind.
 */
export function sleep(clock: Clock, ms: number, ctx: CallContext): Promise<void> {
  if (ctx.aborted) return Promise.reject(ctx.reason);
  return new Promise<void>((resolve, reject) => {
    const watcher = {
      timer: undefined as Timer | undefined,
      handleEvent(): void {
        watcher.timer?.cancel();
        reject(ctx.reason);
      },
    };
    watcher.timer = clock.setTimer(() => {
      ctx.unwatch(watcher);
      resolve();
    }, ms);
    ctx.watch(watcher);
  });
}

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts,
 * whichever comes first. The listener is removed when `promise` settles, and a late
 * rejection of `promise` is observed so it never surfaces as unhandled.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.then(undefined, noop);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const watcher = { handleEvent: (): void => reject(signal.reason) };
    watchSignal(signal, watcher);
    promise.then(
      (value) => {
        unwatchSignal(signal, watcher);
        resolve(value);
      },
      (error: unknown) => {
        unwatchSignal(signal, watcher);
        reject(error);
      },
    );
  });
}

/** True when `value` looks like an AbortSignal (works across realms and polyfills). */
export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function' &&
    typeof (value as AbortSignal).removeEventListener === 'function'
  );
}

export function noop(): void {}

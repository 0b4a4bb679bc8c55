import { reportError } from './report-error.js';

/**
 * Stops a listener from being called again. Calling it more than once does nothing.
 *
 * @example
 * ```ts
 * const stop: Disposer = breaker.onBreak(() => alerts.page('payments breaker open'));
 * stop();
 * ```
 */
export type Disposer = () => void;

/**
 * A typed event: call it with a listener to subscribe; it returns the disposer.
 *
 * @example
 * ```ts
 * const stop = policy.onRetry(({ attempt, delay }) => log(attempt, delay));
 * stop(); // unsubscribes
 * ```
 */
export type Event<T> = (listener: (event: T) => void) => Disposer;

interface Registration<T> {
  readonly listener: (event: T) => void;
}

/**
 * Holds the listeners of one event. Emitting with no listener costs one length check, so
 * policies test `has` before building a payload. Listener errors are reported (see
 * `reportError`) and never reach the call that emitted.
 */
export class Emitter<T> {
  /** Copied on write, so a listener may subscribe or unsubscribe while an emit runs. */
  private registrations: readonly Registration<T>[] = [];

  /** The public subscribe function, as exposed on a policy (`policy.onRetry`). */
  readonly event: Event<T> = (listener) => {
    if (typeof listener !== 'function') {
      throw new TypeError(`event listener must be a function, got ${typeof listener}`);
    }
    const registration: Registration<T> = { listener };
    this.registrations = [...this.registrations, registration];
    return () => {
      this.registrations = this.registrations.filter((r) => r !== registration);
    };
  };

  /** True when at least one listener is subscribed. */
  get has(): boolean {
    return this.registrations.length !== 0;
  }

  /** Calls every listener with `event` (frozen first), isolating listener errors. */
  emit(event: T): void {
    const registrations = this.registrations;
    if (registrations.length === 0) return;
    Object.freeze(event);
    for (const { listener } of registrations) {
      try {
        listener(event);
      } catch (error) {
        reportError(error);
      }
    }
  }
}

import type { Timer } from '../core/clock.js';
import type { CallContext } from '../core/context.js';
import type { TimeoutError } from './timeout-error.js';

/**
 * The context of one call under a timeout. Its AbortController is created only when
 * someone reads `signal`; it aborts at the deadline, or when the parent's signal aborts (so
 * nested timeouts abort at the earliest deadline).
 */
export class TimeoutContext implements CallContext {
  private controller: AbortController | undefined = undefined;
  private linked: AbortSignal | undefined = undefined;
  /** Set at the deadline; the call then rejects with it. */
  error: TimeoutError | undefined = undefined;
  timer: Timer | undefined = undefined;
  /** Aggressive mode only: rejects the call at the deadline. */
  reject: ((error: unknown) => void) | undefined = undefined;

  constructor(private readonly parent: CallContext) {}

  get attempt(): number {
    return this.parent.attempt;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      const controller = new AbortController();
      this.controller = controller;
      if (this.error !== undefined) {
        controller.abort(this.error);
      } else {
        const parentSignal = this.parent.abortSignal;
        if (parentSignal?.aborted) controller.abort(parentSignal.reason);
        else if (parentSignal !== undefined && this.timer !== undefined) {
          // `this` is the listener (handleEvent): no closure per call.
          parentSignal.addEventListener('abort', this, { once: true });
          this.linked = parentSignal;
        }
      }
    }
    return this.controller.signal;
  }

  get abortSignal(): AbortSignal {
    return this.signal;
  }

  /** The parent's signal aborted: pass its reason on. */
  handleEvent(): void {
    this.linked = undefined;
    this.controller?.abort(this.parent.abortSignal?.reason);
  }

  /** The deadline passed. */
  expire(error: TimeoutError): void {
    this.error = error;
    this.timer = undefined;
    this.unlink();
    this.controller?.abort(error);
    this.reject?.(error);
  }

  /** The call settled: cancel the timer and drop the parent listener. Never aborts. */
  dispose(): void {
    if (this.timer !== undefined) {
      this.timer.cancel();
      this.timer = undefined;
    }
    this.unlink();
  }

  private unlink(): void {
    if (this.linked !== undefined) {
      this.linked.removeEventListener('abort', this);
      this.linked = undefined;
    }
  }
}

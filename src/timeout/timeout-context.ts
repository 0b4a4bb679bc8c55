import type { Timer } from '../core/clock.js';
import type { AbortWatcher, CallContext } from '../core/context.js';
import { reportError } from '../core/report-error.js';
import type { TimeoutError } from './timeout-error.js';

/**
 * The context of one call under a timeout. It aborts at the deadline or when its parent
 * aborts (the caller, or an enclosing timeout: nested timeouts abort at the earliest
 * deadline), whichever comes first; then it cancels its timer, aborts its signal if one was
 * made (only when the task read `ctx.signal`) and tells its watchers (inner policies).
 */
export class TimeoutContext implements CallContext, AbortWatcher {
  aborted = false;
  reason: unknown = undefined;
  /** Set when the deadline passed (not when the parent aborted). */
  error: TimeoutError | undefined = undefined;
  timer: Timer | undefined = undefined;
  /** Aggressive mode only: rejects the call at once when this context aborts. */
  reject: ((error: unknown) => void) | undefined = undefined;
  private controller: AbortController | undefined = undefined;
  private watchers: AbortWatcher[] | undefined = undefined;
  private linked = false;

  constructor(private readonly parent: CallContext) {}

  get attempt(): number {
    return this.parent.attempt;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Starts following the parent's abort (call after setting the timer). */
  link(): void {
    this.linked = this.parent.watch(this);
  }

  /** The parent aborted: this call is aborted with the same reason. */
  handleEvent(): void {
    this.linked = false;
    this.abort(this.parent.reason);
  }

  /** The deadline passed. */
  expire(error: TimeoutError): void {
    this.timer = undefined;
    this.error = error;
    this.abort(error);
  }

  watch(watcher: AbortWatcher): boolean {
    if (this.aborted) return false;
    if (this.watchers === undefined) this.watchers = [watcher];
    else this.watchers.push(watcher);
    return true;
  }

  unwatch(watcher: AbortWatcher): void {
    const i = this.watchers?.indexOf(watcher) ?? -1;
    if (i >= 0) this.watchers!.splice(i, 1);
  }

  /** The call settled (or, in aggressive mode, was rejected): drop the timer and the link. */
  dispose(): void {
    if (this.timer !== undefined) {
      this.timer.cancel();
      this.timer = undefined;
    }
    if (this.linked) {
      this.linked = false;
      this.parent.unwatch(this);
    }
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    this.controller?.abort(reason);
    const watchers = this.watchers;
    this.watchers = undefined;
    if (watchers !== undefined) {
      for (const watcher of watchers) {
        try {
          watcher.handleEvent();
        } catch (error) {
          reportError(error);
        }
      }
    }
    this.reject?.(reason);
  }
}

import { unwatchSignal, watchSignal } from './signal-watchers.js';

/**
 * What a policy passes to the function it runs.
 *
 * @example
 * ```ts
 * await policy.execute(({ signal, attempt }) => fetch(url, { signal }));
 * ```
 */
export interface ExecuteContext {
  /** Aborted when the caller aborts or a timeout fires; its `reason` says which. */
  readonly signal: AbortSignal;
  /** 1 for the first call, 2 for the first retry, and so on. */
  readonly attempt: number;
}

/** Told once when a call aborts. Shaped like a DOM EventListenerObject, so one object serves both. */
export interface AbortWatcher {
  handleEvent(): void;
}

/**
 * The context policies hand to each other. Besides the public fields it answers "is this
 * call aborted, and why?" and lets a policy watch for the abort, all without creating an
 * AbortSignal: a signal is made only when the task reads `signal`.
 *
 * @internal
 */
export interface CallContext extends ExecuteContext {
  /** True once the caller or an enclosing timeout has aborted this call. */
  readonly aborted: boolean;
  /** Why it was aborted; meaningful once `aborted`. */
  readonly reason: unknown;
  /**
   * Calls `watcher.handleEvent()` once, when this call aborts. Returns false, registering
   * nothing, when nothing can abort it or it is aborted already (check `aborted` first).
   */
  watch(watcher: AbortWatcher): boolean;
  /** Undoes `watch`; does nothing when the watcher is not registered. */
  unwatch(watcher: AbortWatcher): void;
}

/** The outermost context of a call made with the caller's `signal`: that signal and attempt 1. */
export class RootContext implements CallContext {
  constructor(readonly signal: AbortSignal) {}

  get attempt(): number {
    return 1;
  }
  get aborted(): boolean {
    return this.signal.aborted;
  }
  get reason(): unknown {
    return this.signal.reason;
  }
  watch(watcher: AbortWatcher): boolean {
    if (this.signal.aborted) return false;
    watchSignal(this.signal, watcher);
    return true;
  }
  unwatch(watcher: AbortWatcher): void {
    unwatchSignal(this.signal, watcher);
  }
}

/**
 * The outermost context of every call made without a signal, shared (nothing about it is
 * per call). Nothing can abort such a call, so `signal` is a fresh, never-aborted signal,
 * made only when read: no AbortController per call, and listeners added to it are collected
 * with it.
 */
export const UNSIGNALLED: CallContext = Object.freeze({
  attempt: 1,
  aborted: false,
  reason: undefined,
  get signal(): AbortSignal {
    return new AbortController().signal;
  },
  watch: (): boolean => false,
  unwatch: (): void => {},
});

/**
 * The context of a call made with `signal` (or with none): what waits outside a policy (a
 * failpoint's delay, say) pass to `sleep`, so they share the signal's one abort listener.
 */
export function signalContext(signal: AbortSignal | undefined): CallContext {
  return signal === undefined ? UNSIGNALLED : new RootContext(signal);
}

/** Same abort state as its parent, its own attempt number (used by retry). */
export class AttemptContext implements CallContext {
  constructor(
    private readonly parent: CallContext,
    readonly attempt: number,
  ) {}

  get signal(): AbortSignal {
    return this.parent.signal;
  }
  get aborted(): boolean {
    return this.parent.aborted;
  }
  get reason(): unknown {
    return this.parent.reason;
  }
  watch(watcher: AbortWatcher): boolean {
    return this.parent.watch(watcher);
  }
  unwatch(watcher: AbortWatcher): void {
    this.parent.unwatch(watcher);
  }
}

/** The context of attempt `attempt` under `parent`: `parent` itself when the numbers agree. */
export function attemptContext(parent: CallContext, attempt: number): CallContext {
  return parent.attempt === attempt ? parent : new AttemptContext(parent, attempt);
}

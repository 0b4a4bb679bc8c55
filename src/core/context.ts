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

/**
 * The context policies hand to each other. Besides the public fields it tells whether the
 * call can be aborted at all, without creating a signal when nothing can abort it.
 *
 * @internal
 */
export interface CallContext extends ExecuteContext {
  /**
   * The signal that aborts this call, or `undefined` when nothing can. Reading it may create
   * an AbortController (a timeout's), so policies read it only off the success path.
   */
  readonly abortSignal: AbortSignal | undefined;
}

/**
 * The outermost context of a call made with the caller's `signal`: that signal and attempt 1.
 */
export class RootContext implements CallContext {
  constructor(readonly abortSignal: AbortSignal) {}

  get attempt(): number {
    return 1;
  }

  get signal(): AbortSignal {
    return this.abortSignal;
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
  abortSignal: undefined,
  get signal(): AbortSignal {
    return new AbortController().signal;
  },
});

/** Same signal as its parent, its own attempt number (used by retry). */
export class AttemptContext implements CallContext {
  constructor(
    private readonly parent: CallContext,
    readonly attempt: number,
  ) {}

  get signal(): AbortSignal {
    return this.parent.signal;
  }

  get abortSignal(): AbortSignal | undefined {
    return this.parent.abortSignal;
  }
}

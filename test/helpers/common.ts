/**
 * Shared test helpers. Imported by unit and property tests: keep the exports and their
 * behaviour stable (add new helpers rather than changing these).
 */
import { VirtualClock } from '../../src/testing/index.js';

/** A promise with its settle functions exposed. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T | PromiseLike<T>) => void;
  readonly reject: (reason: unknown) => void;
}

/** Creates a promise that the test settles by hand. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A promise that never settles (a task that hangs and ignores its signal). */
export function never<T = never>(): Promise<T> {
  return new Promise<T>(() => {});
}

/**
 * A promise that rejects with `signal.reason` once `signal` aborts and never resolves: the
 * body of a task that hangs but honours `ctx.signal`. Rejects at once if already aborted.
 */
export function untilAborted<T = never>(signal: AbortSignal): Promise<T> {
  return new Promise<T>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Where a promise stands. */
export type SettleState = 'pending' | 'resolved' | 'rejected';

/** Where a promise stands, with its value or reason once settled. */
export type Settled<T> =
  | { readonly state: 'pending' }
  | { readonly state: 'resolved'; readonly value: T }
  | { readonly state: 'rejected'; readonly reason: unknown };

/** Anything that can let pending promise callbacks run (a `VirtualClock`). */
export interface Flushable {
  flush(): Promise<void>;
}

const defaultFlusher: Flushable = new VirtualClock();

/**
 * Lets pending promise callbacks run (`clock.flush()`, no time passes), then tells whether
 * `promise` is pending, resolved or rejected, with its value or reason. Attaches handlers
 * when called, so call it (or {@link track}) before the promise may reject: a rejection that
 * happened during an earlier `clock.advance()` with no handler is already reported unhandled.
 */
export async function inspect<T>(
  promise: PromiseLike<T>,
  clock: Flushable = defaultFlusher,
): Promise<Settled<T>> {
  let result: Settled<T> = { state: 'pending' };
  Promise.resolve(promise).then(
    (value) => {
      result = { state: 'resolved', value };
    },
    (reason: unknown) => {
      result = { state: 'rejected', reason };
    },
  );
  await clock.flush();
  return result;
}

/** Like {@link inspect}, but only the state: `'pending' | 'resolved' | 'rejected'`. */
export async function settleState(
  promise: PromiseLike<unknown>,
  clock: Flushable = defaultFlusher,
): Promise<SettleState> {
  return (await inspect(promise, clock)).state;
}

/** A promise watched from the start, see {@link track}. */
export interface Tracked<T> {
  /** The promise given to `track` (handled, so awaiting it or `expect(...).rejects` is fine). */
  readonly promise: Promise<T>;
  /** Where it stands now, with its value or reason once settled. */
  readonly result: Settled<T>;
  /** Shorthand for `result.state`. */
  readonly state: SettleState;
}

/**
 * Attaches handlers to `promise` at once, so it may reject during a later `clock.advance()`
 * without an unhandled rejection, and exposes its state synchronously:
 * `const call = track(policy.execute(task)); await clock.advance(100); call.state`.
 */
export function track<T>(promise: Promise<T>): Tracked<T> {
  let result: Settled<T> = { state: 'pending' };
  promise.then(
    (value) => {
      result = { state: 'resolved', value };
    },
    (reason: unknown) => {
      result = { state: 'rejected', reason };
    },
  );
  return {
    promise,
    get result() {
      return result;
    },
    get state() {
      return result.state;
    },
  };
}

/** An AbortController whose signal counts its live `'abort'` listeners. */
export interface CountingSignal {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  /** Aborts the signal (with `reason`, if given). */
  abort(reason?: unknown): void;
  /** `'abort'` listeners currently registered (once-listeners drop out when they fire). */
  listeners(): number;
  /** `'abort'` listeners ever registered (duplicates ignored, as the DOM does). */
  added(): number;
}

type Listener = EventListenerOrEventListenerObject;

/**
 * Wraps an AbortController and patches `addEventListener`/`removeEventListener` on its signal
 * instance to count live `'abort'` listeners, so a test can assert that a policy leaves none
 * behind. Listeners are keyed like the DOM does (listener + capture flag); `once` listeners
 * are removed from the count when they fire.
 */
export function countingSignal(): CountingSignal {
  const controller = new AbortController();
  const signal = controller.signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  // listener -> capture flag -> the function actually registered
  const live = new Map<Listener, Map<boolean, Listener>>();
  let total = 0;
  const captureOf = (options: boolean | EventListenerOptions | undefined): boolean =>
    typeof options === 'boolean' ? options : options?.capture === true;

  const forget = (listener: Listener, capture: boolean): void => {
    const byCapture = live.get(listener);
    byCapture?.delete(capture);
    if (byCapture?.size === 0) live.delete(listener);
  };

  signal.addEventListener = (
    type: string,
    listener: Listener | null,
    options?: boolean | AddEventListenerOptions,
  ): void => {
    if (type !== 'abort' || listener === null) {
      add(type, listener as Listener, options);
      return;
    }
    const capture = captureOf(options);
    if (live.get(listener)?.has(capture)) return;
    const once = typeof options === 'object' && options.once === true;
    const registered: Listener = once
      ? function (this: AbortSignal, event: Event) {
          forget(listener, capture);
          if (typeof listener === 'function') listener.call(this, event);
          else listener.handleEvent(event);
        }
      : listener;
    const byCapture = live.get(listener) ?? new Map<boolean, Listener>();
    byCapture.set(capture, registered);
    live.set(listener, byCapture);
    total++;
    add(type, registered, options);
  };

  signal.removeEventListener = (
    type: string,
    listener: Listener | null,
    options?: boolean | EventListenerOptions,
  ): void => {
    if (type !== 'abort' || listener === null) {
      remove(type, listener as Listener, options);
      return;
    }
    const capture = captureOf(options);
    const registered = live.get(listener)?.get(capture);
    if (registered === undefined) return;
    forget(listener, capture);
    remove(type, registered, options);
  };

  return {
    controller,
    signal,
    abort: (reason?: unknown) => controller.abort(reason),
    listeners: () => {
      let n = 0;
      for (const byCapture of live.values()) n += byCapture.size;
      return n;
    },
    added: () => total,
  };
}

/**
 * Runs `fn` and returns what it threw; fails the test when it returns normally. Lets a test
 * assert an error's exact class and message: `expect(thrownBy(f).message).toBe('...')`.
 */
export function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`thrownBy: expected an Error to be thrown, got ${String(error)}`);
  }
  throw new Error('thrownBy: expected the function to throw, it returned');
}

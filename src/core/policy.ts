import { isAbortSignal, raceAbort } from './abort.js';
import { type CallContext, type ExecuteContext, RootContext, UNSIGNALLED } from './context.js';
import { describe } from './validate.js';

/**
 * The function a policy runs. It may return a value or a promise, or throw.
 *
 * @example
 * ```ts
 * const load: Task<Response> = ({ signal, attempt }) =>
 *   fetch(url, { signal, headers: { 'x-attempt': String(attempt) } });
 * const res = await retry().execute(load);
 * ```
 */
export type Task<T> = (ctx: ExecuteContext) => T | PromiseLike<T>;

/**
 * Per-call options of `execute`.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const call = policy.execute(({ signal }) => fetch(url, { signal }), { signal: controller.signal });
 * controller.abort(); // `call` rejects at once with the abort reason
 * ```
 */
export interface ExecuteOptions {
  /**
   * Cancels the call: when it aborts, `execute` rejects at once with `signal.reason`, no
   * further attempt or sleep starts, and `ctx.signal` inside the task aborts too.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A fault-handling policy. `Alt` is the type a fallback may answer with instead of the
 * task's own result (`never` for every other policy).
 *
 * @example
 * ```ts
 * function guarded(policy: Policy, url: string): Promise<Response> {
 *   return policy.execute(({ signal }) => fetch(url, { signal }));
 * }
 * await guarded(pipeline(retry(), timeout({ after: 2_000 })), 'https://example.test/');
 * ```
 */
export interface Policy<Alt = never> {
  /** Type-level only, never set: carries `Alt` so that `pipeline` can infer it. */
  readonly '~alt'?: Alt;
  /**
   * Runs `task` under this policy. Settles exactly once; leaves no timer or listener behind.
   *
   * @example
   * ```ts
   * const body = await policy.execute(({ signal }) => fetch(url, { signal }), { signal });
   * ```
   */
  execute<T>(task: Task<T>, options?: ExecuteOptions): Promise<T | Alt>;
  /**
   * Returns a function with `fn`'s parameters that runs `fn` under this policy.
   *
   * @throws TypeError when `fn` is not a function.
   * @example
   * ```ts
   * const getUser = policy.wrap((id: string) => db.users.find(id));
   * await getUser('42');
   * ```
   */
  wrap<A extends unknown[], T>(
    fn: (...args: A) => T | PromiseLike<T>,
  ): (...args: A) => Promise<T | Alt>;
}

/**
 * The inner part of a pipeline, as a linked list built once when the pipeline is built, so
 * running a call through it allocates no closure per layer.
 *
 * @internal
 */
export interface Chain {
  readonly policy: PolicyBase<unknown>;
  readonly next: Chain | undefined;
}

/** Runs the rest of the chain, or the task itself at the end of it. @internal */
export function runNext<T>(
  task: Task<T>,
  ctx: CallContext,
  next: Chain | undefined,
): T | PromiseLike<T> {
  return next === undefined ? task(ctx) : (next.policy.invoke(task, ctx, next.next) as Promise<T>);
}

/**
 * Runs the rest of the chain and always returns a native promise: a synchronous throw becomes
 * a rejection, a plain value or foreign thenable is adopted. Policies chain `.then` on it:
 * a derived promise costs about half of what an `async` wrapper does. @internal
 */
export function callNext<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
  let result: T | PromiseLike<T>;
  try {
    result = runNext(task, ctx, next);
  } catch (error) {
    return Promise.reject(error);
  }
  return asPromise(result);
}

/** `value` itself when it is a native promise, else a promise adopting it. @internal */
export function asPromise<T>(value: T | PromiseLike<T>): Promise<T> {
  return value instanceof Promise ? value : Promise.resolve(value);
}

/**
 * Base of every breakwater policy: `execute` and `wrap` are written once here; a policy
 * implements `invoke`.
 */
export abstract class PolicyBase<Alt = never> implements Policy<Alt> {
  /** Type-level only, never set: carries `Alt` so that `pipeline` can infer it. */
  declare readonly '~alt'?: Alt;

  /**
   * Runs one call: the policy's own logic around `runNext(task, ctx, next)`.
   *
   * @internal
   */
  abstract invoke<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T | Alt>;

  execute<T>(task: Task<T>, options?: ExecuteOptions): Promise<T | Alt> {
    if (typeof task !== 'function') {
      return Promise.reject(
        new TypeError(`execute: the task must be a function, got ${describe(task)}`),
      );
    }
    const signal = options?.signal;
    if (signal === undefined || signal === null) {
      return this.invoke(task, UNSIGNALLED, undefined);
    }
    if (!isAbortSignal(signal)) {
      return Promise.reject(
        new TypeError(`execute: \`signal\` must be an AbortSignal, got ${describe(signal)}`),
      );
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    return raceAbort(this.invoke(task, new RootContext(signal), undefined), signal);
  }

  wrap<A extends unknown[], T>(
    fn: (...args: A) => T | PromiseLike<T>,
  ): (...args: A) => Promise<T | Alt> {
    if (typeof fn !== 'function') {
      throw new TypeError(`wrap: \`fn\` must be a function, got ${describe(fn)}`);
    }
    return (...args: A) => this.invoke(() => fn(...args), UNSIGNALLED, undefined);
  }
}

/** True for a policy made by this or another copy of breakwater. @internal */
export function isPolicy(value: unknown): value is PolicyBase<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PolicyBase<unknown>).invoke === 'function' &&
    typeof (value as PolicyBase<unknown>).execute === 'function'
  );
}

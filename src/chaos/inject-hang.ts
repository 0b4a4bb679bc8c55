import type { CallContext } from '../core/context.js';
import type { Chain, Task } from '../core/policy.js';
import { InjectorPolicy } from './injector.js';
import { type InjectorOptions, injectorSettings } from './injector-options.js';

/**
 * Options of {@link injectHang}: only those every injector takes.
 *
 * @example
 * ```ts
 * const options: InjectHangOptions = { name: 'stuck-socket', when: rate(0.01), seed: 9, clock };
 * const hang = injectHang(options);
 * ```
 */
export type InjectHangOptions = InjectorOptions;

/**
 * A policy whose picked calls never settle until aborted. Build it with {@link injectHang}.
 *
 * @example
 * ```ts
 * const hang: HangInjector = injectHang({ when: firstN(1) });
 * const controller = new AbortController();
 * const call = hang.execute(() => 'never reached', { signal: controller.signal });
 * controller.abort(new Error('gave up'));
 * await expect(call).rejects.toThrow('gave up');
 * ```
 */
export class HangInjector extends InjectorPolicy {
  protected inject<T>(
    _task: Task<T>,
    ctx: CallContext,
    _next: Chain | undefined,
    call: number,
    now: number,
  ): Promise<T> {
    this.announce(ctx, call, now);
    if (ctx.aborted) return Promise.reject(ctx.reason);
    return new Promise<T>((_, reject) => {
      // The context drops its watchers when it aborts; nothing else is registered or scheduled.
      ctx.watch({ handleEvent: () => reject(ctx.reason) });
    });
  }
}

/**
 * Makes the calls its trigger picks hang: the task is not called and the call settles only
 * when it is aborted, by the caller's signal or an enclosing `timeout` (rejecting with the
 * abort reason, e.g. the `TimeoutError`). It sets no timer and leaves no listener behind.
 *
 * **A hung call that nothing can abort hangs forever**: put a `timeout` outside the injector,
 * or pass a `signal` to `execute`. This is the point (testing that timeouts fire), but a
 * forgotten hang in a test suite shows up as a test that never finishes.
 *
 * @throws TypeError/RangeError at build time for a bad option, naming it.
 * @example
 * ```ts
 * const policy = pipeline(timeout({ after: 1_000, clock }), injectHang({ when: firstN(1), clock }));
 * await policy.execute(task); // the first call rejects with a TimeoutError after 1 s
 * ```
 */
export function injectHang(options?: InjectHangOptions): HangInjector {
  return new HangInjector(injectorSettings('injectHang', 'hang', options, []).settings);
}

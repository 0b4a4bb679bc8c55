import { sleep } from '../core/abort.js';
import { attemptContext, type CallContext } from '../core/context.js';
import { Emitter, type Event } from '../core/events.js';
import type { Fusable, FusedCall } from '../core/fused.js';
import type { Outcome } from '../core/outcome.js';
import { type Chain, callNext, PolicyBase, runNext, type Task } from '../core/policy.js';
import { describe, MAX_DELAY } from '../core/validate.js';
import type { GiveUpEvent, RetryEvent, RetryFailureEvent, RetrySuccessEvent } from './events.js';
import { type RetryOptions, type RetrySettings, retrySettings } from './options.js';

/**
 * A policy that calls the task again when it fails. Build it with {@link retry}.
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = retry({ maxAttempts: 3, backoff: constant(100) });
 * const stop = policy.onRetry(({ attempt }) => log.warn(`retry after attempt ${attempt}`));
 * await policy.execute(() => api.ping());
 * stop();
 * ```
 */
export class RetryPolicy extends PolicyBase implements Fusable {
  private readonly retryEmitter = new Emitter<RetryEvent>();
  private readonly giveUpEmitter = new Emitter<GiveUpEvent>();
  private readonly successEmitter = new Emitter<RetrySuccessEvent>();
  private readonly failureEmitter = new Emitter<RetryFailureEvent>();

  /** An attempt failed and another will start after `delay` ms. */
  readonly onRetry: Event<RetryEvent> = this.retryEmitter.event;
  /** Attempts ran out, or the backoff said stop; the call settles with the last outcome. */
  readonly onGiveUp: Event<GiveUpEvent> = this.giveUpEmitter.event;
  /** An attempt produced a result that is not retried. */
  readonly onSuccess: Event<RetrySuccessEvent> = this.successEmitter.event;
  /** An attempt threw, or returned a value that `whenResult` retries. */
  readonly onFailure: Event<RetryFailureEvent> = this.failureEmitter.event;

  /** @internal Use {@link retry}. */
  constructor(private readonly settings: RetrySettings) {
    super();
  }

  invoke<T>(task: Task<T>, parent: CallContext, next: Chain | undefined): Promise<T> {
    if (!this.fuseReady()) return this.attempts(task, parent, next, false, undefined);
    // Fast path: with nothing to check on a value, a successful first attempt costs one
    // derived promise; the async loop starts only on a failure.
    const ctx = attemptContext(parent, 1);
    return callNext(task, ctx, next).then(undefined, (error: unknown) =>
      this.attempts(task, parent, next, true, error),
    );
  }

  /**
   * @internal Fused lane (core/fused.ts), the same fast path as `invoke`'s: nothing to check on
   * a value, so a first attempt that succeeds needs nothing from retry.
   */
  fuseReady(): boolean {
    return (
      this.settings.whenResult === undefined && !this.successEmitter.has && !this.failureEmitter.has
    );
  }

  /** @internal */
  fuseEnter(ctx: CallContext): CallContext {
    return attemptContext(ctx, 1);
  }

  /** @internal */
  fuseOk(_call: FusedCall, _layer: number, value: unknown): unknown {
    return value;
  }

  /** @internal The first attempt failed: the retry loop takes the call over from attempt 2. */
  fuseFail(call: FusedCall, layer: number, error: unknown): unknown {
    return this.attempts(call.task, call.ctx(layer), call.below(layer), true, error);
  }

  /**
   * The retry loop. With `failedFirst`, attempt 1 has already run and thrown `firstError`.
   */
  private async attempts<T>(
    task: Task<T>,
    parent: CallContext,
    next: Chain | undefined,
    failedFirst: boolean,
    firstError: unknown,
  ): Promise<T> {
    const s = this.settings;
    let previous: number | undefined;
    for (let attempt = 1; ; attempt++) {
      let failed = false;
      let result: unknown;
      let start: number | undefined;
      if (attempt === 1 && failedFirst) {
        failed = true;
        result = firstError;
      } else {
        const ctx = attemptContext(parent, attempt);
        // Read the clock only when someone listens (a listener added mid-attempt sees 0).
        if (this.successEmitter.has || this.failureEmitter.has) start = s.clock.now();
        try {
          result = await runNext(task, ctx, next);
        } catch (error) {
          failed = true;
          result = error;
        }
      }
      // The filters run outside the try: a throwing filter rejects the call, it is not
      // mistaken for the task's own error.
      let outcome: Outcome<T>;
      let handled: boolean;
      if (failed) {
        outcome = Object.freeze({ error: result });
        handled = s.when(result);
      } else if (s.whenResult === undefined || !s.whenResult(result)) {
        if (this.successEmitter.has) {
          this.successEmitter.emit({
            attempt,
            duration: elapsed(s, start),
            outcome: Object.freeze({ value: result }),
          });
        }
        return result as T;
      } else {
        outcome = Object.freeze({ value: result as T });
        handled = true;
      }
      if (this.failureEmitter.has) {
        this.failureEmitter.emit({ attempt, duration: elapsed(s, start), outcome, handled });
      }
      if (parent.aborted) throw parent.reason;
      if (!handled) return settle(outcome);
      let delay =
        attempt < s.maxAttempts ? s.backoff({ attempt, previous, random: s.random }) : undefined;
      if (delay === undefined) {
        if (this.giveUpEmitter.has) this.giveUpEmitter.emit({ attempts: attempt, outcome });
        return settle(outcome);
      }
      checkDelay(delay, 'backoff', outcome);
      const override = s.retryAfter?.(outcome, attempt);
      if (override !== undefined) {
        checkDelay(override, 'retryAfter', outcome);
        delay = override;
      }
      if (this.retryEmitter.has) this.retryEmitter.emit({ attempt, delay, outcome });
      previous = delay;
      // A zero delay continues in this microtask chain: no timer, no 1 ms setTimeout floor.
      if (delay > 0) await sleep(s.clock, delay, parent);
    }
  }
}

function elapsed(s: RetrySettings, start: number | undefined): number {
  return start === undefined ? 0 : s.clock.now() - start;
}

/** Settles the call with the last outcome, unchanged: rethrows its error or returns its value. */
function settle<T>(outcome: Outcome<T>): T {
  if ('error' in outcome) throw outcome.error;
  return outcome.value as T;
}

function checkDelay(delay: unknown, source: string, outcome: Outcome): void {
  if (typeof delay !== 'number' || !(delay >= 0 && delay <= MAX_DELAY)) {
    throw new RangeError(
      `retry: \`${source}\` returned ${describe(delay)}; a delay must be a number from 0 to ${MAX_DELAY} (ms) or undefined`,
      { cause: 'error' in outcome ? outcome.error : outcome.value },
    );
  }
}

/**
 * Retries a failing task: up to `maxAttempts` calls in all, waiting `backoff` between them,
 * for the errors `when` accepts (all by default) and the values `whenResult` rejects. When
 * attempts run out the last error is rethrown unchanged. Aborting the caller's signal ends a
 * sleep at once and starts no further attempt.
 *
 * @throws TypeError/RangeError at build time for a bad option, naming it.
 * @example
 * ```ts
 * const policy = retry({
 *   maxAttempts: 4,
 *   backoff: exponential({ initial: 100, max: 10_000 }),
 *   when: (error) => error instanceof HttpError && error.status >= 500,
 * });
 * policy.onRetry(({ attempt, delay }) => log.warn(`attempt ${attempt} failed, retrying in ${delay} ms`));
 * const user = await policy.execute(({ signal }) => api.getUser(id, { signal }));
 * ```
 */
export function retry(options?: RetryOptions): RetryPolicy {
  return new RetryPolicy(retrySettings(options));
}

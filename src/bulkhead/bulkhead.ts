import type { CallContext } from '../core/context.js';
import { Emitter, type Event } from '../core/events.js';
import type { Fusable, FusedCall } from '../core/fused.js';
import { type Chain, callNext, PolicyBase, type Task } from '../core/policy.js';
import { BulkheadRejectedError, type BulkheadRejectReason } from './bulkhead-rejected-error.js';
import type { BulkheadFailureEvent, BulkheadRejectEvent, BulkheadSuccessEvent } from './events.js';
import { type BulkheadOptions, type BulkheadSettings, bulkheadSettings } from './options.js';
import { Queue } from './queue.js';
import { Waiter } from './waiter.js';

/**
 * A policy that bounds how many calls run at once. Build it with {@link bulkhead}.
 *
 * @example
 * ```ts
 * const db: BulkheadPolicy = bulkhead({ limit: 10, queue: 20 });
 * const rows = await db.execute(() => pool.query(sql));
 * metrics.gauge('db.bulkhead.free', db.available + db.queueAvailable);
 * ```
 */
export class BulkheadPolicy extends PolicyBase implements Fusable {
  private readonly rejectEmitter = new Emitter<BulkheadRejectEvent>();
  private readonly successEmitter = new Emitter<BulkheadSuccessEvent>();
  private readonly failureEmitter = new Emitter<BulkheadFailureEvent>();

  /** The bulkhead rejected a call: it was full, or the call waited `queueTimeout` ms. */
  readonly onReject: Event<BulkheadRejectEvent> = this.rejectEmitter.event;
  /** A call the bulkhead ran returned a value. */
  readonly onSuccess: Event<BulkheadSuccessEvent> = this.successEmitter.event;
  /** A call the bulkhead ran threw or rejected. */
  readonly onFailure: Event<BulkheadFailureEvent> = this.failureEmitter.event;

  private readonly limit: number;
  private running = 0;
  private readonly waiting = new Queue<Waiter>();

  /** @internal Use {@link bulkhead}. */
  constructor(private readonly settings: BulkheadSettings) {
    super();
    this.limit = settings.limit;
  }

  /** Calls running now (admitted and not yet settled), at most `limit`. */
  get executing(): number {
    return this.running;
  }

  /** Calls waiting in the queue now, at most `queue`. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Free running slots now: `limit - executing` (queue places not counted). */
  get available(): number {
    return this.limit - this.running;
  }

  /** Free queue places now: `queue - queued` (`Infinity` for an unbounded queue). */
  get queueAvailable(): number {
    return this.settings.queue - this.waiting.length;
  }

  invoke<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
    if (ctx.aborted) return Promise.reject(ctx.reason);
    // Waiters go first: a free slot with a non-empty queue is taken by the queue's head.
    if (this.running < this.limit && this.waiting.length === 0) return this.start(task, ctx, next);
    if (this.waiting.length < this.settings.queue) return this.enqueue(task, ctx, next);
    return Promise.reject(this.rejection('full'));
  }

  /** Takes a slot and runs the call; the slot is released once, when the call settles. */
  private start<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
    this.running++;
    if (!this.observing()) {
      // Hot path: one derived promise, with handlers bound once per policy.
      return callNext(task, ctx, next).then(this.passValue, this.passError) as Promise<T>;
    }
    const started = this.settings.clock.now();
    return callNext(task, ctx, next).then(
      (value) => {
        this.settled(true, value, started);
        return value;
      },
      (error: unknown) => {
        this.settled(false, error, started);
        throw error;
      },
    );
  }

  /** @internal Fused lane (core/fused.ts): a free slot, no queue, nobody timing calls. */
  fuseReady(): boolean {
    return this.running < this.limit && this.waiting.length === 0 && !this.observing();
  }

  /** @internal */
  fuseEnter(ctx: CallContext): CallContext {
    this.running++;
    return ctx;
  }

  /** @internal */
  fuseOk(_call: FusedCall, _layer: number, value: unknown): unknown {
    return this.passValue(value);
  }

  /** @internal */
  fuseFail(_call: FusedCall, _layer: number, error: unknown): never {
    return this.passError(error);
  }

  private readonly passValue = (value: unknown): unknown => {
    this.settled(true, value, undefined);
    return value;
  };

  private readonly passError = (error: unknown): never => {
    this.settled(false, error, undefined);
    throw error;
  };

  /**
   * Runs a waiter in the slot just freed for it, settling its promise straight from the
   * task's: one derived promise and one reaction per queued call, not two.
   */
  private startWaiter(waiter: Waiter): void {
    this.running++;
    const started = this.observing() ? this.settings.clock.now() : undefined;
    callNext(waiter.task, waiter.ctx, waiter.chain).then(
      (value) => {
        this.settled(true, value, started);
        waiter.resolve(value);
      },
      (error: unknown) => {
        this.settled(false, error, started);
        waiter.reject(error);
      },
    );
  }

  /** True when someone listens to `onSuccess`/`onFailure` (then a call's start is timed). */
  private observing(): boolean {
    return this.successEmitter.has || this.failureEmitter.has;
  }

  /** A call it ran settled: free its slot (starting the next waiter), then tell listeners. */
  private settled(ok: boolean, outcome: unknown, started: number | undefined): void {
    const duration = started === undefined ? 0 : this.settings.clock.now() - started;
    this.release();
    if (ok) {
      if (this.successEmitter.has) {
        this.successEmitter.emit({ duration, outcome: Object.freeze({ value: outcome }) });
      }
    } else if (this.failureEmitter.has) {
      this.failureEmitter.emit({ duration, outcome: Object.freeze({ error: outcome }) });
    }
  }

  /** Queues the call; it starts when a slot frees, unless its caller aborts or it times out. */
  private enqueue<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
    const waiter = new Waiter(this.waiting, task as Task<unknown>, ctx, next);
    const promise = new Promise<unknown>((resolve, reject) => {
      waiter.resolve = resolve;
      waiter.reject = reject;
    });
    this.waiting.push(waiter);
    const queueTimeout = this.settings.queueTimeout;
    if (queueTimeout !== undefined) {
      waiter.timer = this.settings.clock.setTimer(this.expire, queueTimeout, waiter);
    }
    waiter.watched = ctx.watch(waiter);
    return promise as Promise<T>;
  }

  /** Frees a slot and, synchronously, hands it to the oldest waiter whose caller is still there. */
  private release(): void {
    this.running--;
    if (this.waiting.length === 0) return;
    while (this.running < this.limit) {
      const waiter = this.waiting.shift();
      if (waiter === undefined) return;
      waiter.detach();
      // Aborted, but its watcher not told yet (another listener of the same signal ran first
      // and released this slot): it does not start.
      if (waiter.ctx.aborted) {
        waiter.reject(waiter.ctx.reason);
        continue;
      }
      this.startWaiter(waiter);
    }
  }

  /** Shared queue-timeout callback: the waiter is the timer's argument. */
  private readonly expire = (waiter: Waiter): void => {
    waiter.timer = undefined;
    if (!this.waiting.remove(waiter)) return;
    waiter.detach();
    waiter.reject(this.rejection('queue-timeout'));
  };

  /** The rejection for `reason`, with the figures of this moment; tells `onReject`. */
  private rejection(reason: BulkheadRejectReason): BulkheadRejectedError {
    const executing = this.running;
    const queued = this.waiting.length;
    if (this.rejectEmitter.has) this.rejectEmitter.emit({ reason, executing, queued });
    return new BulkheadRejectedError(reason, executing, queued, this.settings.queueTimeout);
  }
}

/**
 * Bounds how many calls run at once: up to `limit` run, up to `queue` more wait their turn
 * (first in, first out), and any call beyond that is rejected at once with a
 * `BulkheadRejectedError` (`code: 'ERR_BULKHEAD_FULL'`, `reason: 'full'`) without running. A
 * waiter whose caller aborts leaves the queue at once; one that waits `queueTimeout` ms is
 * rejected with `reason: 'queue-timeout'`. A running call keeps its slot until it settles,
 * even if its caller has given up on it; the next waiter starts the moment a slot frees.
 *
 * @throws TypeError/RangeError at build time for a bad or missing option, naming it.
 * @example
 * ```ts
 * const db = bulkhead({ limit: 10, queue: 100, queueTimeout: 1_000 });
 * db.onReject(({ reason }) => metrics.increment('db.rejected', { reason }));
 * const rows = await db.execute(({ signal }) => pool.query(sql, { signal }));
 * ```
 */
export function bulkhead(options: BulkheadOptions): BulkheadPolicy {
  return new BulkheadPolicy(bulkheadSettings(options));
}

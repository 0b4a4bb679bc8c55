import type { Timer } from '../core/clock.js';
import type { AbortWatcher, CallContext } from '../core/context.js';
import type { Chain, Task } from '../core/policy.js';
import type { Queue, QueueNode } from './queue.js';

/**
 * A call waiting in a bulkhead's queue: what it needs to run later, how to settle it, its
 * queue-timeout timer, and its own abort watcher (the node itself, via `handleEvent`). One
 * object per queued call: the queue links, the watcher and the timer argument all in one.
 *
 * @internal
 */
export class Waiter implements QueueNode<Waiter>, AbortWatcher {
  prev: Waiter | undefined = undefined;
  next: Waiter | undefined = undefined;
  queued = false;
  /** The queue-timeout timer, while one is armed. */
  timer: Timer | undefined = undefined;
  /** True while this is registered with `ctx.watch`. */
  watched = false;
  resolve!: (value: unknown) => void;
  reject!: (reason: unknown) => void;

  constructor(
    private readonly queue: Queue<Waiter>,
    readonly task: Task<unknown>,
    readonly ctx: CallContext,
    readonly chain: Chain | undefined,
  ) {}

  /**
   * The caller (or an enclosing timeout) aborted while this call waited: it leaves the queue
   * at once, freeing its place, and rejects with the abort's reason.
   */
  handleEvent(): void {
    this.watched = false; // a watcher is told once and then forgotten by the context
    if (!this.queue.remove(this)) return;
    this.detach();
    this.reject(this.ctx.reason);
  }

  /** Cancels the queue timer and stops watching the abort: it leaves the queue now. */
  detach(): void {
    if (this.timer !== undefined) {
      this.timer.cancel();
      this.timer = undefined;
    }
    if (this.watched) {
      this.watched = false;
      this.ctx.unwatch(this);
    }
  }
}

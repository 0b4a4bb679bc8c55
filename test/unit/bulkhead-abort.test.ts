import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootContext } from '../../src/core/context.js';
import {
  BulkheadRejectedError,
  bulkhead,
  type ExecuteContext,
  pipeline,
  type TimeoutError,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, type Deferred, deferred, track, untilAborted } from '../helpers/common.js';
import { SilentContext } from '../helpers/silent-context.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

function gates() {
  const started: string[] = [];
  const signals = new Map<string, AbortSignal>();
  const open = new Map<string, Deferred<string>>();
  return {
    started,
    signals,
    task: (id: string) => (ctx: ExecuteContext) => {
      started.push(id);
      const gate = deferred<string>();
      open.set(id, gate);
      if (id.startsWith('watch')) signals.set(id, ctx.signal);
      return gate.promise;
    },
    resolve: (id: string) => open.get(id)!.resolve(`value ${id}`),
  };
}

describe('bulkhead: queue timeout', () => {
  it('rejects a waiter exactly `queueTimeout` ms after it was queued, not before', async () => {
    const policy = bulkhead({ limit: 1, queue: 2, queueTimeout: 500, clock });
    const g = gates();
    policy.execute(g.task('a'));
    const b = track(policy.execute(g.task('b')));
    await clock.advance(200);
    const c = track(policy.execute(g.task('c')));
    expect(clock.pending()).toBe(2); // one timer per waiter
    await clock.advance(299);
    expect([b.state, c.state]).toEqual(['pending', 'pending']);
    await clock.advance(1); // t = 500: b's deadline
    expect(b.state).toBe('rejected');
    const error = b.result.state === 'rejected' ? (b.result.reason as BulkheadRejectedError) : null;
    expect(error).toBeInstanceOf(BulkheadRejectedError);
    expect(error?.message).toBe('Bulkhead queue timeout after 500 ms: 1 executing, 1 queued');
    expect([error?.code, error?.reason, error?.executing, error?.queued]).toEqual([
      'ERR_BULKHEAD_FULL',
      'queue-timeout',
      1,
      1,
    ]);
    expect([policy.executing, policy.queued, clock.pending()]).toEqual([1, 1, 1]);
    await clock.advance(199);
    expect(c.state).toBe('pending');
    await clock.advance(1); // t = 700: c's deadline
    expect(c.state).toBe('rejected');
    expect(g.started).toEqual(['a']);
    g.resolve('a');
    await clock.flush();
    expect([policy.executing, policy.queued]).toEqual([0, 0]);
  });

  it('cancels the timer of a waiter that starts in time, and no longer bounds it once running', async () => {
    const policy = bulkhead({ limit: 1, queue: 1, queueTimeout: 500, clock });
    const g = gates();
    policy.execute(g.task('a'));
    const b = track(policy.execute(g.task('b')));
    await clock.advance(499);
    g.resolve('a');
    await clock.flush();
    expect(g.started).toEqual(['a', 'b']);
    expect(clock.pending()).toBe(0);
    await clock.advance(10_000);
    expect(b.state).toBe('pending');
    g.resolve('b');
    await clock.flush();
    expect(b.result).toEqual({ state: 'resolved', value: 'value b' });
  });

  it('arms no timer without `queueTimeout`, nor for a call that runs at once', async () => {
    const policy = bulkhead({ limit: 1, queue: 1, clock });
    const g = gates();
    policy.execute(g.task('a'));
    policy.execute(g.task('b'));
    expect(clock.pending()).toBe(0);
    const timed = bulkhead({ limit: 1, queue: 1, queueTimeout: 10, clock });
    timed.execute(g.task('c'));
    expect(clock.pending()).toBe(0);
    g.resolve('a');
    await clock.flush();
    g.resolve('b');
    g.resolve('c');
  });
});

describe('bulkhead: caller abort while queued', () => {
  it('removes the waiter at once, frees its place, cancels its timer and rejects with the reason', async () => {
    const policy = bulkhead({ limit: 1, queue: 1, queueTimeout: 1_000, clock });
    const g = gates();
    policy.execute(g.task('a'));
    const caller = countingSignal();
    const b = track(policy.execute(g.task('b'), { signal: caller.signal }));
    expect([policy.queued, clock.pending(), caller.listeners()]).toEqual([1, 1, 1]); // its waiter and execute's race share one listener
    const reason = new Error('user left');
    caller.abort(reason);
    // Synchronously: the place is free and the timer gone, before any promise callback runs.
    expect([policy.queued, policy.queueAvailable, clock.pending()]).toEqual([0, 1, 0]);
    const c = track(policy.execute(g.task('c'))); // the next arrival gets the place
    expect(policy.queued).toBe(1);
    await clock.flush();
    expect(b.result).toEqual({ state: 'rejected', reason });
    expect(caller.listeners()).toBe(0);
    g.resolve('a');
    await clock.flush();
    expect(g.started).toEqual(['a', 'c']); // b never runs
    g.resolve('c');
    await clock.flush();
    expect(c.state).toBe('resolved');
  });

  it('removes a waiter from the middle of the queue and keeps the others in order', async () => {
    const policy = bulkhead({ limit: 1, queue: 4, clock });
    const g = gates();
    const controllers = ['w1', 'w2', 'w3', 'w4'].map(() => new AbortController());
    policy.execute(g.task('run'));
    ['w1', 'w2', 'w3', 'w4'].forEach((id, i) => {
      policy.execute(g.task(id), { signal: controllers[i]!.signal }).catch(() => {});
    });
    controllers[1]!.abort();
    controllers[3]!.abort();
    expect(policy.queued).toBe(2);
    for (const id of ['run', 'w1', 'w3']) {
      g.resolve(id);
      await clock.flush();
    }
    expect(g.started).toEqual(['run', 'w1', 'w3']);
    expect([policy.executing, policy.queued]).toEqual([0, 0]);
  });

  it('a waiter under an enclosing timeout leaves the queue at the deadline with the TimeoutError', async () => {
    const inner = bulkhead({ limit: 1, queue: 1, clock });
    const policy = pipeline(timeout({ after: 100, clock }), inner);
    const g = gates();
    inner.execute(g.task('a'));
    const call = track(policy.execute(g.task('b')));
    expect([inner.queued, clock.pending()]).toEqual([1, 1]);
    await clock.advance(99);
    expect(call.state).toBe('pending');
    await clock.advance(1);
    expect([inner.queued, clock.pending()]).toEqual([0, 0]);
    expect(call.state).toBe('rejected');
    expect((call.result as { reason: TimeoutError }).reason.name).toBe('TimeoutError');
    g.resolve('a');
    await clock.flush();
    expect([g.started, inner.executing]).toEqual([['a'], 0]);
  });

  it('a caller already aborted when the call reaches the bulkhead takes no slot', async () => {
    const policy = bulkhead({ limit: 1, clock });
    const controller = new AbortController();
    controller.abort('gone');
    const started: string[] = [];
    const call = policy.invoke(
      () => started.push('x'),
      new RootContext(controller.signal),
      undefined,
    );
    await expect(call).rejects.toBe('gone');
    expect([started, policy.executing]).toEqual([[], 0]);
  });

  it('a waiter found aborted (its watcher not told yet) when dequeued is rejected, not started', async () => {
    const policy = bulkhead({ limit: 1, queue: 2, clock });
    const g = gates();
    const ctx = new SilentContext();
    policy.execute(g.task('a'));
    const b = track(policy.invoke(g.task('b'), ctx, undefined));
    policy.execute(g.task('c'));
    ctx.aborted = true; // as when another listener of the same abort runs first
    ctx.reason = 'late';
    g.resolve('a');
    await clock.flush();
    expect(b.result).toEqual({ state: 'rejected', reason: 'late' });
    expect(g.started).toEqual(['a', 'c']);
    expect(ctx.watchers.size).toBe(0); // unwatched
    g.resolve('c');
    await clock.flush();
    expect([policy.executing, policy.queued]).toEqual([0, 0]);
  });
});

describe('bulkhead: caller abort while running', () => {
  it('aborts ctx.signal and rejects at once, but holds the slot until the task settles', async () => {
    const policy = bulkhead({ limit: 1, queue: 1, clock });
    const g = gates();
    const caller = new AbortController();
    const a = track(policy.execute(g.task('watch-a'), { signal: caller.signal }));
    const b = track(policy.execute(g.task('b')));
    caller.abort('stop');
    expect(g.signals.get('watch-a')?.reason).toBe('stop');
    await clock.flush();
    expect(a.result).toEqual({ state: 'rejected', reason: 'stop' });
    // The task ignores its signal and still runs: it keeps its slot, so b still waits.
    expect([policy.executing, policy.queued, g.started]).toEqual([1, 1, ['watch-a']]);
    g.resolve('watch-a'); // settles late: released once, b starts
    await clock.flush();
    expect([policy.executing, policy.queued, g.started]).toEqual([1, 0, ['watch-a', 'b']]);
    g.resolve('b');
    await clock.flush();
    expect(b.state).toBe('resolved');
    expect([policy.executing, policy.available]).toEqual([0, 1]);
  });

  it('frees the slot at once for a task that honours its signal', async () => {
    const policy = bulkhead({ limit: 1, clock });
    const caller = new AbortController();
    const a = track(
      policy.execute(({ signal }) => untilAborted(signal), { signal: caller.signal }),
    );
    caller.abort('stop');
    await clock.flush();
    expect([a.state, policy.executing]).toEqual(['rejected', 0]);
  });

  it('releases exactly once over many aborted calls that settle late', async () => {
    const policy = bulkhead({ limit: 3, queue: 3, clock });
    const late: Deferred<number>[] = [];
    for (let round = 0; round < 5; round++) {
      const callers = Array.from({ length: 6 }, () => new AbortController());
      const calls = callers.map((c) =>
        track(
          policy.execute(
            () => {
              const d = deferred<number>();
              late.push(d);
              return d.promise;
            },
            { signal: c.signal },
          ),
        ),
      );
      for (const c of callers) c.abort('bye');
      await clock.flush();
      expect(calls.map((c) => c.state)).toEqual(Array(6).fill('rejected'));
      expect([policy.executing, policy.queued]).toEqual([3, 0]);
      for (const d of late.splice(0)) d.resolve(round);
      await clock.flush();
      expect([policy.executing, policy.available]).toEqual([0, 3]);
    }
  });
});

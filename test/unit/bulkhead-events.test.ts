import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type BulkheadFailureEvent,
  type BulkheadRejectEvent,
  type BulkheadSuccessEvent,
  bulkhead,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { type Deferred, deferred, track } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  vi.unstubAllGlobals();
  expect(clock.pending()).toBe(0);
});

function collect<T>(event: (listener: (e: T) => void) => () => void) {
  const seen: T[] = [];
  const stop = event((e) => {
    expect(Object.isFrozen(e)).toBe(true);
    seen.push(e);
  });
  return { seen, stop };
}

/** A task settled by hand: `gate(id)` is the task, `open.get(id)` its deferred. */
function gates() {
  const open = new Map<string, Deferred<string>>();
  return {
    open,
    task: (id: string) => () => {
      const d = deferred<string>();
      open.set(id, d);
      return d.promise;
    },
  };
}

describe('bulkhead: events', () => {
  it('onReject tells each of its own rejections with the figures of that moment', async () => {
    const policy = bulkhead({ limit: 1, queue: 1, queueTimeout: 100, clock });
    const rejects = collect<BulkheadRejectEvent>(policy.onReject);
    const g = gates();
    policy.execute(g.task('a'));
    const b = track(policy.execute(g.task('b')));
    const c = track(policy.execute(g.task('c')));
    await clock.advance(100);
    expect([b.state, c.state]).toEqual(['rejected', 'rejected']);
    expect(rejects.seen).toEqual([
      { reason: 'full', executing: 1, queued: 1 },
      { reason: 'queue-timeout', executing: 1, queued: 0 },
    ]);
    rejects.stop();
    const d = track(policy.execute(g.task('d')));
    await expect(policy.execute(g.task('e'))).rejects.toMatchObject({ reason: 'full' });
    expect(rejects.seen).toHaveLength(2);
    g.open.get('a')!.resolve('a');
    await clock.flush();
    g.open.get('d')!.resolve('d');
    await clock.flush();
    expect(d.state).toBe('resolved');
  });

  it('onReject is silent when a waiter leaves because its caller aborted', async () => {
    const policy = bulkhead({ limit: 1, queue: 1, clock });
    const rejects = collect<BulkheadRejectEvent>(policy.onReject);
    const failures = collect<BulkheadFailureEvent>(policy.onFailure);
    const g = gates();
    policy.execute(g.task('a'));
    const caller = new AbortController();
    const b = track(policy.execute(g.task('b'), { signal: caller.signal }));
    caller.abort('gone');
    await clock.flush();
    expect(b.state).toBe('rejected');
    g.open.get('a')!.resolve('a');
    await clock.flush();
    expect([rejects.seen, failures.seen]).toEqual([[], []]);
  });

  it('onSuccess and onFailure time a call from when it started running, queue wait excluded', async () => {
    const policy = bulkhead({ limit: 1, queue: 2, clock });
    const successes = collect<BulkheadSuccessEvent>(policy.onSuccess);
    const failures = collect<BulkheadFailureEvent>(policy.onFailure);
    const g = gates();
    const error = new Error('boom');
    policy.execute(g.task('a'));
    policy.execute(g.task('b')).catch(() => {});
    await clock.advance(100);
    g.open.get('a')!.resolve('A'); // b starts at 100
    await clock.advance(250);
    g.open.get('b')!.reject(error);
    await clock.flush();
    expect(successes.seen).toEqual([{ duration: 100, outcome: { value: 'A' } }]);
    expect(failures.seen).toEqual([{ duration: 250, outcome: { error } }]);
    expect(Object.isFrozen(successes.seen[0]!.outcome)).toBe(true);
    expect(Object.isFrozen(failures.seen[0]!.outcome)).toBe(true);
  });

  it('a call already running when the first listener subscribes reports duration 0', async () => {
    const policy = bulkhead({ limit: 1, clock });
    const now = vi.spyOn(clock, 'now');
    const g = gates();
    const call = policy.execute(g.task('a'));
    expect(now).not.toHaveBeenCalled(); // no listener, no clock read
    const successes = collect<BulkheadSuccessEvent>(policy.onSuccess);
    await clock.advance(40);
    g.open.get('a')!.resolve('A');
    await call;
    expect(successes.seen).toEqual([{ duration: 0, outcome: { value: 'A' } }]);
  });

  it('onFailure fires for a running call aborted by its caller, when the task settles', async () => {
    const policy = bulkhead({ limit: 1, clock });
    const failures = collect<BulkheadFailureEvent>(policy.onFailure);
    const caller = new AbortController();
    const call = track(
      policy.execute(
        ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        { signal: caller.signal },
      ),
    );
    await clock.advance(30);
    caller.abort('stop');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'stop' });
    expect(failures.seen).toEqual([{ duration: 30, outcome: { error: 'stop' } }]);
  });

  it('a throwing listener is reported and changes neither the call nor the slots', async () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const policy = bulkhead({ limit: 1, clock });
    const boom = new Error('listener');
    const after: string[] = [];
    for (const event of [policy.onSuccess, policy.onFailure, policy.onReject] as const) {
      (event as (l: () => void) => void)(() => {
        throw boom;
      });
      (event as (l: () => void) => void)(() => after.push('next listener ran'));
    }
    const g = gates();
    const a = track(policy.execute(g.task('a')));
    const b = track(policy.execute(g.task('b')));
    g.open.get('a')!.resolve('A');
    await clock.flush();
    const c = track(policy.execute(() => Promise.reject(new Error('task'))));
    await clock.flush();
    expect([a.state, b.state, c.state]).toEqual(['resolved', 'rejected', 'rejected']);
    expect([policy.executing, policy.queued]).toEqual([0, 0]);
    expect(report.mock.calls).toEqual([[boom], [boom], [boom]]);
    expect(after).toHaveLength(3);
  });
});

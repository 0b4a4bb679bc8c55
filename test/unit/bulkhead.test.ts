import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BulkheadRejectedError,
  bulkhead,
  type ExecuteContext,
  isBreakwaterError,
  isBulkheadRejectedError,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { type Deferred, deferred, inspect, settleState, track } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** Tasks that record when they start and settle only when the test says so. */
function gates() {
  const started: string[] = [];
  const open = new Map<string, Deferred<string>>();
  return {
    started,
    task: (id: string) => (_ctx: ExecuteContext) => {
      started.push(id);
      const gate = deferred<string>();
      open.set(id, gate);
      return gate.promise;
    },
    resolve: (id: string) => open.get(id)!.resolve(`value ${id}`),
    reject: (id: string, error: unknown) => open.get(id)!.reject(error),
  };
}

async function rejection(promise: Promise<unknown>): Promise<BulkheadRejectedError> {
  const settled = await inspect(promise, clock);
  if (settled.state !== 'rejected') throw new Error(`expected a rejection, got ${settled.state}`);
  expect(settled.reason).toBeInstanceOf(BulkheadRejectedError);
  return settled.reason as BulkheadRejectedError;
}

describe('bulkhead: admission', () => {
  it('runs a call at once when a slot is free and frees the slot when it settles', async () => {
    const policy = bulkhead({ limit: 2, clock });
    const g = gates();
    const call = track(policy.execute(g.task('a')));
    expect(g.started).toEqual(['a']); // synchronously, no timer
    expect([policy.executing, policy.queued, policy.available]).toEqual([1, 0, 1]);
    g.resolve('a');
    await expect(call.promise).resolves.toBe('value a');
    expect([policy.executing, policy.queued, policy.available]).toEqual([0, 0, 2]);
  });

  it('rejects at once when every slot is taken and there is no queue, without calling the task', async () => {
    const policy = bulkhead({ limit: 2, clock });
    const g = gates();
    policy.execute(g.task('a'));
    policy.execute(g.task('b'));
    const task = vi.fn(g.task('c'));
    const error = await rejection(policy.execute(task));
    expect(task).not.toHaveBeenCalled();
    expect(error.message).toBe('Bulkhead is full: 2 executing, 0 queued');
    expect([error.name, error.code, error.reason, error.executing, error.queued]).toEqual([
      'BulkheadRejectedError',
      'ERR_BULKHEAD_FULL',
      'full',
      2,
      0,
    ]);
    expect(isBulkheadRejectedError(error)).toBe(true);
    expect(isBreakwaterError(error)).toBe(true);
    expect([policy.executing, policy.queued]).toEqual([2, 0]);
    g.resolve('a');
    g.resolve('b');
  });

  it('queues up to `queue` calls, then rejects, reporting the figures of that moment', async () => {
    const policy = bulkhead({ limit: 1, queue: 2, clock });
    const g = gates();
    const calls = ['a', 'b', 'c'].map((id) => track(policy.execute(g.task(id))));
    expect(g.started).toEqual(['a']);
    expect([policy.executing, policy.queued, policy.queueAvailable]).toEqual([1, 2, 0]);
    const error = await rejection(policy.execute(g.task('d')));
    expect(error.message).toBe('Bulkhead is full: 1 executing, 2 queued');
    expect([error.executing, error.queued]).toEqual([1, 2]);
    g.resolve('a');
    await clock.flush();
    expect(g.started).toEqual(['a', 'b']); // the next waiter started without any timer
    expect([policy.executing, policy.queued, policy.queueAvailable]).toEqual([1, 1, 1]);
    g.resolve('b');
    await clock.flush();
    g.resolve('c');
    await clock.flush();
    expect(calls.map((c) => c.result)).toEqual(
      ['a', 'b', 'c'].map((id) => ({ state: 'resolved', value: `value ${id}` })),
    );
    expect([policy.executing, policy.queued]).toEqual([0, 0]);
  });

  it('starts waiters first in, first out, whichever running call frees its slot', async () => {
    const policy = bulkhead({ limit: 3, queue: 5, clock });
    const g = gates();
    const ids = ['r1', 'r2', 'r3', 'w1', 'w2', 'w3', 'w4', 'w5'];
    for (const id of ids) policy.execute(g.task(id));
    expect(g.started).toEqual(['r1', 'r2', 'r3']);
    for (const id of ['r2', 'w1', 'r3', 'r1', 'w2', 'w3', 'w4', 'w5']) {
      g.resolve(id);
      await clock.flush();
    }
    expect(g.started).toEqual(ids);
    expect([policy.executing, policy.queued]).toEqual([0, 0]);
  });

  it('hands a freed slot to the oldest waiter in the same tick: a newcomer then queues', async () => {
    const policy = bulkhead({ limit: 1, queue: 2, clock });
    const g = gates();
    const a = policy.execute(g.task('a'));
    policy.execute(g.task('b'));
    let c: Promise<string> | undefined;
    const seen = a.then(() => {
      const startedThen = [...g.started];
      c = policy.execute(g.task('c'));
      return { startedThen, figures: [policy.executing, policy.queued] };
    });
    g.resolve('a');
    expect(await seen).toEqual({ startedThen: ['a', 'b'], figures: [1, 1] });
    g.resolve('b');
    await clock.flush();
    g.resolve('c');
    await expect(c).resolves.toBe('value c');
  });

  it('accepts an unbounded queue', async () => {
    const policy = bulkhead({ limit: 1, queue: Number.POSITIVE_INFINITY, clock });
    const g = gates();
    const calls = Array.from({ length: 1_000 }, (_, i) => policy.execute(g.task(String(i))));
    expect([policy.executing, policy.queued, policy.queueAvailable]).toEqual([
      1,
      999,
      Number.POSITIVE_INFINITY,
    ]);
    for (let i = 0; i < 1_000; i++) {
      g.resolve(String(i));
      await clock.flush();
    }
    await expect(Promise.all(calls)).resolves.toHaveLength(1_000);
    expect(g.started).toEqual(Array.from({ length: 1_000 }, (_, i) => String(i)));
    expect(policy.queued).toBe(0);
  });
});

describe('bulkhead: the slot is released exactly once whatever the call does', () => {
  const outcomes: [string, () => unknown, 'resolved' | 'rejected'][] = [
    ['returns a plain value', () => 42, 'resolved'],
    ['returns undefined', () => undefined, 'resolved'],
    [
      'throws synchronously',
      () => {
        throw new Error('sync');
      },
      'rejected',
    ],
    [
      'throws a non-Error',
      () => {
        throw 'text';
      },
      'rejected',
    ],
    ['rejects', () => Promise.reject(new Error('async')), 'rejected'],
    [
      'returns a foreign thenable',
      // biome-ignore lint/suspicious/noThenProperty: the point is a non-Promise thenable.
      () => ({ then: (ok: (v: number) => void) => ok(7) }),
      'resolved',
    ],
    [
      'returns a rejecting thenable',
      // biome-ignore lint/suspicious/noThenProperty: the point is a non-Promise thenable.
      () => ({ then: (_: unknown, fail: (e: unknown) => void) => fail('no') }),
      'rejected',
    ],
  ];

  it.each(outcomes)('the task %s', async (_name, body, expected) => {
    const policy = bulkhead({ limit: 1, queue: 1, clock });
    const first = track(policy.execute(body as () => number));
    const g = gates();
    const second = track(policy.execute(g.task('next')));
    await clock.flush();
    expect(first.state).toBe(expected);
    expect(g.started).toEqual(['next']);
    expect([policy.executing, policy.queued]).toEqual([1, 0]);
    g.resolve('next');
    await clock.flush();
    expect(second.state).toBe('resolved');
    expect([policy.executing, policy.queued, policy.available]).toEqual([0, 0, 1]);
  });

  it('passes the value and the error through unchanged', async () => {
    const policy = bulkhead({ limit: 1 });
    const value = { deep: [1] };
    const error = new Error('boom');
    await expect(policy.execute(() => value)).resolves.toBe(value);
    await expect(policy.execute(() => Promise.reject(error))).rejects.toBe(error);
  });

  it('keeps a slot taken while its task runs, whatever time passes', async () => {
    const policy = bulkhead({ limit: 1, clock });
    const g = gates();
    policy.execute(g.task('a'));
    await clock.advance(1_000_000);
    expect(await settleState(policy.execute(g.task('b')), clock)).toBe('rejected');
    g.resolve('a');
    await clock.flush();
    expect(policy.executing).toBe(0);
  });

  it('wrap() runs under the same slots', async () => {
    const policy = bulkhead({ limit: 1, clock });
    const g = gates();
    const get = policy.wrap((id: string) => g.task(id)({} as ExecuteContext));
    const a = track(get('a'));
    await expect(get('b')).rejects.toSatisfy(isBulkheadRejectedError);
    g.resolve('a');
    await expect(a.promise).resolves.toBe('value a');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  firstN,
  type InjectionContext,
  injectBehavior,
  injectHang,
  injectLatency,
  type LatencyInjectEvent,
} from '../../src/chaos/index.js';
import { constant, isTimeoutError, pipeline, retry, timeout } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, deferred, thrownBy, track } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** A task that records the time of each call and returns `value`. */
function recorder<T>(value: T) {
  const times: number[] = [];
  const task = (): T => {
    times.push(clock.now());
    return value;
  };
  return { times, task };
}

describe('injectLatency', () => {
  it('waits `delay` ms on its clock, then calls the task', async () => {
    const { times, task } = recorder('ok');
    const call = track(injectLatency({ delay: 100, clock }).execute(task));
    await clock.advance(99);
    expect([call.state, times]).toEqual(['pending', []]);
    await clock.advance(1);
    expect(call.result).toEqual({ state: 'resolved', value: 'ok' });
    expect(times).toEqual([100]);
  });

  it('passes the task error through after the wait', async () => {
    const own = new Error('own');
    const call = track(
      injectLatency({ delay: 10, clock }).execute(() => {
        throw own;
      }),
    );
    await clock.advance(10);
    expect(call.result).toEqual({ state: 'rejected', reason: own });
  });

  it('a zero delay sets no timer', async () => {
    const call = track(injectLatency({ delay: 0, clock }).execute(() => 'now'));
    expect(clock.pending()).toBe(0);
    await clock.flush();
    expect(call.result).toEqual({ state: 'resolved', value: 'now' });
  });

  it('calls a `delay` function per injected call; onInject carries the delay', async () => {
    const events: LatencyInjectEvent[] = [];
    const slow = injectLatency({
      name: 'net',
      delay: (ctx: InjectionContext) => ctx.call * 10,
      clock,
    });
    slow.onInject((event) => events.push(event));
    const { times, task } = recorder(1);
    const first = slow.execute(task);
    const second = slow.execute(task);
    await clock.runAll();
    await Promise.all([first, second]);
    expect(times).toEqual([10, 20]);
    expect(events).toEqual([
      { injector: 'net', call: 1, now: 0, attempt: 1, delay: 10 },
      { injector: 'net', call: 2, now: 0, attempt: 1, delay: 20 },
    ]);
  });

  it.each([
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    ['5', '"5"'],
    [2_147_483_648, '2147483648'],
    [undefined, 'undefined'],
  ])('a `delay` function returning %o rejects the call with a RangeError', async (ms, shown) => {
    const { times, task } = recorder(1);
    const slow = injectLatency({ name: 'db', delay: () => ms as number, clock });
    const error = await slow.execute(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(
      `injectLatency "db": \`delay\` returned ${shown}; a delay must be a number from 0 to 2147483647 (ms)`,
    );
    expect(times).toEqual([]);
  });

  it('ends the wait at once when the caller aborts: rejects with the reason, cancels the timer', async () => {
    const { times, task } = recorder(1);
    const caller = countingSignal();
    const call = track(
      injectLatency({ delay: 1_000, clock }).execute(task, { signal: caller.signal }),
    );
    await clock.advance(10);
    expect(clock.pending()).toBe(1);
    const reason = new Error('user left');
    caller.abort(reason);
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason });
    expect(clock.pending()).toBe(0);
    expect(caller.listeners()).toBe(0);
    await clock.advance(2_000);
    expect(times).toEqual([]);
  });

  it('inside a timeout, the wait ends at the deadline with the TimeoutError', async () => {
    const { times, task } = recorder(1);
    const policy = pipeline(timeout({ after: 50, clock }), injectLatency({ delay: 100, clock }));
    const call = track(policy.execute(task));
    await clock.advance(50);
    expect(call.state).toBe('rejected');
    expect(isTimeoutError(call.result.state === 'rejected' && call.result.reason)).toBe(true);
    expect(times).toEqual([]);
  });

  it.each([
    [undefined, TypeError, 'undefined'],
    ['5', TypeError, '"5"'],
    [-1, RangeError, '-1'],
    [Number.POSITIVE_INFINITY, RangeError, 'Infinity'],
    [Number.NaN, RangeError, 'NaN'],
  ])('delay: %o → %o at build time', (delay, kind, shown) => {
    const error = thrownBy(() => injectLatency({ delay } as never));
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toBe(
      `injectLatency: \`delay\` must be a finite number >= 0 and <= 2147483647 or a function, got ${shown}`,
    );
  });
});

describe('injectHang', () => {
  it('never settles while nothing aborts the call, and sets no timer', async () => {
    const { times, task } = recorder(1);
    const call = track(injectHang({ clock }).execute(task));
    await clock.advance(1_000_000);
    expect(call.state).toBe('pending');
    expect(clock.pending()).toBe(0);
    expect(times).toEqual([]);
  });

  it('rejects with the reason when the caller aborts, leaving no listener', async () => {
    const caller = countingSignal();
    const call = track(injectHang({ clock }).execute(() => 1, { signal: caller.signal }));
    await clock.flush();
    expect(caller.listeners()).toBe(1); // execute's race and the hang's watcher share one
    caller.abort('gone');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'gone' });
    expect(caller.listeners()).toBe(0);
  });

  it.each(['cooperative', 'aggressive'] as const)(
    'a %s timeout outside it ends the call at the deadline',
    async (mode) => {
      const policy = pipeline(timeout({ after: 1_000, mode, clock }), injectHang({ clock }));
      const call = track(policy.execute(() => 1));
      await clock.advance(999);
      expect(call.state).toBe('pending');
      await clock.advance(1);
      expect(call.state).toBe('rejected');
      expect(isTimeoutError(call.result.state === 'rejected' && call.result.reason)).toBe(true);
    },
  );

  it('with retry and a per-attempt timeout, a hung first attempt is retried', async () => {
    const { times, task } = recorder('second attempt');
    const policy = pipeline(
      retry({ maxAttempts: 2, backoff: constant(0), clock }),
      timeout({ after: 100, clock }),
      injectHang({ when: firstN(1), clock }),
    );
    const call = track(policy.execute(task));
    await clock.advance(100);
    expect(call.result).toEqual({ state: 'resolved', value: 'second attempt' });
    expect(times).toEqual([100]);
  });
});

describe('injectBehavior', () => {
  it('runs the side effect, then the task', async () => {
    const order: string[] = [];
    const policy = injectBehavior({
      run: (ctx: InjectionContext) => {
        order.push(`run ${ctx.call}/${ctx.attempt}`);
      },
      clock,
    });
    await expect(policy.execute(() => order.push('task'))).resolves.toBe(2);
    expect(order).toEqual(['run 1/1', 'task']);
  });

  it('waits for an async side effect before starting the task', async () => {
    const gate = deferred();
    const { times, task } = recorder('done');
    const call = track(injectBehavior({ run: () => gate.promise, clock }).execute(task));
    await clock.flush();
    expect([call.state, times]).toEqual(['pending', []]);
    gate.resolve();
    await clock.flush();
    expect(call.result).toEqual({ state: 'resolved', value: 'done' });
  });

  it('rejects with what the side effect throws or rejects with; the task is not called', async () => {
    const { times, task } = recorder(1);
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    const a = injectBehavior({
      run: () => {
        throw thrown;
      },
      clock,
    });
    const b = injectBehavior({ run: () => Promise.reject(rejected), clock });
    await expect(a.execute(task)).rejects.toBe(thrown);
    await expect(b.execute(task)).rejects.toBe(rejected);
    expect(times).toEqual([]);
  });

  it('does not start the task when the call was aborted during the side effect', async () => {
    const gate = deferred();
    const { times, task } = recorder(1);
    const caller = new AbortController();
    const call = track(
      injectBehavior({ run: () => gate.promise, clock }).execute(task, { signal: caller.signal }),
    );
    caller.abort('stop');
    gate.resolve();
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'stop' });
    expect(times).toEqual([]);
  });

  it('`run` is required', () => {
    const error = thrownBy(() => injectBehavior({} as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('injectBehavior: `run` must be a function, got undefined');
  });
});

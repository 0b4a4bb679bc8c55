import { describe, expect, it, vi } from 'vitest';
import { constant, type ExecuteContext, retry } from '../../src/index.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';
import { collect, failTimes, never, track } from '../helpers/retry-helpers.js';

function setup(backoff = constant(1_000)) {
  const clock = new VirtualClock();
  const policy = retry({ clock, random: seededRandom(7), backoff, maxAttempts: 5 });
  return { clock, policy, controller: new AbortController() };
}

describe('retry: caller abort', () => {
  it('before start: rejects with the reason and never calls the task', async () => {
    const { clock, policy, controller } = setup();
    const reason = new Error('cancelled');
    controller.abort(reason);
    const task = vi.fn(() => 'x');
    await expect(policy.execute(task, { signal: controller.signal })).rejects.toBe(reason);
    expect(task).not.toHaveBeenCalled();
    expect(clock.pending()).toBe(0);
  });

  it('during an attempt that never settles: rejects at once, no further attempt', async () => {
    const { clock, policy, controller } = setup();
    const signals: AbortSignal[] = [];
    const task = vi.fn((ctx: ExecuteContext) => {
      signals.push(ctx.signal);
      return never();
    });
    const call = track(policy.execute(task, { signal: controller.signal }));
    await clock.flush();
    expect(call.state()).toBe('pending');
    const reason = new Error('user left');
    controller.abort(reason);
    await clock.flush();
    expect(call.state()).toBe('rejected');
    expect(call.result()).toBe(reason);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBe(reason);
    await clock.advance(100_000);
    expect(task).toHaveBeenCalledTimes(1);
    expect(clock.pending()).toBe(0);
  });

  it('during an attempt that fails afterwards: no retry, no sleep, no onRetry', async () => {
    const { clock, policy, controller } = setup();
    const retries = collect(policy.onRetry);
    let fail: (e: unknown) => void = () => {};
    const task = vi.fn(() => new Promise((_, reject) => (fail = reject)));
    const call = track(policy.execute(task, { signal: controller.signal }));
    await clock.flush();
    controller.abort('stop');
    fail(new Error('late failure'));
    await clock.flush();
    expect(call.result()).toBe('stop');
    expect(clock.pending()).toBe(0);
    await clock.advance(10_000);
    expect(task).toHaveBeenCalledTimes(1);
    expect(retries.seen).toEqual([]);
  });

  it('during a sleep: rejects at once and cancels the timer', async () => {
    const { clock, policy, controller } = setup();
    const task = failTimes(10);
    const call = track(policy.execute(task, { signal: controller.signal }));
    await clock.advance(500);
    expect(task.calls).toBe(1);
    expect(clock.pending()).toBe(1);
    const reason = new Error('shutdown');
    controller.abort(reason);
    await clock.flush();
    expect(call.state()).toBe('rejected');
    expect(call.result()).toBe(reason);
    expect(clock.pending()).toBe(0);
    await clock.advance(1_000_000);
    expect(task.calls).toBe(1);
  });

  it.each([
    ['a string', 'why'],
    ['a number', 42],
    ['an object', { code: 'CANCELLED' }],
    ['null', null],
  ])('a custom reason (%s) propagates as is', async (_, reason) => {
    const { clock, policy, controller } = setup();
    const call = track(policy.execute(failTimes(10), { signal: controller.signal }));
    await clock.flush();
    controller.abort(reason);
    await clock.flush();
    expect(call.state()).toBe('rejected');
    expect(call.result()).toBe(reason);
  });

  it('abort() without a reason rejects with the signal default (an AbortError)', async () => {
    const { clock, policy, controller } = setup();
    const call = track(policy.execute(failTimes(10), { signal: controller.signal }));
    await clock.flush();
    controller.abort();
    await clock.flush();
    expect(call.result()).toBe(controller.signal.reason);
    expect((call.result() as Error).name).toBe('AbortError');
  });

  it('during a zero-delay retry loop: stops at the next attempt boundary', async () => {
    const { clock, policy, controller } = setup(constant(0));
    const reason = new Error('enough');
    let calls = 0;
    const task = (): never => {
      calls++;
      if (calls === 2) controller.abort(reason);
      throw new Error(`e${calls}`);
    };
    await expect(policy.execute(task, { signal: controller.signal })).rejects.toBe(reason);
    expect(calls).toBe(2);
    expect(clock.pending()).toBe(0);
  });

  it('a signal that never aborts changes nothing and leaves no timer behind', async () => {
    const { clock, policy, controller } = setup(constant(10));
    const call = policy.execute(failTimes(2), { signal: controller.signal });
    await clock.advance(20);
    await expect(call).resolves.toBe('ok');
    expect(clock.pending()).toBe(0);
  });
});

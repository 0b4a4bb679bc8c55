import { describe, expect, test } from 'vitest';
import {
  bulkhead,
  type Clock,
  circuitBreaker,
  consecutive,
  fallback,
  pipeline,
  retry,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

/** A clock whose timers cannot be set: a layer fails while admitting the call. */
const brokenTimers: Clock = {
  now: () => 0,
  setTimer: () => {
    throw new Error('no timers here');
  },
};

describe('fused pipeline, a layer that cannot admit the call', () => {
  test('fails it for the layers outside, which settle as if it had rejected', async () => {
    const limiter = bulkhead({ limit: 1 });
    const breaker = circuitBreaker({ breaker: consecutive(1) });
    const policy = pipeline(limiter, breaker, timeout({ after: 100, clock: brokenTimers }));
    await expect(policy.execute(() => 1)).rejects.toThrow('no timers here');
    expect(limiter.executing).toBe(0); // its slot was given back
    expect(breaker.state).toBe('open'); // the failure was counted
  });

  test('a fallback outside answers for it; a retry outside tries again', async () => {
    let timers = 0;
    const inner = new VirtualClock();
    const flaky: Clock = {
      now: () => 0,
      setTimer: ((callback: (arg: unknown) => void, ms: number, arg?: unknown) => {
        if (timers++ === 0) throw new Error('first timer fails');
        return inner.setTimer(callback, ms, arg);
      }) as Clock['setTimer'],
    };
    const retried = pipeline(retry({ maxAttempts: 2 }), timeout({ after: 100, clock: flaky }));
    await expect(retried.execute(() => 'second attempt')).resolves.toBe('second attempt');
    const answered = pipeline(
      fallback({ to: 'fallback' }),
      timeout({ after: 100, clock: brokenTimers }),
    );
    await expect(answered.execute(() => 'never')).resolves.toBe('fallback');
  });
});

describe('fused pipeline, outcomes that change on the way out', () => {
  test('a cooperative timeout turns a late success into a TimeoutError that outer layers see', async () => {
    const clock = new VirtualClock();
    const breaker = circuitBreaker({ breaker: consecutive(1), clock });
    const policy = pipeline(
      fallback({ to: (error) => `fallback for ${(error as Error).name}` }),
      breaker,
      timeout({ after: 100, clock }),
    );
    const call = policy.execute(
      () => new Promise<string>((resolve) => clock.setTimer(() => resolve('late'), 150)),
    );
    await clock.runAll();
    await expect(call).resolves.toBe('fallback for TimeoutError');
    expect(breaker.state).toBe('open'); // counted as a failure, not a success
  });

  test('a cooperative timeout turns a late failure into its TimeoutError for outer layers', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const policy = pipeline(
      fallback({
        to: 'answered',
        when: (error) => {
          seen.push((error as Error).name);
          return (error as Error).name === 'TimeoutError';
        },
      }),
      bulkhead({ limit: 1 }),
      timeout({ after: 100, clock }),
    );
    const call = policy.execute(
      () =>
        new Promise<string>((_, reject) =>
          clock.setTimer(() => reject(new RangeError('late failure')), 150),
        ),
    );
    await clock.runAll();
    await expect(call).resolves.toBe('answered');
    expect(seen).toEqual(['TimeoutError']);
  });

  test('layers outside a fallback that answers later settle only when its answer does', async () => {
    const clock = new VirtualClock();
    const limiter = bulkhead({ limit: 1 });
    let answer!: (value: string) => void;
    const policy = pipeline(
      limiter,
      fallback({ to: () => new Promise<string>((resolve) => (answer = resolve)) }),
      retry({ maxAttempts: 1, clock }),
    );
    const call = policy.execute(() => Promise.reject(new Error('down')));
    await clock.flush();
    expect(limiter.executing).toBe(1); // the slot is held while the fallback works
    answer('from cache');
    await expect(call).resolves.toBe('from cache');
    expect(limiter.executing).toBe(0);
  });
});

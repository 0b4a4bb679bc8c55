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

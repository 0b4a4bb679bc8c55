/**
 * Tests that kill surviving Stryker mutants of src/retry (npm run mutate): behaviour no other
 * test pinned down.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  constant,
  type RetryFailureEvent,
  type RetrySuccessEvent,
  retry,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { deferred, track } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

describe('retry: the clock is read for duration only when a listener is subscribed', () => {
  it('a retried call with no onSuccess/onFailure listener never reads the clock', async () => {
    const policy = retry({ maxAttempts: 3, backoff: constant(0), clock });
    const now = vi.spyOn(clock, 'now');
    let calls = 0;
    const result = await policy.execute(() => {
      calls++;
      if (calls < 3) throw new Error(`failure ${calls}`);
      return 'third time';
    });
    expect([result, calls]).toEqual(['third time', 3]);
    expect(now).not.toHaveBeenCalled();
  });

  it('an attempt already running when onSuccess subscribes reports duration 0', async () => {
    const policy = retry({ maxAttempts: 2, backoff: constant(0), clock });
    const second = deferred<string>();
    let calls = 0;
    const call = track(
      policy.execute(() => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('first')) : second.promise;
      }),
    );
    await clock.flush();
    expect(calls).toBe(2); // the second attempt is running
    const seen: RetrySuccessEvent[] = [];
    policy.onSuccess((e) => seen.push(e));
    await clock.advance(30);
    second.resolve('late');
    await expect(call.promise).resolves.toBe('late');
    expect(seen).toEqual([{ attempt: 2, duration: 0, outcome: { value: 'late' } }]);
  });

  it('with only onSuccess subscribed, an attempt reports the time it took', async () => {
    const policy = retry({ maxAttempts: 1, clock });
    const seen: RetrySuccessEvent[] = [];
    policy.onSuccess((e) => seen.push(e));
    const task = deferred<string>();
    const call = track(policy.execute(() => task.promise));
    await clock.advance(30);
    task.resolve('ok');
    await expect(call.promise).resolves.toBe('ok');
    expect(seen).toEqual([{ attempt: 1, duration: 30, outcome: { value: 'ok' } }]);
  });

  it('with only onFailure subscribed, an attempt reports the time it took', async () => {
    const policy = retry({ maxAttempts: 1, clock });
    const seen: RetryFailureEvent[] = [];
    policy.onFailure((e) => seen.push(e));
    const task = deferred<string>();
    const call = track(policy.execute(() => task.promise));
    await clock.advance(20);
    const error = new Error('down');
    task.reject(error);
    await expect(call.promise).rejects.toBe(error);
    expect(seen).toEqual([{ attempt: 1, duration: 20, outcome: { error }, handled: true }]);
  });
});

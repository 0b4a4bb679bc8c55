/**
 * Tests that kill surviving Stryker mutants of src/bulkhead (npm run mutate): behaviour no other
 * test pinned down.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BulkheadFailureEvent, type BulkheadSuccessEvent, bulkhead } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { deferred, track } from '../helpers/common.js';
import { SilentContext } from '../helpers/silent-context.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

describe('bulkhead: a call that started with no listener', () => {
  it('fails: listeners subscribed meanwhile get onFailure with duration 0, not onSuccess', async () => {
    const policy = bulkhead({ limit: 1, clock });
    const task = deferred<string>();
    const call = track(policy.execute(() => task.promise));
    const successes: BulkheadSuccessEvent[] = [];
    const failures: BulkheadFailureEvent[] = [];
    policy.onSuccess((e) => successes.push(e));
    policy.onFailure((e) => failures.push(e));
    await clock.advance(30);
    const error = new Error('down');
    task.reject(error);
    await expect(call.promise).rejects.toBe(error);
    expect(successes).toEqual([]);
    expect(failures).toEqual([{ duration: 0, outcome: { error } }]);
    expect([policy.executing, policy.available]).toEqual([0, 1]);
  });
});

describe('bulkhead: releasing a slot', () => {
  it('when the only waiter is found aborted, the slot stays free and the releasing call still resolves', async () => {
    const policy = bulkhead({ limit: 1, queue: 1, clock });
    const running = deferred<string>();
    const started: string[] = [];
    const a = track(policy.execute(() => running.promise));
    const ctx = new SilentContext();
    const b = track(
      policy.invoke(
        () => {
          started.push('b');
          return 'b';
        },
        ctx,
        undefined,
      ),
    );
    ctx.aborted = true; // as when another listener of the same abort ran first
    ctx.reason = 'late';
    running.resolve('a');
    await clock.flush();
    expect(a.result).toEqual({ state: 'resolved', value: 'a' });
    expect(b.result).toEqual({ state: 'rejected', reason: 'late' });
    expect(started).toEqual([]);
    expect([policy.executing, policy.queued, policy.available]).toEqual([0, 0, 1]);
    await expect(policy.execute(() => 'next')).resolves.toBe('next');
  });
});

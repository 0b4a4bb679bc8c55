import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BulkheadFailureEvent,
  bulkhead,
  constant,
  fallback,
  isBulkheadRejectedError,
  isTimeoutError,
  pipeline,
  retry,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { deferred, never, track, untilAborted } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

describe('bulkhead in a pipeline', () => {
  it('a fallback outside answers for a full bulkhead', async () => {
    const inner = bulkhead({ limit: 1, clock });
    const policy = pipeline(fallback({ to: 'busy' }), inner);
    const gate = deferred<string>();
    const first = policy.execute(() => gate.promise);
    await expect(policy.execute(() => 'never runs')).resolves.toBe('busy');
    gate.resolve('done');
    await expect(first).resolves.toBe('done');
  });

  it('a retry outside retries a rejected call until a slot frees; each attempt takes a slot', async () => {
    const inner = bulkhead({ limit: 1, clock });
    const policy = pipeline(
      retry({ maxAttempts: 5, backoff: constant(50), when: isBulkheadRejectedError, clock }),
      inner,
    );
    const gate = deferred<string>();
    const holder = inner.execute(() => gate.promise);
    const call = track(policy.execute(({ attempt }) => `ran on attempt ${attempt}`));
    await clock.advance(50);
    expect([call.state, inner.executing]).toEqual(['pending', 1]); // attempt 2 was rejected too
    gate.resolve('done');
    await clock.advance(50); // during the sleep the retried call holds no slot
    expect(call.result).toEqual({ state: 'resolved', value: 'ran on attempt 3' });
    await holder;
    expect(inner.executing).toBe(0);
  });

  it('a bulkhead outside a retry holds one slot for the whole call, sleeps included', async () => {
    const outer = bulkhead({ limit: 1, clock });
    const policy = pipeline(outer, retry({ maxAttempts: 3, backoff: constant(100), clock }));
    let attempts = 0;
    const call = track(
      policy.execute(() => {
        attempts++;
        if (attempts < 3) throw new Error(`attempt ${attempts}`);
        return 'third time';
      }),
    );
    await clock.advance(150); // asleep before attempt 3
    expect([attempts, outer.executing]).toEqual([2, 1]);
    await expect(policy.execute(() => 'x')).rejects.toSatisfy(isBulkheadRejectedError);
    await clock.advance(50);
    expect(call.result).toEqual({ state: 'resolved', value: 'third time' });
    expect(outer.executing).toBe(0);
  });

  it('an inner aggressive timeout frees the slot at its deadline, though the task hangs', async () => {
    const outer = bulkhead({ limit: 1, queue: 1, clock });
    const failures: BulkheadFailureEvent[] = [];
    outer.onFailure((e) => failures.push(e));
    const policy = pipeline(outer, timeout({ after: 100, mode: 'aggressive', clock }));
    const hung = track(policy.execute(() => never()));
    const next = track(policy.execute(() => 'next ran'));
    await clock.advance(99);
    expect([outer.executing, outer.queued]).toEqual([1, 1]);
    await clock.advance(1);
    expect(hung.state).toBe('rejected');
    expect(isTimeoutError((hung.result as { reason: unknown }).reason)).toBe(true);
    expect(next.result).toEqual({ state: 'resolved', value: 'next ran' });
    expect([outer.executing, outer.queued]).toEqual([0, 0]);
    expect(failures.map((f) => [f.duration, isTimeoutError(f.outcome.error)])).toEqual([
      [100, true],
    ]);
  });

  it('an inner cooperative timeout frees the slot when the task honours its signal', async () => {
    const outer = bulkhead({ limit: 1, clock });
    const policy = pipeline(outer, timeout({ after: 100, clock }));
    const call = track(policy.execute(({ signal }) => untilAborted(signal)));
    await clock.advance(100);
    expect(call.state).toBe('rejected');
    expect(outer.executing).toBe(0);
  });

  it('a bulkhead inside an outer timeout: a waiter that starts before the deadline runs normally', async () => {
    const inner = bulkhead({ limit: 1, queue: 1, clock });
    const policy = pipeline(timeout({ after: 100, clock }), inner);
    const gate = deferred<string>();
    inner.execute(() => gate.promise);
    const waiting = track(policy.execute(() => 'late'));
    await clock.advance(60);
    gate.resolve('done');
    await clock.flush();
    expect(waiting.result).toEqual({ state: 'resolved', value: 'late' });
    expect([inner.executing, inner.queued]).toEqual([0, 0]);
  });
});

import { describe, expect, test, vi } from 'vitest';
import { unwatchSignal, watchSignal } from '../../src/core/signal-watchers.js';
import { bulkhead, circuitBreaker, pipeline, retry, timeout } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, deferred } from '../helpers/common.js';

// Many calls in flight often share one caller signal (a shutdown or request signal). They share
// one 'abort' listener on it, so adding and removing a call costs O(1) however many are there.
describe('calls sharing one caller signal', () => {
  test('hold one abort listener in all while in flight, and none once settled', async () => {
    const clock = new VirtualClock();
    const policy = pipeline(
      bulkhead({ limit: 50, queue: 1_000 }),
      timeout({ after: 1_000, clock }),
      retry({ maxAttempts: 2, clock }),
    );
    const caller = countingSignal();
    const gates = Array.from({ length: 200 }, () => deferred<number>());
    const calls = gates.map((gate) =>
      policy.execute(() => gate.promise, { signal: caller.signal }),
    );
    await clock.flush();
    expect(caller.listeners()).toBe(1);
    for (const [i, gate] of gates.entries()) gate.resolve(i);
    await expect(Promise.all(calls)).resolves.toEqual(gates.map((_, i) => i));
    expect(caller.listeners()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  test('an abort rejects every call on the signal with its reason, in the order they started', async () => {
    const clock = new VirtualClock();
    const policy = pipeline(timeout({ after: 1_000, clock }), circuitBreaker({ clock }));
    const caller = countingSignal();
    const order: number[] = [];
    const calls = Array.from({ length: 100 }, (_, i) =>
      policy
        .execute(() => new Promise<never>(() => {}), { signal: caller.signal })
        .catch((error: unknown) => {
          order.push(i);
          return error;
        }),
    );
    const reason = new Error('shutting down');
    caller.abort(reason);
    const errors = await Promise.all(calls);
    expect(errors.every((error) => error === reason)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(caller.listeners()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  test('a call that settles before the abort is not told; one still running is', async () => {
    const caller = countingSignal();
    const done = deferred<number>();
    const quick = timeout({ after: 1_000, clock: new VirtualClock() }).execute(() => 1, {
      signal: caller.signal,
    });
    const slow = timeout({ after: 1_000, clock: new VirtualClock() }).execute(() => done.promise, {
      signal: caller.signal,
    });
    await expect(quick).resolves.toBe(1);
    expect(caller.listeners()).toBe(1);
    caller.abort(new Error('stop'));
    await expect(slow).rejects.toThrow('stop');
    expect(caller.listeners()).toBe(0);
  });
});

describe('watchSignal / unwatchSignal', () => {
  test('unwatching a signal nothing ever watched does nothing', () => {
    const signal = new AbortController().signal;
    expect(() => unwatchSignal(signal, { handleEvent: () => {} })).not.toThrow();
  });

  test('a throwing watcher is reported; the others are still told, once each', () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    try {
      const controller = new AbortController();
      const told: string[] = [];
      const boom = new Error('watcher failed');
      watchSignal(controller.signal, { handleEvent: () => told.push('a') });
      watchSignal(controller.signal, {
        handleEvent: () => {
          throw boom;
        },
      });
      watchSignal(controller.signal, { handleEvent: () => told.push('c') });
      controller.abort();
      controller.signal.dispatchEvent(new Event('abort'));
      expect(told).toEqual(['a', 'c']);
      expect(report).toHaveBeenCalledTimes(1);
      expect(report).toHaveBeenCalledWith(boom);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

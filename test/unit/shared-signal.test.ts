import { describe, expect, test, vi } from 'vitest';
import { chaosFetch, createFailpoints } from '../../src/chaos/index.js';
import { unwatchSignal, watchSignal } from '../../src/core/signal-watchers.js';
import { bulkhead, circuitBreaker, pipeline, retry, timeout } from '../../src/index.js';
import { faultPlanTask, VirtualClock } from '../../src/testing/index.js';
import { countingSignal, deferred, track } from '../helpers/common.js';

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

// The waits outside the policies (a failpoint's delay or hang, a fault plan's latency or hang,
// chaosFetch's delay and stalled body) share the same one listener.
describe('chaos and testing waits sharing one caller signal', () => {
  test('hold one abort listener in all while waiting, none once done, and reject with the reason on abort', async () => {
    const clock = new VirtualClock();
    const caller = countingSignal();
    const signal = caller.signal;
    const points = createFailpoints();
    points.use({ clock });
    points.set('slow', 'delay(10)');
    points.set('stuck', 'hang');
    const plan = faultPlanTask([{ kind: 'ok', latency: 10 }, { kind: 'hang' }], clock);
    const fetchDelay = chaosFetch(async () => new Response('real'), {
      fault: { delay: 10 },
      clock,
    });
    const stalled = await chaosFetch(async () => new Response('real'), {
      fault: { stallBody: true },
      clock,
    })('http://127.0.0.1/', { signal });

    const done = [
      track(points.failpoint('slow', { signal })!),
      track(plan({ signal }) as Promise<number>),
      track(fetchDelay('http://127.0.0.1/', { signal })),
    ];
    const stuck = [
      track(points.failpoint('stuck', { signal })!),
      track(plan({ signal }) as Promise<number>),
      track(stalled.text()),
    ];
    await clock.flush();
    expect(caller.listeners()).toBe(1);
    await clock.advance(10);
    expect(done.map((c) => c.state)).toEqual(['resolved', 'resolved', 'resolved']);
    expect(caller.listeners()).toBe(1); // the three stuck ones still wait
    const reason = new Error('shutting down');
    caller.abort(reason);
    await clock.flush();
    expect(stuck.map((c) => c.result)).toEqual([
      { state: 'rejected', reason },
      { state: 'rejected', reason },
      { state: 'rejected', reason },
    ]);
    expect(caller.listeners()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  test('a failpoint released by reconfiguring stops watching the signal', async () => {
    const caller = countingSignal();
    const points = createFailpoints();
    points.set('stuck', 'hang');
    const call = track(points.failpoint('stuck', { signal: caller.signal })!);
    expect(caller.listeners()).toBe(1);
    points.set('stuck', 'off');
    await Promise.resolve();
    await Promise.resolve();
    expect(call.result).toEqual({ state: 'resolved', value: undefined });
    expect(caller.listeners()).toBe(0);
  });
});

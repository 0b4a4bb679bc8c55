/**
 * The circuit breaker in a pipeline: with retry (outside), timeout (inside and outside),
 * fallback (outside), and the caller's signal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BreakEvent,
  BrokenCircuitError,
  circuitBreaker,
  consecutive,
  constant,
  fallback,
  isBrokenCircuitError,
  pipeline,
  retry,
  TimeoutError,
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

const down = () => Promise.reject(new Error('down'));

function breakerWithLog(threshold: number, halfOpenAfter = 1_000) {
  const breaker = circuitBreaker({ breaker: consecutive(threshold), halfOpenAfter, clock });
  const breaks: BreakEvent[] = [];
  breaker.onBreak((e) => breaks.push(e));
  return { breaker, breaks };
}

describe('circuit breaker in a pipeline', () => {
  it('retry outside: stops at the BrokenCircuitError when `when` excludes it', async () => {
    const { breaker } = breakerWithLog(2);
    let calls = 0;
    const policy = pipeline(
      retry({ maxAttempts: 5, backoff: constant(0), when: (e) => !isBrokenCircuitError(e), clock }),
      breaker,
    );
    const error = await policy
      .execute(() => {
        calls++;
        return down();
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(calls).toBe(2);
  });

  it("retry outside: waits out the break with retryAfter from the breaker's error, then probes", async () => {
    const { breaker } = breakerWithLog(1, 700);
    const times: number[] = [];
    const policy = pipeline(
      retry({
        maxAttempts: 3,
        backoff: constant(0),
        retryAfter: ({ error }) => (isBrokenCircuitError(error) ? error.retryAfter : undefined),
        clock,
      }),
      breaker,
    );
    const call = track(
      policy.execute(() => {
        times.push(clock.now());
        return times.length === 1 ? down() : 'up';
      }),
    );
    await clock.advance(700);
    expect(call.result).toEqual({ state: 'resolved', value: 'up' });
    expect(times).toEqual([0, 700]);
    expect(breaker.state).toBe('closed');
  });

  it('timeout inside: a TimeoutError is a failure, even when the task ignores its signal', async () => {
    const { breaker, breaks } = breakerWithLog(1);
    const policy = pipeline(breaker, timeout({ after: 100, mode: 'aggressive', clock }));
    const call = track(policy.execute(() => never()));
    await clock.advance(100);
    expect((call.result as { reason: unknown }).reason).toBeInstanceOf(TimeoutError);
    expect(breaker.state).toBe('open');
    expect(breaks[0]!.reason).toBe('consecutive');
    expect(breaks[0]!.outcome.error).toBeInstanceOf(TimeoutError);
  });

  it('timeout outside: a call it aborts is a failure (task honours the signal)', async () => {
    const { breaker, breaks } = breakerWithLog(1);
    const policy = pipeline(timeout({ after: 100, clock }), breaker);
    const call = track(policy.execute(({ signal }) => untilAborted(signal)));
    await clock.advance(100);
    expect((call.result as { reason: unknown }).reason).toBeInstanceOf(TimeoutError);
    expect(breaker.state).toBe('open');
    expect(breaks[0]!.outcome.error).toBeInstanceOf(TimeoutError);
  });

  it('a TimeoutError is a failure even when `when` does not accept it', async () => {
    const { breaker } = breakerWithLog(1);
    const only = circuitBreaker({ breaker: consecutive(1), when: RangeError, clock });
    for (const b of [breaker, only]) {
      const policy = pipeline(b, timeout({ after: 10, mode: 'aggressive', clock }));
      const call = track(policy.execute(() => never()));
      await clock.advance(10);
      expect((call.result as { reason: unknown }).reason).toBeInstanceOf(TimeoutError);
      expect(b.state).toBe('open');
    }
  });

  it('timeout outside: a call it aborted counts as a failure when its task settles, even with a value', async () => {
    const { breaker, breaks } = breakerWithLog(1);
    const policy = pipeline(timeout({ after: 100, mode: 'aggressive', clock }), breaker);
    const task = deferred<string>();
    const call = track(policy.execute(() => task.promise));
    await clock.advance(100);
    expect((call.result as { reason: unknown }).reason).toBeInstanceOf(TimeoutError);
    task.resolve('late');
    await clock.flush();
    expect(breaker.state).toBe('open');
    expect(breaks).toEqual([
      { reason: 'consecutive', outcome: { value: 'late' }, retryAfter: 1_000 },
    ]);
  });

  it('an open breaker rejects before any inner policy runs: no timeout timer is armed', async () => {
    const { breaker } = breakerWithLog(1);
    await breaker.execute(down).catch(() => {});
    let calls = 0;
    const policy = pipeline(breaker, timeout({ after: 100, clock }));
    const call = track(policy.execute(() => ++calls));
    expect(clock.pending()).toBe(0);
    await clock.flush();
    expect(call.state).toBe('rejected');
    expect(calls).toBe(0);
  });

  it('fallback outside answers for an open breaker without calling fn', async () => {
    const { breaker } = breakerWithLog(1);
    const seen: unknown[] = [];
    const policy = pipeline(
      fallback({
        to: (error: unknown) => {
          seen.push(error);
          return 'cached';
        },
      }),
      breaker,
    );
    await expect(policy.execute(down)).resolves.toBe('cached');
    let calls = 0;
    await expect(policy.execute(() => ++calls)).resolves.toBe('cached');
    expect(calls).toBe(0);
    expect(seen[1]).toBeInstanceOf(BrokenCircuitError);
  });

  it("the caller's abort rejects at once through retry, breaker and timeout, counts nothing, leaves nothing", async () => {
    const { breaker } = breakerWithLog(1);
    const caller = new AbortController();
    const policy = pipeline(
      retry({ maxAttempts: 3, backoff: constant(10), clock }),
      breaker,
      timeout({ after: 1_000, clock }),
    );
    const call = track(policy.execute(({ signal }) => untilAborted(signal), caller));
    await clock.advance(10);
    caller.abort('gone');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'gone' });
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0 });
  });

  it('wrap() counts like execute()', async () => {
    const { breaker } = breakerWithLog(2);
    const fetchUser = breaker.wrap((id: number) => (id < 0 ? down() : `user ${id}`));
    await expect(fetchUser(1)).resolves.toBe('user 1');
    await expect(fetchUser(-1)).rejects.toThrow('down');
    await expect(fetchUser(-1)).rejects.toThrow('down');
    await expect(fetchUser(2)).rejects.toBeInstanceOf(BrokenCircuitError);
  });

  it('one breaker shared by two pipelines counts the calls of both', async () => {
    const { breaker } = breakerWithLog(2);
    const a = pipeline(retry({ maxAttempts: 1, clock }), breaker);
    const b = pipeline(breaker, timeout({ after: 50, clock }));
    await a.execute(down).catch(() => {});
    await b.execute(down).catch(() => {});
    expect(breaker.state).toBe('open');
    await expect(a.execute(() => 1)).rejects.toBeInstanceOf(BrokenCircuitError);
  });
});

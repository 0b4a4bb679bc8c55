/**
 * Slow calls (`slowCall: { threshold, ratio }`, window breakers only): a call taking at least
 * `threshold` ms on the breaker's clock, from admission to settlement, is slow; a slow probe is
 * a failed probe.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BreakEvent,
  type CircuitBreakerPolicy,
  circuitBreaker,
  consecutive,
  countWindow,
  timeWindow,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { thrownBy, track } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** Runs a call that settles `ms` later on the clock (ok: resolves 'v', else rejects). */
async function call(breaker: CircuitBreakerPolicy, ms: number, ok = true) {
  const c = track(
    breaker.execute(
      () =>
        new Promise<string>((resolve, reject) => {
          clock.setTimer(() => (ok ? resolve('v') : reject(new Error('x'))), ms);
        }),
    ),
  );
  await clock.advance(ms);
  return c;
}

const slowFigures = (b: CircuitBreakerPolicy) => {
  const { state, calls, failures, slowCalls, slowCallRatio } = b.metrics();
  return { state, calls, failures, slowCalls, slowCallRatio };
};

function breakLog(breaker: CircuitBreakerPolicy): BreakEvent[] {
  const seen: BreakEvent[] = [];
  breaker.onBreak((e) => seen.push(e));
  return seen;
}

describe('slow calls', () => {
  it('a call of exactly `threshold` ms is slow, one ms under is not; opens at the slow ratio', async () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 4, failureRatio: 1 }),
      slowCall: { threshold: 100, ratio: 0.5 },
      clock,
    });
    const breaks = breakLog(breaker);
    for (const ms of [99, 100, 99, 99])
      expect((await call(breaker, ms)).result).toEqual({ state: 'resolved', value: 'v' });
    expect(slowFigures(breaker)).toEqual({
      state: 'closed',
      calls: 4,
      failures: 0,
      slowCalls: 1,
      slowCallRatio: 0.25,
    });
    await call(breaker, 150); // window: 100, 99, 99, 150
    expect(slowFigures(breaker)).toEqual({
      state: 'open',
      calls: 4,
      failures: 0,
      slowCalls: 2,
      slowCallRatio: 0.5,
    });
    expect(breaks).toEqual([
      { reason: 'slow-call-ratio', outcome: { value: 'v' }, retryAfter: 10_000 },
    ]);
  });

  it('a slow failure counts as both; failure-ratio is the reason when both ratios are reached', async () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 2, failureRatio: 0.5 }),
      slowCall: { threshold: 10, ratio: 0.5 },
      clock,
    });
    const breaks = breakLog(breaker);
    await call(breaker, 0);
    const slowFailure = await call(breaker, 10, false);
    expect(slowFailure.state).toBe('rejected');
    expect(slowFigures(breaker)).toEqual({
      state: 'open',
      calls: 2,
      failures: 1,
      slowCalls: 1,
      slowCallRatio: 0.5,
    });
    expect(breaks.map((b) => b.reason)).toEqual(['failure-ratio']);
  });

  it('a synchronous call takes 0 ms and is never slow', async () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 1 }),
      slowCall: { threshold: 0.001, ratio: 1 },
      clock,
    });
    await expect(breaker.execute(() => 'sync')).resolves.toBe('sync');
    expect(slowFigures(breaker)).toMatchObject({ state: 'closed', calls: 1, slowCalls: 0 });
  });

  it('timeWindow: slow calls open it and leave the window with their bucket', async () => {
    const breaker = circuitBreaker({
      breaker: timeWindow({ duration: 1_000, buckets: 10, minThroughput: 3 }),
      slowCall: { threshold: 50, ratio: 0.75 },
      clock,
    });
    const breaks = breakLog(breaker);
    await call(breaker, 50); // settles at t=50, bucket 0
    await call(breaker, 60); // settles at t=110, bucket 1
    expect(slowFigures(breaker)).toMatchObject({ calls: 2, slowCalls: 2, slowCallRatio: 1 });
    await clock.advance(890); // t=1000: bucket 0 leaves
    expect(slowFigures(breaker)).toMatchObject({ calls: 1, slowCalls: 1 });
    await call(breaker, 0);
    await call(breaker, 70); // t=1070
    expect(slowFigures(breaker)).toMatchObject({ state: 'closed', calls: 3, slowCalls: 2 });
    await clock.advance(30); // t=1100: bucket 1 leaves
    await call(breaker, 50);
    expect(slowFigures(breaker)).toMatchObject({ state: 'closed', calls: 3, slowCalls: 2 });
    await call(breaker, 50);
    expect(slowFigures(breaker)).toEqual({
      state: 'open',
      calls: 4,
      failures: 0,
      slowCalls: 3,
      slowCallRatio: 0.75,
    });
    expect(breaks.map((b) => b.reason)).toEqual(['slow-call-ratio']);
  });

  it('timeWindow: opens with slow-call-ratio when every call in the window is slow', async () => {
    const breaker = circuitBreaker({
      breaker: timeWindow({ duration: 1_000, minThroughput: 2 }),
      slowCall: { threshold: 50, ratio: 1 },
      clock,
    });
    const breaks = breakLog(breaker);
    await call(breaker, 50);
    await call(breaker, 80);
    expect(breaker.state).toBe('open');
    expect(breaks).toEqual([
      { reason: 'slow-call-ratio', outcome: { value: 'v' }, retryAfter: 10_000 },
    ]);
  });

  it('a slow probe counts as a failed probe: it opens again, though the call resolves', async () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 1 }),
      slowCall: { threshold: 100, ratio: 1 },
      halfOpenAfter: 1_000,
      clock,
    });
    const breaks = breakLog(breaker);
    await call(breaker, 0, false);
    await clock.advance(1_000);
    expect((await call(breaker, 100)).result).toEqual({ state: 'resolved', value: 'v' });
    expect(breaker.metrics()).toMatchObject({ state: 'open', retryAfter: 1_000 });
    expect(breaks[1]).toEqual({
      reason: 'half-open-failure',
      outcome: { value: 'v' },
      retryAfter: 1_000,
    });
    await clock.advance(1_000);
    await call(breaker, 99);
    expect(breaker.state).toBe('closed');
  });

  it('needs a window breaker: with consecutive it is a TypeError', () => {
    const e = thrownBy(() =>
      circuitBreaker({ breaker: consecutive(3), slowCall: { threshold: 1, ratio: 1 } }),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      'circuitBreaker: `slowCall` needs a window breaker (countWindow or timeWindow); consecutive(3) has no window to take a ratio of',
    );
  });
});

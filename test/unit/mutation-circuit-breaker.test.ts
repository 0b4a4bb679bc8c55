/**
 * Tests that kill surviving Stryker mutants of src/circuit-breaker (npm run mutate): behaviour
 * no other test pinned down.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CircuitBreakerPolicy,
  type CircuitBreakerSnapshot,
  circuitBreaker,
  countWindow,
  pipeline,
  timeout,
  timeWindow,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { deferred } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** Plays `F` (a failure) or `S` (a success) through the breaker, one call after the other. */
async function play(breaker: CircuitBreakerPolicy, pattern: string): Promise<void> {
  for (const c of pattern) {
    await breaker
      .execute(() => (c === 'F' ? Promise.reject(new Error('down')) : 'ok'))
      .catch(() => {});
  }
}

/** A closed breaker's snapshot around `window`, taken at wall time 0. */
function closedSnapshot(window: unknown): CircuitBreakerSnapshot {
  return {
    version: 1,
    state: 'closed',
    openUntil: null,
    breaks: 0,
    previousDelay: null,
    takenAt: 0,
    window,
  } as unknown as CircuitBreakerSnapshot;
}

describe('countWindow: closing forgets the window', () => {
  const options = () => ({
    breaker: countWindow({ size: 4, failureRatio: 0.5, minThroughput: 2 }),
    halfOpenAfter: 100,
    clock,
  });

  it('after a successful probe, one failure is 1 of 1 calls and does not open the breaker again', async () => {
    const breaker = circuitBreaker(options());
    await play(breaker, 'FF');
    expect(breaker.state).toBe('open');
    await clock.advance(100);
    await play(breaker, 'S');
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics()).toMatchObject({ calls: 0, failures: 0 });
    await play(breaker, 'F');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 1, failures: 1 });
  });

  it('reset() empties the window of a closed breaker', async () => {
    const breaker = circuitBreaker(options());
    await play(breaker, 'SF');
    expect(breaker.metrics()).toMatchObject({ calls: 2, failures: 1 });
    breaker.reset();
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    await play(breaker, 'F');
    expect(breaker.state).toBe('closed');
  });
});

describe('snapshot()', () => {
  it('countWindow not yet full: the outcomes so far, oldest first', async () => {
    const breaker = circuitBreaker({ breaker: countWindow({ size: 4, failureRatio: 1 }), clock });
    await play(breaker, 'FS');
    expect(breaker.snapshot().window).toEqual({ kind: 'count', size: 4, outcomes: [1, 0] });
  });
});

describe('restore: countWindow', () => {
  it('accepts every outcome code, 3 (a slow failure) included', () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 4, failureRatio: 1 }),
      clock,
      wallClock: () => 0,
      restore: closedSnapshot({ kind: 'count', size: 4, outcomes: [3, 0, 1, 2] }),
    });
    expect(breaker.metrics()).toMatchObject({ calls: 4, failures: 2, slowCalls: 2 });
  });
});

describe('restore: consecutive failures bound', () => {
  const snapshot = (failures: number) => closedSnapshot({ kind: 'consecutive', failures });

  it('accepts failures = 2 ** 31, the largest allowed', () => {
    const breaker = circuitBreaker({ restore: snapshot(2 ** 31), clock, wallClock: () => 0 });
    expect(breaker.metrics()).toMatchObject({ failures: 2 ** 31 });
  });

  it('rejects failures = 2 ** 31 + 1 with a TypeError naming the field and the bound', () => {
    expect(() => circuitBreaker({ restore: snapshot(2 ** 31 + 1), clock })).toThrow(
      new TypeError(
        'circuitBreaker: `restore` is not a valid snapshot: window.failures must be an integer >= 0 and <= 2147483648, got 2147483649',
      ),
    );
  });
});

describe('restore: timeWindow bucket counts', () => {
  const restoring = (bucket: number[]) => () =>
    circuitBreaker({
      breaker: timeWindow({ duration: 1_000, buckets: 2 }),
      clock,
      wallClock: () => 0,
      restore: closedSnapshot({ kind: 'time', duration: 1_000, buckets: [[0, 0, 0], bucket] }),
    });
  const invalid = new TypeError(
    'circuitBreaker: `restore` is not a valid snapshot: window.buckets[1] must be [calls, failures, slow], integers with failures and slow <= calls',
  );

  it('accepts counts up to 2 ** 32 - 1', () => {
    expect(restoring([2 ** 32 - 1, 0, 0])().metrics()).toMatchObject({ calls: 2 ** 32 - 1 });
  });

  it.each([[[2 ** 32, 0, 0]], [[-1, -1, -1]]])('rejects the bucket %j', (bucket) => {
    expect(restoring(bucket)).toThrow(invalid);
  });
});

describe('closed fast paths count each outcome once, in its own period', () => {
  it('a call started before the breaker opened that succeeds after it closed again is not counted', async () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 10, failureRatio: 0.5, minThroughput: 2 }),
      halfOpenAfter: 100,
      clock,
    });
    const slow = deferred<string>();
    const early = breaker.execute(() => slow.promise);
    await play(breaker, 'FF');
    expect(breaker.state).toBe('open');
    await clock.advance(100);
    await play(breaker, 'S'); // the probe closes it
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0 });
    slow.resolve('late');
    await expect(early).resolves.toBe('late');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
  });

  it('same with whenResult (the general path): the late success of an earlier period is not counted', async () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 10, failureRatio: 0.5, minThroughput: 2 }),
      halfOpenAfter: 100,
      whenResult: () => false,
      clock,
    });
    const slow = deferred<string>();
    const early = breaker.execute(() => slow.promise);
    await play(breaker, 'FF');
    await clock.advance(100);
    await play(breaker, 'S');
    slow.resolve('late');
    await expect(early).resolves.toBe('late');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
  });

  it('inside pipeline(timeout, breaker), a success counts as a success', async () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 4, failureRatio: 0.5, minThroughput: 1 }),
      clock,
    });
    const policy = pipeline(timeout({ after: 1_000, clock }), breaker);
    await expect(policy.execute(() => 'ok')).resolves.toBe('ok');
    await expect(policy.execute(async () => 'ok')).resolves.toBe('ok');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 2, failures: 0 });
  });
});

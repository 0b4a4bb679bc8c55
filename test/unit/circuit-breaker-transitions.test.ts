/**
 * Circuit breaker state machine: closed → open → half-open → closed / open, the open
 * rejection, lazy half-opening. What counts as a failure: circuit-breaker-counting.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BreakwaterError,
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  captureRejectionStacks,
  circuitBreaker,
  consecutive,
  isBrokenCircuitError,
  isIsolatedCircuitError,
  type StateChangeEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { fail, ServiceError } from '../helpers/breaker.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  // The breaker never schedules a timer, whatever state it is in.
  expect(clock.pending()).toBe(0);
});

function openBreaker(threshold = 1, halfOpenAfter = 1_000) {
  return circuitBreaker({ breaker: consecutive(threshold), halfOpenAfter, clock });
}

describe('circuit breaker: closed → open', () => {
  it('a new breaker is closed with empty metrics', () => {
    const breaker = circuitBreaker({ clock });
    expect(breaker.state).toBe('closed');
    expect(breaker.mode).toBe('normal');
    expect(breaker.metrics()).toEqual({
      state: 'closed',
      calls: 0,
      failures: 0,
      slowCalls: 0,
      failureRatio: 0,
      slowCallRatio: 0,
      retryAfter: 0,
    });
  });

  it('defaults: consecutive(5) opens on the fifth failure in a row; a success restarts the run', async () => {
    const breaker = circuitBreaker({ clock });
    await fail(breaker, 4);
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 4, failures: 4 });
    await expect(breaker.execute(() => 'ok')).resolves.toBe('ok');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    await fail(breaker, 4);
    expect(breaker.state).toBe('closed');
    await fail(breaker, 1);
    expect(breaker.metrics()).toEqual({
      state: 'open',
      calls: 5,
      failures: 5,
      slowCalls: 0,
      failureRatio: 1,
      slowCallRatio: 0,
      retryAfter: 10_000,
    });
  });

  it('defaults: half-opens 10_000 ms after the break, not a millisecond sooner', async () => {
    const breaker = circuitBreaker({ clock });
    await fail(breaker, 5);
    await clock.advance(9_999);
    expect(breaker.metrics()).toMatchObject({ state: 'open', retryAfter: 1 });
    await clock.advance(1);
    expect(breaker.metrics()).toMatchObject({ state: 'half-open', retryAfter: 0 });
  });

  it('a synchronous throw counts like a rejection; a plain value like a success', async () => {
    const breaker = openBreaker(2);
    const sync = () => {
      throw new ServiceError('sync');
    };
    await expect(breaker.execute(sync)).rejects.toThrow('sync');
    await expect(breaker.execute(() => 7)).resolves.toBe(7);
    await expect(breaker.execute(sync)).rejects.toThrow('sync');
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(sync)).rejects.toThrow('sync');
    expect(breaker.state).toBe('open');
  });
});

describe('circuit breaker: open', () => {
  it('rejects at once with a stackless BrokenCircuitError and never calls fn', async () => {
    const breaker = openBreaker(1, 1_000);
    await fail(breaker, 1);
    await clock.advance(250);
    let calls = 0;
    const error = await breaker.execute(() => ++calls).catch((e: unknown) => e);
    expect(calls).toBe(0);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(error).toBeInstanceOf(BreakwaterError);
    const e = error as BrokenCircuitError;
    expect([e.name, e.code, e.retryAfter, e.state]).toEqual([
      'BrokenCircuitError',
      'ERR_CIRCUIT_OPEN',
      750,
      'open',
    ]);
    expect(e.message).toBe('Circuit is open; it half-opens in 750 ms');
    expect(e.stack!.split('\n')).toHaveLength(1);
    expect(isBrokenCircuitError(e)).toBe(true);
    expect(isIsolatedCircuitError(e)).toBe(false);
  });

  it('the message rounds a fractional retryAfter up', async () => {
    const breaker = openBreaker(1, 1_000);
    await fail(breaker, 1);
    await clock.advance(0.5);
    const e = (await breaker.execute(() => 1).catch((x: unknown) => x)) as BrokenCircuitError;
    expect(e.retryAfter).toBe(999.5);
    expect(e.message).toBe('Circuit is open; it half-opens in 1000 ms');
  });

  it('captureRejectionStacks(true) gives the rejection a stack', async () => {
    const breaker = openBreaker();
    await fail(breaker, 1);
    captureRejectionStacks(true);
    try {
      const e = (await breaker.execute(() => 1).catch((x: unknown) => x)) as Error;
      expect(e.stack!.split('\n').length).toBeGreaterThan(1);
    } finally {
      captureRejectionStacks(false);
    }
    const e = (await breaker.execute(() => 1).catch((x: unknown) => x)) as Error;
    expect(e.stack!.split('\n')).toHaveLength(1);
  });
});

describe('circuit breaker: lazy half-open (no timer)', () => {
  const looks: [string, (b: CircuitBreakerPolicy) => unknown][] = [
    ['state', (b) => b.state],
    ['metrics()', (b) => b.metrics()],
    ['snapshot()', (b) => b.snapshot()],
    ['a call', (b) => b.execute(() => 'probe')],
  ];
  it.each(looks)(
    '%s half-opens a breaker whose time is up, firing the events then',
    async (_, look) => {
      const breaker = openBreaker(1, 1_000);
      const changes: StateChangeEvent[] = [];
      let halfOpens = 0;
      breaker.onStateChange((e) => changes.push(e));
      breaker.onHalfOpen(() => halfOpens++);
      await fail(breaker, 1);
      expect(clock.pending()).toBe(0);
      await clock.advance(5_000);
      expect([halfOpens, changes]).toEqual([0, [{ from: 'closed', to: 'open' }]]);
      await look(breaker);
      expect(halfOpens).toBe(1);
      expect(changes[1]).toEqual({ from: 'open', to: 'half-open' });
    },
  );
});

describe('circuit breaker: half-open', () => {
  it('a successful probe closes it with a clear window', async () => {
    const breaker = openBreaker(2, 1_000);
    await fail(breaker, 2);
    await clock.advance(1_000);
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    await fail(breaker, 1);
    expect(breaker.state).toBe('closed');
  });

  it('a failed probe opens it again for halfOpenAfter', async () => {
    const breaker = openBreaker(3, 1_000);
    await fail(breaker, 3);
    await clock.advance(1_000);
    await fail(breaker, 1);
    expect(breaker.metrics()).toMatchObject({ state: 'open', retryAfter: 1_000 });
  });
});

/**
 * Manual control: isolate() (reference counted) and reset(). The modes are in
 * circuit-breaker-modes.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BreakwaterError,
  type CircuitBreakerMode,
  circuitBreaker,
  consecutive,
  IsolatedCircuitError,
  isBrokenCircuitError,
  isIsolatedCircuitError,
  type RejectEvent,
  type StateChangeEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { failOnce } from '../helpers/breaker.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

function build(mode: CircuitBreakerMode = 'normal', threshold = 2) {
  const breaker = circuitBreaker({
    breaker: consecutive(threshold),
    halfOpenAfter: 100,
    mode,
    clock,
  });
  const changes: StateChangeEvent[] = [];
  const rejects: RejectEvent[] = [];
  let resets = 0;
  let breaks = 0;
  breaker.onStateChange((e) => changes.push(e));
  breaker.onReject((e) => rejects.push(e));
  breaker.onReset(() => resets++);
  breaker.onBreak(() => breaks++);
  let calls = 0;
  const run = () => breaker.execute(() => ++calls);
  return {
    breaker,
    changes,
    rejects,
    run,
    get calls() {
      return calls;
    },
    get resets() {
      return resets;
    },
    get breaks() {
      return breaks;
    },
  };
}

describe('isolate()', () => {
  it('holds it open: calls reject with a stackless IsolatedCircuitError without running', async () => {
    const t = build();
    t.breaker.isolate();
    expect(t.breaker.state).toBe('isolated');
    const error = await t.run().catch((e: unknown) => e);
    expect(t.calls).toBe(0);
    expect(error).toBeInstanceOf(IsolatedCircuitError);
    expect(error).toBeInstanceOf(BreakwaterError);
    const e = error as IsolatedCircuitError;
    expect([e.name, e.code, e.message]).toEqual([
      'IsolatedCircuitError',
      'ERR_CIRCUIT_ISOLATED',
      'Circuit is held open by hand (isolated or forced open)',
    ]);
    expect(e.stack!.split('\n')).toHaveLength(1);
    expect([isIsolatedCircuitError(e), isBrokenCircuitError(e)]).toEqual([true, false]);
    expect(t.rejects).toEqual([{ reason: 'isolated', error: e }]);
    expect(t.changes).toEqual([{ from: 'closed', to: 'isolated' }]);
    await clock.advance(1_000_000);
    expect(t.breaker.metrics()).toMatchObject({ state: 'isolated', retryAfter: 0 });
  });

  it('is reference counted; disposing a handle twice does nothing; the last dispose closes it with a clear window', async () => {
    const t = build('normal', 3);
    await failOnce(t.breaker);
    const a = t.breaker.isolate();
    const b = t.breaker.isolate();
    a.dispose();
    a.dispose();
    expect(t.breaker.state).toBe('isolated');
    b.dispose();
    expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    expect(t.resets).toBe(1);
    expect(t.changes).toEqual([
      { from: 'closed', to: 'isolated' },
      { from: 'isolated', to: 'closed' },
    ]);
    b.dispose();
    expect(t.resets).toBe(1);
    await expect(t.run()).resolves.toBe(1);
  });

  it('isolating an open breaker and releasing it closes it', async () => {
    const t = build('normal', 1);
    await failOnce(t.breaker);
    const h = t.breaker.isolate();
    expect(t.breaker.state).toBe('isolated');
    h.dispose();
    expect(t.breaker.state).toBe('closed');
    await expect(t.run()).resolves.toBe(1);
  });
});

describe('reset()', () => {
  it('closes an open breaker and clears its window', async () => {
    const t = build('normal', 1);
    await failOnce(t.breaker);
    t.breaker.reset();
    expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, retryAfter: 0 });
    expect(t.resets).toBe(1);
    await expect(t.run()).resolves.toBe(1);
  });

  it('clears the window of a closed breaker', async () => {
    const t = build('normal', 2);
    await failOnce(t.breaker);
    t.breaker.reset();
    expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    await failOnce(t.breaker);
    expect(t.breaker.state).toBe('closed');
  });

  it('ends every isolation: the old handles become inert', () => {
    const t = build();
    const a = t.breaker.isolate();
    const b = t.breaker.isolate();
    t.breaker.reset();
    expect(t.breaker.state).toBe('closed');
    const c = t.breaker.isolate();
    a.dispose();
    b.dispose();
    expect(t.breaker.state).toBe('isolated');
    c.dispose();
    expect(t.breaker.state).toBe('closed');
  });
});

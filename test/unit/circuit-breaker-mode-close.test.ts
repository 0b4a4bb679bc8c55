/**
 * A mode change while open, half-open or isolated. Entering 'disabled' or 'metrics-only' (modes
 * that never reject) closes an open or half-open breaker as reset() would: window, break count
 * and previous delay cleared, onStateChange then onReset. Every other change keeps the state.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  circuitBreaker,
  consecutive,
  IsolatedCircuitError,
  type RejectEvent,
  type StateChangeEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { failOnce } from '../helpers/breaker.js';
import { deferred, track } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** `metrics()` of a closed breaker with a clear window. */
const CLEAR = {
  state: 'closed',
  calls: 0,
  failures: 0,
  slowCalls: 0,
  failureRatio: 0,
  slowCallRatio: 0,
  retryAfter: 0,
};

/** onStateChange payloads, and the other state events by name, in the order they came. */
type Logged = StateChangeEvent | 'break' | 'half-open' | 'reset';

/** consecutive(threshold), 100 ms open; the backoff's [attempt, previous] are recorded. */
function build(threshold: number) {
  const backoff: [number, number | undefined][] = [];
  const breaker = circuitBreaker({
    breaker: consecutive(threshold),
    halfOpenAfter: ({ attempt, previous }) => {
      backoff.push([attempt, previous]);
      return 100;
    },
    clock,
  });
  const log: Logged[] = [];
  const rejects: RejectEvent[] = [];
  breaker.onStateChange((e) => log.push(e));
  breaker.onBreak(() => log.push('break'));
  breaker.onHalfOpen(() => log.push('half-open'));
  breaker.onReset(() => log.push('reset'));
  breaker.onReject((e) => rejects.push(e));
  let calls = 0;
  const run = () => breaker.execute(() => ++calls);
  return {
    breaker,
    log,
    rejects,
    backoff,
    run,
    get calls() {
      return calls;
    },
    get breaks() {
      return log.filter((e) => e === 'break').length;
    },
  };
}

describe('a mode change while open, half-open or isolated', () => {
  it.each(['metrics-only', 'disabled'] as const)(
    'a probe that fails after the mode became %s does not open the breaker: the change closed it',
    async (mode) => {
      const t = build(1);
      await failOnce(t.breaker);
      await clock.advance(100);
      const gate = deferred<string>();
      const probe = track(t.breaker.execute(() => gate.promise));
      t.breaker.mode = mode;
      expect(t.log.slice(-2)).toEqual([{ from: 'half-open', to: 'closed' }, 'reset']);
      gate.reject(new Error('late probe'));
      await clock.flush();
      expect(probe.result).toEqual({ state: 'rejected', reason: new Error('late probe') });
      expect(t.breaks).toBe(1);
      expect(t.breaker.metrics()).toEqual(CLEAR);
      expect(t.log).toEqual([
        { from: 'closed', to: 'open' },
        'break',
        { from: 'open', to: 'half-open' },
        'half-open',
        { from: 'half-open', to: 'closed' },
        'reset',
      ]);
      t.breaker.mode = 'normal';
      expect([t.breaker.state, t.log.length]).toEqual(['closed', 6]);
      await expect(t.run()).resolves.toBe(1);
    },
  );

  it("entering 'metrics-only' from open closes it: window, break count and previous delay cleared; onStateChange then onReset", async () => {
    const t = build(2);
    await failOnce(t.breaker);
    await failOnce(t.breaker);
    expect(t.breaker.metrics()).toMatchObject({ state: 'open', calls: 2, retryAfter: 100 });
    t.breaker.mode = 'metrics-only';
    expect(t.log).toEqual([
      { from: 'closed', to: 'open' },
      'break',
      { from: 'open', to: 'closed' },
      'reset',
    ]);
    expect(t.breaker.metrics()).toEqual(CLEAR);
    expect(t.breaker.snapshot()).toMatchObject({
      state: 'closed',
      openUntil: null,
      breaks: 0,
      previousDelay: null,
      window: { kind: 'consecutive', failures: 0 },
    });
    for (let i = 0; i < 3; i++) await failOnce(t.breaker); // counted, never opens
    expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 3, failures: 3 });
    t.breaker.mode = 'normal';
    await failOnce(t.breaker);
    expect(t.breaker.state).toBe('open');
    expect(t.backoff).toEqual([
      [1, undefined],
      [1, undefined], // the count of breaks in a row started again
    ]);
    expect(t.log).toHaveLength(6);
  });

  it("entering 'disabled' from half-open closes it; back in 'normal' it stays closed", async () => {
    const t = build(1);
    await failOnce(t.breaker);
    await clock.advance(100);
    expect(t.breaker.state).toBe('half-open');
    t.breaker.mode = 'disabled';
    expect(t.log.slice(2)).toEqual([
      { from: 'open', to: 'half-open' },
      'half-open',
      { from: 'half-open', to: 'closed' },
      'reset',
    ]);
    expect(t.breaker.metrics()).toEqual(CLEAR);
    await failOnce(t.breaker); // passed through, not counted
    await expect(t.run()).resolves.toBe(1);
    expect(t.breaker.metrics()).toEqual(CLEAR);
    t.breaker.mode = 'normal';
    expect([t.breaker.state, t.log.length]).toEqual(['closed', 6]);
    await expect(t.run()).resolves.toBe(2);
  });

  it("entering 'metrics-only' or 'disabled' while closed keeps the window and emits nothing", async () => {
    for (const mode of ['metrics-only', 'disabled'] as const) {
      const t = build(3);
      await failOnce(t.breaker);
      await failOnce(t.breaker);
      t.breaker.mode = mode;
      expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 2, failures: 2 });
      expect(t.log).toEqual([]);
      t.breaker.mode = 'normal';
      await failOnce(t.breaker); // the run goes on: 3 >= 3
      expect(t.breaker.state).toBe('open');
    }
  });

  it("entering 'metrics-only' while isolated keeps 'isolated': calls still reject, the last dispose closes it", async () => {
    const t = build(1);
    await failOnce(t.breaker);
    const handle = t.breaker.isolate();
    t.breaker.mode = 'metrics-only';
    expect(t.breaker.state).toBe('isolated');
    expect(t.log).toEqual([
      { from: 'closed', to: 'open' },
      'break',
      { from: 'open', to: 'isolated' },
    ]);
    await expect(t.run()).rejects.toBeInstanceOf(IsolatedCircuitError);
    expect([t.calls, t.rejects.map((r) => r.reason)]).toEqual([0, ['isolated']]);
    handle.dispose();
    expect(t.log.slice(3)).toEqual([{ from: 'isolated', to: 'closed' }, 'reset']);
    expect(t.breaker.metrics()).toEqual(CLEAR);
    await expect(t.run()).resolves.toBe(1);
  });

  it("leaving 'forced-open' for 'metrics-only' while open reports from 'isolated' to 'closed', then onReset", async () => {
    const t = build(1);
    await failOnce(t.breaker);
    t.breaker.mode = 'forced-open';
    expect(t.breaker.state).toBe('isolated');
    t.breaker.mode = 'metrics-only';
    expect(t.log).toEqual([
      { from: 'closed', to: 'open' },
      'break',
      { from: 'open', to: 'isolated' },
      { from: 'isolated', to: 'closed' },
      'reset',
    ]);
    expect(t.breaker.metrics()).toEqual(CLEAR);
    expect(t.breaker.snapshot()).toMatchObject({ breaks: 0, previousDelay: null });
    await expect(t.run()).resolves.toBe(1);
  });

  it("'forced-open' and back to 'normal' keeps an open breaker open, with its time and break count", async () => {
    const t = build(1);
    await failOnce(t.breaker);
    await clock.advance(40);
    t.breaker.mode = 'forced-open';
    t.breaker.mode = 'normal';
    expect(t.log).toEqual([
      { from: 'closed', to: 'open' },
      'break',
      { from: 'open', to: 'isolated' },
      { from: 'isolated', to: 'open' },
    ]);
    expect(t.breaker.metrics()).toMatchObject({ state: 'open', calls: 1, retryAfter: 60 });
    await clock.advance(60);
    await failOnce(t.breaker); // the probe fails: the second break in a row
    expect(t.backoff).toEqual([
      [1, undefined],
      [2, 100],
    ]);
  });

  it("with the open time up but nobody looking, the change reports from 'open' (the last state reported) and no onHalfOpen", async () => {
    const t = build(1);
    await failOnce(t.breaker);
    await clock.advance(100);
    t.breaker.mode = 'metrics-only';
    expect(t.log).toEqual([
      { from: 'closed', to: 'open' },
      'break',
      { from: 'open', to: 'closed' },
      'reset',
    ]);
  });
});

/**
 * The four modes, at build and at run time; a change makes the calls and probes in flight
 * inert. What a change does to an open, half-open or isolated breaker is in
 * circuit-breaker-mode-close.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CircuitBreakerMode,
  circuitBreaker,
  consecutive,
  IsolatedCircuitError,
  type RejectEvent,
  type StateChangeEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { failOnce } from '../helpers/breaker.js';
import { deferred, thrownBy, track } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** consecutive(threshold), 100 ms open. */
function build(mode: CircuitBreakerMode = 'normal', threshold = 2) {
  const breaker = circuitBreaker({
    breaker: consecutive(threshold),
    halfOpenAfter: 100,
    mode,
    clock,
  });
  const changes: StateChangeEvent[] = [];
  const rejects: RejectEvent[] = [];
  let breaks = 0;
  breaker.onStateChange((e) => changes.push(e));
  breaker.onReject((e) => rejects.push(e));
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
    get breaks() {
      return breaks;
    },
  };
}

describe('mode', () => {
  it("'disabled' lets every call through and counts nothing", async () => {
    const t = build('disabled', 1);
    await failOnce(t.breaker);
    await failOnce(t.breaker);
    expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    t.breaker.isolate();
    await expect(t.run()).resolves.toBe(1);
  });

  it("'metrics-only' lets every call through, counts it, and never opens", async () => {
    const t = build('metrics-only', 2);
    for (let i = 0; i < 3; i++) await failOnce(t.breaker);
    expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 3, failures: 3 });
    expect(t.breaks).toBe(0);
    t.breaker.mode = 'normal';
    await failOnce(t.breaker); // the run goes on: 4 >= 2
    expect(t.breaker.state).toBe('open');
  });

  it("'forced-open' rejects with IsolatedCircuitError and reports 'isolated' until the mode changes", async () => {
    const t = build('forced-open');
    expect(t.breaker.state).toBe('isolated');
    await expect(t.run()).rejects.toBeInstanceOf(IsolatedCircuitError);
    expect(t.calls).toBe(0);
    expect(t.rejects.map((r) => r.reason)).toEqual(['isolated']);
    t.breaker.mode = 'normal';
    expect(t.breaker.mode).toBe('normal');
    expect(t.changes).toEqual([{ from: 'isolated', to: 'closed' }]);
    await expect(t.run()).resolves.toBe(1);
    t.breaker.mode = 'forced-open';
    expect(t.changes[1]).toEqual({ from: 'closed', to: 'isolated' });
  });

  it('is validated when set at run time and left unchanged by a bad value', () => {
    const t = build();
    const set = (v: unknown) => () => {
      t.breaker.mode = v as CircuitBreakerMode;
    };
    const allowed = "one of 'normal', 'disabled', 'metrics-only', 'forced-open'";
    expect(thrownBy(set('off'))).toEqual(
      new RangeError(`circuitBreaker: \`mode\` must be ${allowed}, got "off"`),
    );
    expect(thrownBy(set(3))).toEqual(
      new TypeError(`circuitBreaker: \`mode\` must be ${allowed}, got 3`),
    );
    expect(thrownBy(set(3))).toBeInstanceOf(TypeError);
    expect(thrownBy(set('off'))).toBeInstanceOf(RangeError);
    expect(t.breaker.mode).toBe('normal');
  });

  it('a call let in before a mode change does not count when it settles; setting the same mode changes nothing', async () => {
    const t = build('normal', 1);
    const before = deferred<string>();
    const late = track(t.breaker.execute(() => before.promise));
    t.breaker.mode = 'metrics-only';
    before.reject(new Error('late'));
    await clock.flush();
    expect(late.state).toBe('rejected');
    expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 0 });
    const same = deferred<string>();
    const counted = track(t.breaker.execute(() => same.promise));
    t.breaker.mode = 'metrics-only';
    same.reject(new Error('counted'));
    await clock.flush();
    expect(counted.state).toBe('rejected');
    expect(t.breaker.metrics()).toMatchObject({ state: 'closed', calls: 1, failures: 1 });
  });

  it('a mode change during half-open frees the probe slots: back in normal mode a new probe decides', async () => {
    const t = build('normal', 1);
    await failOnce(t.breaker);
    await clock.advance(100);
    const first = deferred<string>();
    const old = track(t.breaker.execute(() => first.promise));
    t.breaker.mode = 'forced-open';
    t.breaker.mode = 'normal';
    expect(t.breaker.state).toBe('half-open');
    const second = deferred<string>();
    const probe = track(t.breaker.execute(() => second.promise));
    first.reject(new Error('old probe fails')); // inert
    await clock.flush();
    expect([old.state, t.breaks, t.breaker.state]).toEqual(['rejected', 1, 'half-open']);
    second.resolve('ok');
    await clock.flush();
    expect([probe.state, t.breaker.state]).toEqual(['resolved', 'closed']);
  });
});

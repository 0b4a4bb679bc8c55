/**
 * Events: onBreak, onHalfOpen, onReset, onReject, onStateChange, onSuccess, onFailure. Exact
 * frozen payloads; a throwing listener is reported and changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type BreakEvent,
  BrokenCircuitError,
  type CircuitBreakerOptions,
  type CircuitFailureEvent,
  type CircuitSuccessEvent,
  circuitBreaker,
  consecutive,
  countWindow,
  IsolatedCircuitError,
  type RejectEvent,
  type StateChangeEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { deferred, track, untilAborted } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  vi.unstubAllGlobals();
  expect(clock.pending()).toBe(0);
});

function collect<T>(event: (listener: (e: T) => void) => () => void) {
  const seen: T[] = [];
  const stop = event((e) => {
    expect(Object.isFrozen(e)).toBe(true);
    seen.push(e);
  });
  return { seen, stop };
}

function build(options: CircuitBreakerOptions = {}) {
  const breaker = circuitBreaker({
    breaker: consecutive(1),
    halfOpenAfter: 100,
    clock,
    ...options,
  });
  return {
    breaker,
    breaks: collect<BreakEvent>(breaker.onBreak),
    halfOpens: collect<void>(breaker.onHalfOpen),
    resets: collect<void>(breaker.onReset),
    rejects: collect<RejectEvent>(breaker.onReject),
    changes: collect<StateChangeEvent>(breaker.onStateChange),
    successes: collect<CircuitSuccessEvent>(breaker.onSuccess),
    failures: collect<CircuitFailureEvent>(breaker.onFailure),
  };
}

const settleIn = <T>(
  ms: number,
  settle: (resolve: (v: T) => void, reject: (e: unknown) => void) => void,
) => new Promise<T>((resolve, reject) => clock.setTimer(() => settle(resolve, reject), ms));

describe('circuit breaker events', () => {
  it('a full cycle: exact payloads of every event, in order', async () => {
    const t = build();
    const error = new Error('down');
    const failed = track(t.breaker.execute(() => settleIn(30, (_, reject) => reject(error))));
    await clock.advance(30);
    expect(failed.result).toEqual({ state: 'rejected', reason: error });
    expect(t.failures.seen).toEqual([{ duration: 30, outcome: { error }, handled: true }]);
    expect(t.breaks.seen).toEqual([{ reason: 'consecutive', outcome: { error }, retryAfter: 100 }]);
    expect(Object.isFrozen(t.breaks.seen[0]!.outcome)).toBe(true);
    const rejected = await t.breaker.execute(() => 1).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(BrokenCircuitError);
    expect(t.rejects.seen).toEqual([{ reason: 'open', error: rejected }]);
    expect(t.rejects.seen[0]!.error).toBe(rejected);
    await clock.advance(100);
    expect(t.halfOpens.seen).toEqual([]); // nobody looked yet
    const probe = track(t.breaker.execute(() => settleIn(12, (resolve) => resolve('up'))));
    expect(t.halfOpens.seen).toEqual([undefined]);
    await clock.advance(12);
    expect(probe.result).toEqual({ state: 'resolved', value: 'up' });
    expect(t.successes.seen).toEqual([{ duration: 12, outcome: { value: 'up' } }]);
    expect(t.resets.seen).toHaveLength(1);
    expect(t.changes.seen).toEqual([
      { from: 'closed', to: 'open' },
      { from: 'open', to: 'half-open' },
      { from: 'half-open', to: 'closed' },
    ]);
  });

  it('onBreak names the reason and the call that tipped it', async () => {
    const ratio = build({ breaker: countWindow({ size: 2 }) });
    await ratio.breaker.execute(() => Promise.reject(new Error('a'))).catch(() => {});
    await ratio.breaker.execute(() => 'b');
    expect(ratio.breaks.seen).toEqual([
      { reason: 'failure-ratio', outcome: { value: 'b' }, retryAfter: 100 },
    ]);
    const result = build({ whenResult: (v) => v === 'bad' });
    await result.breaker.execute(() => 'bad');
    expect(result.breaks.seen).toEqual([
      { reason: 'consecutive', outcome: { value: 'bad' }, retryAfter: 100 },
    ]);
    expect(result.failures.seen).toEqual([
      { duration: 0, outcome: { value: 'bad' }, handled: true },
    ]);
    expect(result.successes.seen).toEqual([]);
  });

  it('onFailure says handled: false for errors `when` rejects (counted as successes) and for caller aborts', async () => {
    const t = build({ when: TypeError });
    const other = new RangeError('expected');
    await expect(t.breaker.execute(() => Promise.reject(other))).rejects.toBe(other);
    const caller = new AbortController();
    const aborted = track(t.breaker.execute(({ signal }) => untilAborted(signal), caller));
    await clock.advance(5);
    caller.abort('gone');
    await clock.flush();
    expect(aborted.state).toBe('rejected');
    expect(t.failures.seen).toEqual([
      { duration: 0, outcome: { error: other }, handled: false },
      { duration: 5, outcome: { error: 'gone' }, handled: false },
    ]);
    expect([t.successes.seen, t.breaks.seen, t.breaker.state]).toEqual([[], [], 'closed']);
  });

  it('onReject: half-open and isolated, with the error the call rejects with', async () => {
    const t = build({ halfOpenProbes: 1 });
    await t.breaker.execute(() => Promise.reject(new Error('x'))).catch(() => {});
    await clock.advance(100);
    const gate = deferred<string>();
    const probe = track(t.breaker.execute(() => gate.promise));
    const second = await t.breaker.execute(() => 1).catch((e: unknown) => e);
    gate.resolve('ok');
    await clock.flush();
    expect(probe.state).toBe('resolved');
    t.breaker.isolate();
    const third = await t.breaker.execute(() => 1).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(IsolatedCircuitError);
    expect(t.rejects.seen).toEqual([
      { reason: 'half-open', error: second },
      { reason: 'isolated', error: third },
    ]);
  });

  it('onReset fires when the last isolation ends and on reset() of an open breaker', async () => {
    const t = build();
    t.breaker.isolate().dispose();
    expect(t.resets.seen).toHaveLength(1);
    await t.breaker.execute(() => Promise.reject(new Error('x'))).catch(() => {});
    t.breaker.reset();
    expect(t.resets.seen).toHaveLength(2);
    expect(t.changes.seen).toEqual([
      { from: 'closed', to: 'isolated' },
      { from: 'isolated', to: 'closed' },
      { from: 'closed', to: 'open' },
      { from: 'open', to: 'closed' },
    ]);
  });

  it('a disposed listener hears nothing more', async () => {
    const t = build();
    t.breaks.stop();
    t.changes.stop();
    await t.breaker.execute(() => Promise.reject(new Error('x'))).catch(() => {});
    expect(t.breaker.state).toBe('open');
    expect([t.breaks.seen, t.changes.seen]).toEqual([[], []]);
  });

  it('a throwing listener is reported and changes neither the call nor the breaker', async () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const breaker = circuitBreaker({ breaker: consecutive(1), halfOpenAfter: 100, clock });
    const boom = new Error('listener');
    const thrower = () => {
      throw boom;
    };
    const heard: string[] = [];
    const events = {
      onBreak: breaker.onBreak,
      onHalfOpen: breaker.onHalfOpen,
      onReset: breaker.onReset,
      onReject: breaker.onReject,
      onStateChange: breaker.onStateChange,
      onSuccess: breaker.onSuccess,
      onFailure: breaker.onFailure,
    } as Record<string, (l: () => void) => () => void>;
    for (const [name, event] of Object.entries(events)) {
      event(thrower);
      event(() => heard.push(name));
    }
    await expect(breaker.execute(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(breaker.execute(() => 1)).rejects.toBeInstanceOf(BrokenCircuitError);
    await clock.advance(100);
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe');
    expect(breaker.state).toBe('closed');
    expect(heard).toEqual([
      'onFailure',
      'onStateChange',
      'onBreak',
      'onReject',
      'onStateChange',
      'onHalfOpen',
      'onSuccess',
      'onStateChange',
      'onReset',
    ]);
    expect(report).toHaveBeenCalledTimes(heard.length);
    expect(report.mock.calls.every(([e]) => e === boom)).toBe(true);
  });
});

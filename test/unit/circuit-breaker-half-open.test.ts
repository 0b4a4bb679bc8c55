/**
 * Half-open: exactly `halfOpenProbes` probes, all must succeed; a failed probe reopens; a probe
 * slot is freed when its call is aborted, times out, or its filter throws; probes of an
 * earlier half-open period are inert.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BreakEvent,
  BrokenCircuitError,
  type CircuitBreakerOptions,
  circuitBreaker,
  consecutive,
  isBrokenCircuitError,
  pipeline,
  type RejectEvent,
  TimeoutError,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { ServiceError } from '../helpers/breaker.js';
import { type Deferred, deferred, never, track, untilAborted } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** A breaker that opened on one failure and is half-open now (100 ms later). */
async function halfOpen(options: CircuitBreakerOptions = {}) {
  const breaker = circuitBreaker({
    breaker: consecutive(1),
    halfOpenAfter: 100,
    clock,
    ...options,
  });
  const breaks: BreakEvent[] = [];
  const rejects: RejectEvent[] = [];
  breaker.onBreak((e) => breaks.push(e));
  breaker.onReject((e) => rejects.push(e));
  await breaker.execute(() => Promise.reject(new ServiceError('trip'))).catch(() => {});
  await clock.advance(100);
  expect(breaker.state).toBe('half-open');
  /** Starts a probe whose task the test settles; `started` tells whether fn ran. */
  const probe = (signal?: AbortSignal) => {
    const gate = deferred<string>();
    let started = false;
    const call = track(
      breaker.execute(
        () => {
          started = true;
          return gate.promise;
        },
        signal === undefined ? {} : { signal },
      ),
    );
    return {
      gate,
      call,
      get started() {
        return started;
      },
    };
  };
  return { breaker, breaks, rejects, probe };
}

const settle = async (gate: Deferred<string>, ok: boolean) => {
  if (ok) gate.resolve('ok');
  else gate.reject(new ServiceError('probe failed'));
  await clock.flush();
};

describe('half-open probes', () => {
  it('admits exactly halfOpenProbes calls; the rest reject with BrokenCircuitError(0, half-open)', async () => {
    const { breaker, rejects, probe } = await halfOpen({ halfOpenProbes: 3 });
    const probes = [probe(), probe(), probe()];
    const extra = probe();
    await clock.flush();
    expect(probes.map((p) => p.started)).toEqual([true, true, true]);
    expect(extra.started).toBe(false);
    expect(extra.call.state).toBe('rejected');
    const e = (extra.call.result as { reason: BrokenCircuitError }).reason;
    expect(e).toBeInstanceOf(BrokenCircuitError);
    expect([e.code, e.retryAfter, e.state, e.message]).toEqual([
      'ERR_CIRCUIT_OPEN',
      0,
      'half-open',
      'Circuit is half-open and every probe slot is taken',
    ]);
    expect(e.stack!.split('\n')).toHaveLength(1);
    expect(isBrokenCircuitError(e)).toBe(true);
    expect(rejects).toEqual([{ reason: 'half-open', error: e }]);
    // Passed probes keep their slot: no fresh probe until all three are in.
    await settle(probes[0]!.gate, true);
    await settle(probes[1]!.gate, true);
    expect(breaker.state).toBe('half-open');
    const refused = probe();
    await clock.flush();
    expect([refused.started, refused.call.state]).toEqual([false, 'rejected']);
    await settle(probes[2]!.gate, true);
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0 });
    expect(probes.map((p) => p.call.state)).toEqual(['resolved', 'resolved', 'resolved']);
  });

  it('one failed probe reopens it; the other probes of that period no longer count', async () => {
    const { breaker, breaks, probe } = await halfOpen({ halfOpenProbes: 2 });
    const [a, b] = [probe(), probe()];
    await settle(a.gate, false);
    expect(breaker.metrics()).toMatchObject({ state: 'open', retryAfter: 100 });
    expect(breaks[1]).toMatchObject({ reason: 'half-open-failure', retryAfter: 100 });
    expect(breaks[1]!.outcome.error).toBeInstanceOf(ServiceError);
    await settle(b.gate, true);
    expect(b.call.state).toBe('resolved');
    expect(breaker.state).toBe('open');
    await clock.advance(100);
    const [c, d] = [probe(), probe()];
    await settle(c.gate, true);
    await settle(d.gate, true);
    expect(breaker.state).toBe('closed');
  });

  it('a probe that throws synchronously is a failed probe', async () => {
    const { breaker, breaks } = await halfOpen();
    const error = new ServiceError('sync');
    await expect(
      breaker.execute(() => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect(breaker.state).toBe('open');
    expect(breaks[1]).toEqual({ reason: 'half-open-failure', outcome: { error }, retryAfter: 100 });
  });

  it('a probe whose error `when` rejects is a successful probe', async () => {
    const { breaker } = await halfOpen({ when: ServiceError });
    const other = new RangeError('expected');
    await expect(breaker.execute(() => Promise.reject(other))).rejects.toBe(other);
    expect(breaker.state).toBe('closed');
  });

  it('a probe whose value whenResult rejects is a failed probe', async () => {
    const { breaker, breaks } = await halfOpen({ whenResult: (v) => v === 'bad' });
    await expect(breaker.execute(() => 'bad')).resolves.toBe('bad');
    expect(breaker.state).toBe('open');
    expect(breaks[1]).toEqual({
      reason: 'half-open-failure',
      outcome: { value: 'bad' },
      retryAfter: 100,
    });
  });

  it('an aborted probe frees its slot and is not counted (task honours the signal)', async () => {
    const { breaker, probe } = await halfOpen();
    const caller = new AbortController();
    const aborted = track(breaker.execute(({ signal }) => untilAborted(signal), caller));
    caller.abort('gone');
    await clock.flush();
    expect(aborted.result).toEqual({ state: 'rejected', reason: 'gone' });
    expect(breaker.state).toBe('half-open');
    const next = probe();
    await clock.flush();
    expect(next.started).toBe(true);
    await settle(next.gate, true);
    expect(breaker.state).toBe('closed');
  });

  it('an aborted probe frees its slot at once, even when its task ignores the signal; its late outcome is not counted', async () => {
    const { breaker, probe } = await halfOpen();
    const caller = new AbortController();
    const first = probe(caller.signal);
    caller.abort('gone');
    await clock.flush();
    expect(first.call.result).toEqual({ state: 'rejected', reason: 'gone' });
    const next = probe();
    await clock.flush();
    expect(next.started).toBe(true);
    await settle(first.gate, false); // the abandoned task fails late: not counted
    expect(breaker.state).toBe('half-open');
    await settle(next.gate, true);
    expect(breaker.state).toBe('closed');
  });

  it('a probe an outer timeout aborts counts as a failed probe (task honours the signal)', async () => {
    const { breaker, breaks } = await halfOpen();
    const policy = pipeline(timeout({ after: 50, clock }), breaker);
    const call = track(policy.execute(({ signal }) => untilAborted(signal)));
    await clock.advance(50);
    expect(call.state).toBe('rejected');
    expect((call.result as { reason: unknown }).reason).toBeInstanceOf(TimeoutError);
    expect(breaker.state).toBe('open');
    expect(breaks[1]!.reason).toBe('half-open-failure');
    expect(breaks[1]!.outcome.error).toBeInstanceOf(TimeoutError);
  });

  it('a probe an outer timeout aborts counts as a failed probe when it times out, even when its task ignores the signal', async () => {
    const { breaker, breaks } = await halfOpen();
    const policy = pipeline(timeout({ after: 50, mode: 'aggressive', clock }), breaker);
    const call = track(policy.execute(() => never()));
    await clock.advance(50);
    expect((call.result as { reason: unknown }).reason).toBeInstanceOf(TimeoutError);
    expect(breaker.state).toBe('open');
    expect(breaks[1]?.reason).toBe('half-open-failure');
  });

  it('a `when` filter that throws frees the probe slot; the call rejects with the filter error', async () => {
    const filterError = new Error('filter broke');
    const odd = new Error('odd');
    const { breaker, probe } = await halfOpen({
      when: (e) => {
        if (e === odd) throw filterError;
        return true;
      },
    });
    const first = probe();
    first.gate.reject(odd);
    await clock.flush();
    expect(first.call.result).toEqual({ state: 'rejected', reason: filterError });
    expect(breaker.state).toBe('half-open');
    const next = probe();
    await clock.flush();
    expect(next.started).toBe(true);
    next.gate.resolve('ok');
    await clock.flush();
    expect(breaker.state).toBe('closed');
  });

  it('a whenResult that throws frees the probe slot; the call rejects with its error', async () => {
    const filterError = new Error('whenResult broke');
    const { breaker, probe } = await halfOpen({
      whenResult: (v) => {
        if (v === 'odd') throw filterError;
        return false;
      },
    });
    await expect(breaker.execute(() => 'odd')).rejects.toBe(filterError);
    expect(breaker.state).toBe('half-open');
    const next = probe();
    await settle(next.gate, true);
    expect(breaker.state).toBe('closed');
  });

  it('reset() during half-open makes its probes inert', async () => {
    const { breaker, breaks, probe } = await halfOpen();
    const p = probe();
    breaker.reset();
    await settle(p.gate, false);
    expect(p.call.state).toBe('rejected');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    expect(breaks).toHaveLength(1);
  });

  it('isolate() during half-open makes its probes inert', async () => {
    const { breaker, probe } = await halfOpen();
    const p = probe();
    const handle = breaker.isolate();
    await settle(p.gate, true);
    expect(breaker.state).toBe('isolated');
    handle.dispose();
    expect(breaker.state).toBe('closed');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFailpoints, type FailpointRegistry } from '../../src/chaos/failpoints/registry.js';
import {
  InjectedFaultError,
  isInjectedFaultError,
} from '../../src/core/errors/injected-fault-error.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, inspect, thrownBy, track } from '../helpers/common.js';

/** A random source that hands out `values` in turn and counts the draws. */
function scripted(...values: number[]) {
  let i = 0;
  const random = () => {
    const value = values[i++];
    if (value === undefined) throw new Error('scripted: out of numbers');
    return value;
  };
  return { random, draws: () => i };
}

let clock: VirtualClock;
let points: FailpointRegistry;
beforeEach(() => {
  clock = new VirtualClock();
  points = createFailpoints();
  points.use({ clock });
});
afterEach(() => {
  points.clear();
  expect(clock.pending()).toBe(0);
});

describe('failpoint: nothing configured', () => {
  it('returns undefined synchronously and counts nothing', () => {
    expect(points.failpoint('db.query')).toBeUndefined();
    points.set('other', 'throw');
    expect(points.failpoint('db.query')).toBeUndefined();
    expect(points.stats('db.query')).toEqual({ calls: 0, injected: 0 });
  });

  it('does not look at its options (the cost is one Map lookup)', () => {
    expect(points.failpoint('db.query', { signal: 5 } as never)).toBeUndefined();
  });

  it('is bound to its registry, so it can be passed around', () => {
    const { failpoint } = points;
    points.set('x', 'return(yes)');
    return expect(failpoint('x')).resolves.toBe('yes');
  });
});

describe('failpoint actions', () => {
  it('throw: rejects with an InjectedFaultError naming the failpoint', async () => {
    points.set('db.query', 'throw');
    const error: unknown = await points.failpoint('db.query')?.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InjectedFaultError);
    expect(isInjectedFaultError(error)).toBe(true);
    expect(error).toMatchObject({
      injector: 'db.query',
      code: 'ERR_INJECTED_FAULT',
      message: 'Fault injected by db.query',
      name: 'InjectedFaultError',
    });
  });

  it('throw(msg): uses the message', async () => {
    points.set('db.query', 'throw(connection reset)');
    await expect(points.failpoint('db.query')).rejects.toThrow(
      new InjectedFaultError('db.query', 'connection reset'),
    );
  });

  it('return(v): resolves with the string, a bare return with ""', async () => {
    points.set('a', 'return(42)');
    points.set('b', 'return');
    await expect(points.failpoint('a')).resolves.toBe('42');
    await expect(points.failpoint('b')).resolves.toBe('');
  });

  it('off: returns undefined synchronously, counted as a call but not injected', () => {
    points.set('a', 'off');
    expect(points.failpoint('a')).toBeUndefined();
    expect(points.stats('a')).toEqual({ calls: 1, injected: 0 });
  });

  it('delay(ms): resolves with undefined after ms on the registry clock', async () => {
    points.set('a', 'delay(200)');
    const call = track(points.failpoint('a')!);
    expect(clock.pending()).toBe(1);
    await clock.advance(199);
    expect(call.state).toBe('pending');
    await clock.advance(1);
    expect(call.result).toEqual({ state: 'resolved', value: undefined });
  });

  it('delay(ms): an abort ends the wait with the reason, cancels the timer, drops the listener', async () => {
    points.set('a', 'delay(200)');
    const signal = countingSignal();
    const call = track(points.failpoint('a', { signal: signal.signal })!);
    expect(signal.listeners()).toBe(1);
    await clock.advance(50);
    const reason = new Error('stop');
    signal.abort(reason);
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason });
    expect(clock.pending()).toBe(0);
    expect(signal.listeners()).toBe(0);
  });

  it('delay(ms): removes its abort listener when the wait ends', async () => {
    points.set('a', 'delay(10)');
    const signal = countingSignal();
    const call = track(points.failpoint('a', { signal: signal.signal })!);
    await clock.advance(10);
    expect(call.state).toBe('resolved');
    expect(signal.listeners()).toBe(0);
  });

  it('delay and hang reject at once with the reason of an already-aborted signal', async () => {
    const reason = new Error('gone');
    const signal = AbortSignal.abort(reason);
    points.set('d', 'delay(10)');
    points.set('h', 'hang');
    await expect(points.failpoint('d', { signal })).rejects.toBe(reason);
    await expect(points.failpoint('h', { signal })).rejects.toBe(reason);
    expect(clock.pending()).toBe(0);
    expect(points.stats('d')).toEqual({ calls: 1, injected: 1 });
  });

  it('hang: stays pending until the signal aborts, then rejects with the reason', async () => {
    points.set('a', 'hang');
    const signal = countingSignal();
    const call = track(points.failpoint('a', { signal: signal.signal })!);
    await clock.advance(1_000_000);
    expect(call.state).toBe('pending');
    signal.abort('bye');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'bye' });
    expect(signal.listeners()).toBe(0);
    // a later reconfiguration does not touch the settled call
    points.clear();
  });

  it.each([
    ['set again', (p: FailpointRegistry) => p.set('a', 'off')],
    ['removed', (p: FailpointRegistry) => void p.remove('a')],
    ['cleared', (p: FailpointRegistry) => p.clear()],
    ['configure', (p: FailpointRegistry) => p.configure('b=off')],
  ])(
    'hang: resolves with undefined when the failpoint is %s, dropping its listener',
    async (_, change) => {
      points.set('a', 'hang');
      const signal = countingSignal();
      const withSignal = track(points.failpoint('a', { signal: signal.signal })!);
      const without = track(points.failpoint('a')!);
      await clock.flush();
      expect([withSignal.state, without.state]).toEqual(['pending', 'pending']);
      change(points);
      await clock.flush();
      expect(withSignal.result).toEqual({ state: 'resolved', value: undefined });
      expect(without.result).toEqual({ state: 'resolved', value: undefined });
      expect(signal.listeners()).toBe(0);
    },
  );

  it('hang: setting another failpoint does not release it', async () => {
    points.set('a', 'hang');
    const call = track(points.failpoint('a')!);
    points.set('b', 'off');
    points.remove('b');
    expect(await inspect(call.promise, clock)).toEqual({ state: 'pending' });
  });

  it('checks its options when the failpoint is configured', () => {
    points.set('a', 'off');
    expect(thrownBy(() => points.failpoint('a', { signal: 5 } as never)).message).toBe(
      'failpoint: `signal` must be an AbortSignal, got 5',
    );
    expect(thrownBy(() => points.failpoint('a', { sigal: 1 } as never)).message).toBe(
      'failpoint: unknown option `sigal`; allowed: `signal`',
    );
    expect(points.failpoint('a', { signal: undefined })).toBeUndefined();
  });
});

describe('failpoint terms: counts and percentages', () => {
  /** The outcome of each of `n` calls: 'none', 'throw', or the returned value. */
  async function outcomes(name: string, n: number): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) {
      const result = points.failpoint(name);
      if (result === undefined) seen.push('none');
      else seen.push(await result.then(String, (e: Error) => `throw:${e.message}`));
    }
    return seen;
  }

  it('n*action fires n times, then the next term takes over', async () => {
    points.set('a', '2*throw(x)->1*return(r)->off');
    expect(await outcomes('a', 5)).toEqual(['throw:x', 'throw:x', 'r', 'none', 'none']);
    expect(points.stats('a')).toEqual({ calls: 5, injected: 3 });
  });

  it('a term without a count keeps firing; later terms are never reached', async () => {
    points.set('a', 'return(a)->return(b)');
    expect(await outcomes('a', 3)).toEqual(['a', 'a', 'a']);
  });

  it('n*off lets n calls through, then the next term fires', async () => {
    points.set('a', '2*off->return(late)');
    expect(await outcomes('a', 3)).toEqual(['none', 'none', 'late']);
    expect(points.stats('a')).toEqual({ calls: 3, injected: 1 });
  });

  it('nothing happens once every term is used up', async () => {
    points.set('a', '1*return(once)');
    expect(await outcomes('a', 3)).toEqual(['once', 'none', 'none']);
  });

  it('a percentage term fires when the draw is below pct/100, else the next term is tried', async () => {
    const { random, draws } = scripted(0.49, 0.5, 0.99);
    points.use({ clock, random });
    points.set('a', '50%return(hit)->return(next)');
    expect(await outcomes('a', 3)).toEqual(['hit', 'next', 'next']);
    expect(draws()).toBe(3);
  });

  it('a percentage term alone does nothing when its draw misses', async () => {
    const { random } = scripted(0.05, 0.15);
    points.use({ clock, random });
    points.set('a', '10%throw(boom)');
    expect(await outcomes('a', 2)).toEqual(['throw:boom', 'none']);
    expect(points.stats('a')).toEqual({ calls: 2, injected: 1 });
  });

  it('a missed draw does not count down the count', async () => {
    const { random, draws } = scripted(0.9, 0.1, 0.9);
    points.use({ clock, random });
    points.set('a', '50%1*return(x)->off');
    expect(await outcomes('a', 4)).toEqual(['none', 'x', 'none', 'none']);
    expect(draws()).toBe(2); // a used-up term draws nothing
  });

  it('0% and 100% terms draw no random number', async () => {
    const { random, draws } = scripted();
    points.use({ clock, random });
    points.set('a', '0%throw->100%return(sure)');
    expect(await outcomes('a', 2)).toEqual(['sure', 'sure']);
    expect(draws()).toBe(0);
  });
});

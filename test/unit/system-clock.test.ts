/**
 * systemClock is the one place where tests use real time: every wait here is at most 30 ms
 * and the whole file takes well under a second.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/index.js';
import { deferred } from '../helpers/common.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** Resolves with the clock's time when a timer of `ms` set now fires. */
function fireTime(ms: number): Promise<number> {
  const fired = deferred<number>();
  systemClock.setTimer(() => fired.resolve(systemClock.now()), ms);
  return fired.promise;
}

describe('systemClock', () => {
  it('reads a monotonic time in ms', () => {
    const a = systemClock.now();
    const b = systemClock.now();
    expect(typeof a).toBe('number');
    expect(b).toBeGreaterThanOrEqual(a);
  });

  it.each([1, 5, 20])('fires a %i ms timer no earlier than %i ms later', async (ms) => {
    const start = systemClock.now();
    const fired = await fireTime(ms);
    expect(fired - start).toBeGreaterThanOrEqual(ms);
  });

  it('stops holding the process open one event-loop turn after its last timer is cancelled', async () => {
    const held = (): number =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const turn = () => new Promise((resolve) => setTimeout(resolve, 5));
    await turn(); // earlier tests' tickers let go first
    const before = held();
    const first = systemClock.setTimer(() => {}, 7_777); // a duration no other test uses
    expect(held()).toBe(before + 1);
    first.cancel();
    // Calls one after the other do not toggle the native ref each time: it is dropped on the
    // next turn (one short timer checks), unless a timer of that duration was set meanwhile.
    systemClock.setTimer(() => {}, 7_777).cancel();
    expect(held()).toBe(before + 2);
    await turn();
    expect(held()).toBe(before);
  });

  it('holds the process again for a timer set on a let-go ticker, and not for a cancelled one', async () => {
    const held = (): number =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const turn = () => new Promise((resolve) => setTimeout(resolve, 5));
    await turn();
    const before = held();
    // A duration no other test uses; its ticker (period 7777/32 ms) stays pending, let go.
    systemClock.setTimer(() => {}, 7_778).cancel();
    await turn();
    expect(held()).toBe(before);
    // A timer set now must hold the process again, and still hold it after the turn.
    const pending = systemClock.setTimer(() => {}, 7_778);
    expect(held()).toBe(before + 1);
    await turn();
    expect(held()).toBe(before + 1);
    // Set and cancelled, then set again before the turn: the idle check must not let go.
    pending.cancel();
    const again = systemClock.setTimer(() => {}, 7_778);
    await turn();
    expect(held()).toBe(before + 1);
    again.cancel();
    await turn();
    expect(held()).toBe(before);
  });

  it('passes the argument to the callback', async () => {
    const got = deferred<unknown>();
    const arg = { id: 1 };
    systemClock.setTimer((a: { id: number }) => got.resolve(a), 2, arg);
    expect(await got.promise).toBe(arg);
  });

  it('does not fire a cancelled timer; cancel is idempotent', async () => {
    let fired = 0;
    const timer = systemClock.setTimer(() => fired++, 5);
    const kept = fireTime(5);
    timer.cancel();
    timer.cancel();
    await kept;
    await fireTime(10);
    expect(fired).toBe(0);
  });

  it('cancelling one timer of a duration leaves the others', async () => {
    const order: number[] = [];
    const timers = [0, 1, 2, 3].map((i) => systemClock.setTimer(() => order.push(i), 8));
    timers[1]!.cancel();
    await fireTime(8);
    expect(order).toEqual([0, 2, 3]);
  });

  it('fires many timers of the same duration in the order they were set', async () => {
    const order: number[] = [];
    for (let i = 0; i < 50; i++) systemClock.setTimer(() => order.push(i), 10);
    await fireTime(10);
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('fires timers of the same duration set at different times in order', async () => {
    const order: string[] = [];
    systemClock.setTimer(() => order.push('first'), 10);
    await fireTime(3);
    systemClock.setTimer(() => order.push('second'), 10);
    await fireTime(10);
    expect(order).toEqual(['first', 'second']);
  });

  it('runs a timer that a callback sets with the same duration, a full period later', async () => {
    const done = deferred<[number, number]>();
    const start = systemClock.now();
    systemClock.setTimer(() => {
      const first = systemClock.now();
      systemClock.setTimer(() => done.resolve([first, systemClock.now()]), 12);
    }, 12);
    const [first, second] = await done.promise;
    expect(first - start).toBeGreaterThanOrEqual(12);
    expect(second - first).toBeGreaterThanOrEqual(12);
  });

  it('fires negative and NaN delays as soon as timers run', async () => {
    const order: string[] = [];
    const last = deferred<void>();
    systemClock.setTimer(() => {
      order.push('20 ms');
      last.resolve();
    }, 20);
    systemClock.setTimer(() => order.push('-5'), -5);
    systemClock.setTimer(() => order.push('NaN'), Number.NaN);
    systemClock.setTimer(() => order.push('0'), 0);
    await last.promise;
    expect(order).toEqual(['-5', 'NaN', '0', '20 ms']);
  });

  it('reports a throwing callback and still fires the others', async () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const boom = new Error('timer bug');
    systemClock.setTimer(() => {
      throw boom;
    }, 4);
    const after = fireTime(4);
    await after;
    expect(report).toHaveBeenCalledExactlyOnceWith(boom);
  });

  it('pays event-loop lag at most twice, not once per internal wake-up', () => {
    // Documented: a timer fires within ms + ms/32 + 1 ms of being set, plus up to two
    // event-loop delays. Fake time where every native timer fires LAG ms late, as Node's do under load (a
    // plain setTimeout(30) then fires at 31 ms). The first wheel version paid the lag once per
    // tick: this 30 ms timer fired at 62 ms (on real time, 2 cores: 33-93 ms).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const LAG = 1;
    const fakeSetTimeout = globalThis.setTimeout;
    const lagging = (fn: () => void, ms?: number) => fakeSetTimeout(fn, (ms ?? 0) + LAG);
    vi.stubGlobal('setTimeout', lagging);
    const start = systemClock.now();
    let elapsed = -1;
    systemClock.setTimer(() => {
      elapsed = systemClock.now() - start;
    }, 30);
    vi.advanceTimersByTime(200);
    expect(elapsed).toBeGreaterThanOrEqual(30);
    expect(elapsed).toBeLessThanOrEqual(30 + 30 / 32 + 1 + 2 * LAG);
  });
});

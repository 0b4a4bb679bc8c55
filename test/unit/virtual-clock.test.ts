import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/testing/index.js';
import { deferred, thrownBy } from '../helpers/common.js';

describe('VirtualClock time', () => {
  it('starts at 0 or at the given time and moves only when told', async () => {
    expect(new VirtualClock().now()).toBe(0);
    const clock = new VirtualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.flush();
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
    await clock.advanceTo(2_000);
    expect(clock.now()).toBe(2_000);
  });

  it('rejects a bad start, a negative advance and moving backwards', async () => {
    const start = thrownBy(() => new VirtualClock(Number.NaN));
    expect(start).toBeInstanceOf(RangeError);
    expect(start.message).toBe('VirtualClock: `start` must be a finite number, got NaN');
    const clock = new VirtualClock(100);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
    await expect(clock.advance(-1)).rejects.toThrow(
      'VirtualClock.advance: `ms` must be a finite number >= 0, got -1',
    );
    await expect(clock.advanceTo(50)).rejects.toThrow(RangeError);
    await expect(clock.advanceTo(50)).rejects.toThrow(
      'VirtualClock.advanceTo: `time` must be a finite number >= 100, got 50',
    );
    expect(clock.now()).toBe(100);
  });
});

describe('VirtualClock timers', () => {
  it('fires by deadline, then by insertion order', async () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimer(() => order.push('30'), 30);
    clock.setTimer(() => order.push('10a'), 10);
    clock.setTimer(() => order.push('20'), 20);
    clock.setTimer(() => order.push('10b'), 10);
    clock.setTimer(() => order.push('0'), 0);
    clock.setTimer(() => order.push('10c'), 10);
    expect(clock.pending()).toBe(6);
    await clock.advance(30);
    expect(order).toEqual(['0', '10a', '10b', '10c', '20', '30']);
    expect(clock.pending()).toBe(0);
  });

  it('keeps insertion order among many equal deadlines (heap stability)', async () => {
    const clock = new VirtualClock();
    const order: number[] = [];
    for (let i = 0; i < 100; i++) clock.setTimer(() => order.push(i), i % 2 === 0 ? 5 : 7);
    await clock.advance(7);
    const evens = Array.from({ length: 50 }, (_, i) => 2 * i);
    expect(order).toEqual([...evens, ...evens.map((n) => n + 1)]);
  });

  it('fires each timer at its own time and passes its argument', async () => {
    const clock = new VirtualClock();
    const seen: [string, number][] = [];
    const record = (name: unknown): void => void seen.push([String(name), clock.now()]);
    clock.setTimer(record, 25, 'b');
    clock.setTimer(record, 10, 'a');
    await clock.advance(40);
    expect(seen).toEqual([
      ['a', 10],
      ['b', 25],
    ]);
    expect(clock.now()).toBe(40);
  });

  it('treats negative and NaN delays as 0', async () => {
    const clock = new VirtualClock(5);
    const times: number[] = [];
    clock.setTimer(() => times.push(clock.now()), -10);
    clock.setTimer(() => times.push(clock.now()), Number.NaN);
    expect(clock.nextDeadline()).toBe(5);
    await clock.advance(0);
    expect(times).toEqual([5, 5]);
  });

  it('runs promise callbacks between timers, within the same advance', async () => {
    const clock = new VirtualClock();
    const gate = deferred<void>();
    const seen: number[] = [];
    clock.setTimer(() => gate.resolve(), 10);
    clock.setTimer(() => seen.push(clock.now()), 30);
    void (async () => {
      await gate.promise;
      await Promise.resolve();
      clock.setTimer(() => seen.push(clock.now()), 5);
    })();
    await clock.advance(30);
    expect(seen).toEqual([15, 30]);
  });

  it('does not fire a timer set during advance with a deadline past the window', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer(() => clock.setTimer(() => seen.push(clock.now()), 15), 10);
    await clock.advance(20);
    expect(seen).toEqual([]);
    expect(clock.nextDeadline()).toBe(25);
    await clock.advance(5);
    expect(seen).toEqual([25]);
  });

  it('cancel drops a timer, decrements pending once, and is a no-op after firing', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const a = clock.setTimer(() => fired++, 10);
    const b = clock.setTimer(() => fired++, 20);
    expect(clock.pending()).toBe(2);
    a.cancel();
    a.cancel();
    expect(clock.pending()).toBe(1);
    expect(clock.nextDeadline()).toBe(20);
    await clock.advance(20);
    expect(fired).toBe(1);
    b.cancel();
    expect(clock.pending()).toBe(0);
    expect(clock.nextDeadline()).toBeUndefined();
  });
});

describe('VirtualClock stepping', () => {
  it('next() fires one timer, moving time to its deadline; false when none', async () => {
    const clock = new VirtualClock();
    expect(await clock.next()).toBe(false);
    const seen: number[] = [];
    clock.setTimer(() => seen.push(clock.now()), 40);
    clock.setTimer(() => seen.push(clock.now()), 15);
    expect(await clock.next()).toBe(true);
    expect([seen, clock.now()]).toEqual([[15], 15]);
    expect(await clock.next()).toBe(true);
    expect([seen, clock.now()]).toEqual([[15, 40], 40]);
    expect(await clock.next()).toBe(false);
    expect(clock.now()).toBe(40);
  });

  it('nextDeadline() skips cancelled timers', () => {
    const clock = new VirtualClock(100);
    expect(clock.nextDeadline()).toBeUndefined();
    const first = clock.setTimer(() => {}, 5);
    clock.setTimer(() => {}, 50);
    expect(clock.nextDeadline()).toBe(105);
    first.cancel();
    expect(clock.nextDeadline()).toBe(150);
  });

  it('runAll() fires everything, including timers set meanwhile', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    let left = 3;
    const rearm = (): void => {
      seen.push(clock.now());
      if (--left > 0) clock.setTimer(rearm, 100);
    };
    clock.setTimer(rearm, 100);
    const gate = deferred<void>();
    clock.setTimer(() => gate.resolve(), 1);
    void gate.promise.then(() => clock.setTimer(() => seen.push(-clock.now()), 1_000));
    await clock.runAll();
    expect(seen).toEqual([100, 200, 300, -1_001]);
    expect(clock.pending()).toBe(0);
  });

  it('runAll(limit) accepts exactly `limit` timers', async () => {
    const clock = new VirtualClock();
    for (let i = 1; i <= 5; i++) clock.setTimer(() => {}, i);
    await expect(clock.runAll(5)).resolves.toBeUndefined();
  });

  it('runAll(limit) throws past its limit, having fired at most `limit` timers', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const forever = (): void => {
      fired++;
      clock.setTimer(forever, 10);
    };
    clock.setTimer(forever, 10);
    await expect(clock.runAll(5)).rejects.toThrow(
      'VirtualClock.runAll: 5 timers fired and more are pending; does a timer re-arm itself forever?',
    );
    expect(fired).toBe(5);
  });

  it.each([
    [-1, RangeError, 'VirtualClock.runAll: `limit` must be an integer >= 0, got -1'],
    [1.5, RangeError, 'VirtualClock.runAll: `limit` must be an integer >= 0, got 1.5'],
    ['5', TypeError, 'VirtualClock.runAll: `limit` must be an integer >= 0, got "5"'],
  ] as const)('runAll(%j) rejects with a %o naming `limit`', async (limit, kind, message) => {
    const clock = new VirtualClock();
    const error = await clock.runAll(limit as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toBe(message);
  });

  it('flush() lets promise callbacks run without moving time or firing timers', async () => {
    const clock = new VirtualClock();
    let fired = false;
    clock.setTimer(() => {
      fired = true;
    }, 0);
    let settled = false;
    void Promise.resolve()
      .then(() => Promise.resolve())
      .then(() => {
        settled = true;
      });
    await clock.flush();
    expect([settled, fired, clock.now()]).toEqual([true, false, 0]);
  });
});

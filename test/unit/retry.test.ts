import { describe, expect, it, vi } from 'vitest';
import { constant, delays, exponential, retry } from '../../src/index.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';
import { collect, errors, failTimes, fixedRandom, scripted } from '../helpers/retry-helpers.js';

/** A retry policy on a fresh virtual clock, with zero delays unless told otherwise. */
function setup(options: Parameters<typeof retry>[0] = {}) {
  const clock = new VirtualClock();
  const policy = retry({ clock, random: seededRandom(1), backoff: constant(0), ...options });
  return { clock, policy };
}

describe('retry: attempts', () => {
  it('calls the task once when the first attempt succeeds', async () => {
    const { policy } = setup();
    const task = failTimes(0, 42);
    await expect(policy.execute(task)).resolves.toBe(42);
    expect(task.attempts).toEqual([1]);
  });

  it('succeeds after N failures, the task seeing attempts 1, 2, 3...', async () => {
    const { policy } = setup({ maxAttempts: 5 });
    const task = failTimes(3, 'done');
    await expect(policy.execute(task)).resolves.toBe('done');
    expect(task.attempts).toEqual([1, 2, 3, 4]);
  });

  it('gives up after maxAttempts, rethrowing the last error unchanged', async () => {
    const { policy } = setup({ maxAttempts: 3 });
    const [e1, e2, e3, e4] = errors(4);
    const task = scripted({ error: e1 }, { error: e2 }, { error: e3 }, { error: e4 });
    const error = await policy.execute(task).catch((x: unknown) => x);
    expect(error).toBe(e3);
    expect(task.calls).toBe(3);
  });

  it('defaults maxAttempts to 3', async () => {
    const { policy } = setup();
    const task = failTimes(10);
    await expect(policy.execute(task)).rejects.toThrow('e3');
    expect(task.calls).toBe(3);
  });

  it('maxAttempts 1 never retries', async () => {
    const { policy } = setup({ maxAttempts: 1 });
    const task = failTimes(1);
    await expect(policy.execute(task)).rejects.toThrow('e1');
    expect(task.calls).toBe(1);
  });

  it('maxAttempts Infinity stops when the backoff stops', async () => {
    const { clock, policy } = setup({
      maxAttempts: Number.POSITIVE_INFINITY,
      backoff: delays([10, 20]),
    });
    const giveUps = collect(policy.onGiveUp);
    const task = failTimes(100);
    const call = policy.execute(task).catch((x: unknown) => x);
    await clock.advance(30);
    expect(await call).toMatchObject({ message: 'e3' });
    expect(task.calls).toBe(3);
    expect(giveUps.seen.map((e) => e.attempts)).toEqual([3]);
    expect(clock.now()).toBe(30);
  });

  it('maxAttempts Infinity keeps going until success', async () => {
    const { policy } = setup({ maxAttempts: Number.POSITIVE_INFINITY });
    const task = failTimes(50, 'finally');
    await expect(policy.execute(task)).resolves.toBe('finally');
    expect(task.calls).toBe(51);
  });
});

describe('retry: what a task may do', () => {
  it('handles a synchronous throw as a rejection (execute itself never throws)', async () => {
    const { policy } = setup({ maxAttempts: 2 });
    const task = failTimes(1, 'v');
    let call: Promise<unknown> | undefined;
    expect(() => {
      call = policy.execute(task);
    }).not.toThrow();
    await expect(call).resolves.toBe('v');
  });

  it.each([
    ['a string', 'boom'],
    ['undefined', undefined],
    ['null', null],
    ['a number', 0],
    ['a plain object', { code: 'E' }],
  ])('retries and rethrows %s unchanged', async (_, thrown) => {
    const { policy } = setup({ maxAttempts: 2 });
    const task = scripted({ error: thrown });
    await expect(policy.execute(task)).rejects.toBe(thrown);
    expect(task.calls).toBe(2);
  });

  it('returns plain values, including undefined and null', async () => {
    const { policy } = setup();
    await expect(policy.execute(() => undefined)).resolves.toBeUndefined();
    await expect(policy.execute(() => null)).resolves.toBeNull();
  });

  it('awaits thenables, retrying a rejecting one', async () => {
    const { policy } = setup({ maxAttempts: 3 });
    const seen: number[] = [];
    const task = ({ attempt }: { attempt: number }): PromiseLike<string> => ({
      // biome-ignore lint/suspicious/noThenProperty: the point is a non-Promise thenable.
      then(resolve, reject) {
        seen.push(attempt);
        const r =
          attempt < 3 ? reject?.(new Error(`t${attempt}`)) : resolve?.(`thenable ${attempt}`);
        return r as never;
      },
    });
    await expect(policy.execute(task)).resolves.toBe('thenable 3');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives the task a signal that is not aborted', async () => {
    const { policy } = setup();
    const signals: AbortSignal[] = [];
    await policy.execute(({ signal }) => signals.push(signal));
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[0]!.aborted).toBe(false);
  });
});

describe('retry: when', () => {
  class Transient extends Error {}
  class Fatal extends Error {}
  class Other extends Error {}

  it('as a predicate: retries what it accepts, receiving the error', async () => {
    const when = vi.fn((e: unknown) => e instanceof Transient);
    const { policy } = setup({ when, maxAttempts: 3 });
    const t = new Transient('t');
    const task = scripted({ error: t }, { value: 'ok' });
    await expect(policy.execute(task)).resolves.toBe('ok');
    expect(when).toHaveBeenCalledWith(t);
  });

  it.each([
    ['a predicate', (e: unknown) => e instanceof Transient],
    ['an Error class', Transient],
    ['an array of classes', [Other, Transient]],
  ])('as %s: a non-matching error is rethrown at once', async (_, when) => {
    const { clock, policy } = setup({ when, maxAttempts: 5, backoff: constant(100) });
    const retries = collect(policy.onRetry);
    const giveUps = collect(policy.onGiveUp);
    const fatal = new Fatal('fatal');
    const task = scripted({ error: new Transient('t') }, { error: fatal });
    const call = policy.execute(task).catch((x: unknown) => x);
    await clock.advance(100);
    expect(await call).toBe(fatal);
    expect(task.calls).toBe(2);
    expect(retries.seen).toHaveLength(1);
    expect(giveUps.seen).toHaveLength(0);
    expect(clock.pending()).toBe(0);
  });

  it('an Error class matches subclasses; a non-Error throw does not match a class', async () => {
    class Sub extends Transient {}
    const { policy } = setup({ when: Transient, maxAttempts: 5 });
    const task = scripted({ error: new Sub() }, { error: 'text' });
    await expect(policy.execute(task)).rejects.toBe('text');
    expect(task.calls).toBe(2);
  });

  it('when: Error retries every Error', async () => {
    const { policy } = setup({ when: Error, maxAttempts: 3 });
    const task = scripted(
      { error: new TypeError('a') },
      { error: new RangeError('b') },
      { value: 1 },
    );
    await expect(policy.execute(task)).resolves.toBe(1);
  });

  it('a class that does not extend Error is matched with instanceof or refused at build time', async () => {
    // ErrorClass is typed `abstract new (...) => unknown`, so this compiles. The contract says
    // bad options fail at build time, never later; calling the class as a predicate breaks both.
    class HttpFailure {
      constructor(readonly status: number) {}
    }
    let policy: ReturnType<typeof retry>;
    try {
      policy = setup({ when: HttpFailure, maxAttempts: 2 }).policy;
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      return;
    }
    const task = scripted({ error: new HttpFailure(503) }, { value: 'ok' });
    await expect(policy.execute(task)).resolves.toBe('ok');
  });
});

describe('retry: timing', () => {
  it('with constant(100) the 2nd attempt starts exactly at t=100', async () => {
    const { clock, policy } = setup({ backoff: constant(100) });
    const task = failTimes(1);
    const call = policy.execute(task);
    await clock.advance(99);
    expect(task.calls).toBe(1);
    expect(clock.pending()).toBe(1);
    await clock.advance(1);
    expect(task.calls).toBe(2);
    await expect(call).resolves.toBe('ok');
    expect(clock.pending()).toBe(0);
  });

  it('a zero delay retries without any timer and without advancing the clock', async () => {
    const { clock, policy } = setup({ backoff: constant(0), maxAttempts: 6 });
    const pending: number[] = [];
    const task = vi.fn(() => {
      pending.push(clock.pending());
      if (pending.length < 6) throw new Error('again');
      return 'ok';
    });
    await expect(policy.execute(task)).resolves.toBe('ok');
    expect(pending).toEqual([0, 0, 0, 0, 0, 0]);
    expect(clock.now()).toBe(0);
  });

  it('passes attempt, previous delay and the policy random to the backoff', async () => {
    const random = fixedRandom(0.25);
    const backoff = vi.fn(({ attempt }: { attempt: number }) => attempt * 10);
    const { clock, policy } = setup({ backoff, random, maxAttempts: 4 });
    const call = policy.execute(failTimes(3));
    await clock.runAll();
    await expect(call).resolves.toBe('ok');
    expect(backoff.mock.calls.map(([i]) => i)).toEqual([
      { attempt: 1, previous: undefined, random },
      { attempt: 2, previous: 10, random },
      { attempt: 3, previous: 20, random },
    ]);
    expect(clock.now()).toBe(60);
  });

  it('never calls the backoff after the last allowed attempt', async () => {
    const backoff = vi.fn(() => 0);
    const { policy } = setup({ backoff, maxAttempts: 3 });
    await expect(policy.execute(failTimes(9))).rejects.toThrow('e3');
    expect(backoff).toHaveBeenCalledTimes(2);
  });

  it('uses exponential full jitter with the injected random by default', async () => {
    const clock = new VirtualClock();
    const policy = retry({ clock, random: fixedRandom(0.5) });
    const retries = collect(policy.onRetry);
    const call = policy.execute(failTimes(2));
    await clock.runAll();
    await expect(call).resolves.toBe('ok');
    expect(retries.seen.map((e) => e.delay)).toEqual([50, 100]);
    expect(clock.now()).toBe(150);
  });

  it('is deterministic for a given seed', async () => {
    const run = async (): Promise<number[]> => {
      const { clock, policy } = setup({
        random: seededRandom('s'),
        backoff: exponential(),
        maxAttempts: 5,
      });
      const retries = collect(policy.onRetry);
      const call = policy.execute(failTimes(4));
      await clock.runAll();
      await call;
      return retries.seen.map((e) => e.delay);
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a.every((d, i) => d >= 0 && d < 100 * 2 ** i)).toBe(true);
  });
});

describe('retry: wrap', () => {
  it('passes the arguments through and retries', async () => {
    const { policy } = setup({ maxAttempts: 3 });
    const seen: unknown[][] = [];
    const fn = (a: number, b: string): string => {
      seen.push([a, b]);
      if (seen.length < 3) throw new Error('flaky');
      return `${b}${a}`;
    };
    const wrapped = policy.wrap(fn);
    await expect(wrapped(7, 'x')).resolves.toBe('x7');
    expect(seen).toEqual([
      [7, 'x'],
      [7, 'x'],
      [7, 'x'],
    ]);
  });

  it('rejects a non-function with a TypeError', () => {
    const { policy } = setup();
    expect(() => policy.wrap(5 as never)).toThrow(
      new TypeError('wrap: `fn` must be a function, got 5'),
    );
  });
});

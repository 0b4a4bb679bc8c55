import { describe, expect, it, vi } from 'vitest';
import { constant, delays, type RetryOptions, retry } from '../../src/index.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';
import { collect, errors, failTimes, scripted } from '../helpers/retry-helpers.js';

const ALLOWED =
  'allowed: `maxAttempts`, `backoff`, `when`, `whenResult`, `retryAfter`, `clock`, `random`';
const MAX = 2_147_483_647;

function build(options: unknown): () => unknown {
  return () => retry(options as Parameters<typeof retry>[0]);
}

describe('retry options: validation at build time', () => {
  it('accepts no options, an empty object and every option at once', () => {
    expect(build(undefined)).not.toThrow();
    expect(build({})).not.toThrow();
    const all = {
      maxAttempts: Number.POSITIVE_INFINITY,
      backoff: constant(1),
      when: Error,
      whenResult: () => false,
      retryAfter: () => undefined,
      clock: new VirtualClock(),
      random: seededRandom(1),
    };
    expect(build(all)).not.toThrow();
  });

  it.each([
    [null, 'null'],
    ['fast', '"fast"'],
    [3, '3'],
    [[], 'an array of length 0'],
    [() => {}, 'a function'],
  ])('options %s → TypeError', (options, shown) => {
    expect(build(options)).toThrow(new TypeError(`retry: options must be an object, got ${shown}`));
  });

  it('an unknown key → TypeError listing the allowed keys', () => {
    expect(build({ maxAttempt: 3 })).toThrow(
      new TypeError(`retry: unknown option \`maxAttempt\`; ${ALLOWED}`),
    );
    expect(build({ maxAttempts: 2, retries: 1 })).toThrow(
      new TypeError(`retry: unknown option \`retries\`; ${ALLOWED}`),
    );
  });

  const ATTEMPTS = 'an integer >= 1 or Infinity';
  it.each([
    ['3', TypeError, '"3"'],
    [null, TypeError, 'null'],
    [3n, TypeError, '3n'],
    [0, RangeError, '0'],
    [-1, RangeError, '-1'],
    [1.5, RangeError, '1.5'],
    [Number.NaN, RangeError, 'NaN'],
    [Number.NEGATIVE_INFINITY, RangeError, '-Infinity'],
  ])('maxAttempts %s → %o', (value, kind, shown) => {
    expect(build({ maxAttempts: value })).toThrow(
      new kind(`retry: \`maxAttempts\` must be ${ATTEMPTS}, got ${shown}`),
    );
  });

  it.each([1, 2, 1000, Number.POSITIVE_INFINITY])('maxAttempts %s is accepted', (n) => {
    expect(build({ maxAttempts: n })).not.toThrow();
  });

  it.each(['backoff', 'whenResult', 'retryAfter', 'random'])(
    '%s must be a function (TypeError)',
    (name) => {
      expect(build({ [name]: 100 })).toThrow(
        new TypeError(`retry: \`${name}\` must be a function, got 100`),
      );
      expect(build({ [name]: null })).toThrow(
        new TypeError(`retry: \`${name}\` must be a function, got null`),
      );
      expect(build({ [name]: 'x' })).toThrow(TypeError);
    },
  );

  it.each([
    ['text', '"text"'],
    [null, 'null'],
    [[], 'an array of length 0'],
    [[Error, 'x'], 'an array of length 2'],
    [[() => true], 'an array of length 1'],
    [{}, 'an object'],
    [new Map(), 'an instance of Map'],
  ])('when %s → TypeError', (value, shown) => {
    expect(build({ when: value })).toThrow(
      new TypeError(
        `retry: \`when\` must be a predicate function, an Error class or a non-empty array of Error classes, got ${shown}`,
      ),
    );
  });

  it.each([
    [{ now: () => 0 }, 'an object'],
    [{ setTimer: () => ({ cancel() {} }) }, 'an object'],
    [{ now: 0, setTimer: () => ({}) }, 'an object'],
    [null, 'null'],
    [Date, 'function Date'],
  ] as [unknown, string][])('clock %o → TypeError', (clock, shown) => {
    expect(build({ clock })).toThrow(
      new TypeError(
        `retry: \`clock\` must be a Clock (an object with now() and setTimer()), got ${shown}`,
      ),
    );
  });

  it('does not touch the options object it is given', () => {
    const options = Object.freeze({ maxAttempts: 2, backoff: constant(0) });
    expect(build(options)).not.toThrow();
    expect(options).toEqual({ maxAttempts: 2, backoff: expect.any(Function) });
  });
});

describe('retry options: whenResult', () => {
  const setup = (options: RetryOptions) => ({
    policy: retry({ clock: new VirtualClock(), backoff: constant(0), ...options }),
  });

  it('retries values it accepts and returns the first other value', async () => {
    const { policy } = setup({ whenResult: (v) => v === 503, maxAttempts: 5 });
    const task = scripted({ value: 503 }, { value: 503 }, { value: 200 });
    await expect(policy.execute(task)).resolves.toBe(200);
    expect(task.calls).toBe(3);
  });

  it('returns (not throws) the last value when attempts run out', async () => {
    const last = { status: 503, n: 3 };
    const { policy } = setup({ whenResult: (v) => (v as { status: number }).status === 503 });
    const giveUps = collect(policy.onGiveUp);
    const task = scripted(
      { value: { status: 503, n: 1 } },
      { value: { status: 503, n: 2 } },
      { value: last },
    );
    await expect(policy.execute(task)).resolves.toBe(last);
    expect(giveUps.seen).toEqual([{ attempts: 3, outcome: { value: last } }]);
  });

  it('returns the last value when the backoff stops', async () => {
    const { policy } = setup({ whenResult: () => true, maxAttempts: 10, backoff: delays([0]) });
    const task = scripted({ value: 'a' }, { value: 'b' }, { value: 'c' });
    await expect(policy.execute(task)).resolves.toBe('b');
  });

  it('errors still follow `when`', async () => {
    const { policy } = setup({ whenResult: (v) => v === 'retry', when: () => false });
    const task = scripted({ value: 'retry' }, { error: 'stop' }, { value: 'never' });
    await expect(policy.execute(task)).rejects.toBe('stop');
    expect(task.calls).toBe(2);
  });
});

describe('retry options: retryAfter', () => {
  function setup(retryAfter: (o: unknown, attempt: number) => number | undefined, maxAttempts = 3) {
    const clock = new VirtualClock();
    const policy = retry({ clock, backoff: constant(100), retryAfter, maxAttempts });
    return { clock, policy, retries: collect(policy.onRetry) };
  }

  it('overrides the delay: the next attempt happens exactly at that virtual time', async () => {
    const { clock, policy, retries } = setup(() => 250);
    const task = failTimes(1);
    const call = policy.execute(task);
    await clock.advance(249);
    expect(task.calls).toBe(1);
    await clock.advance(1);
    expect(task.calls).toBe(2);
    await expect(call).resolves.toBe('ok');
    expect(retries.seen.map((e) => e.delay)).toEqual([250]);
  });

  it('receives the outcome and the attempt; undefined keeps the backoff delay', async () => {
    const [e1, e2] = errors(2);
    const retryAfter = vi.fn((_o: unknown, attempt: number) => (attempt === 1 ? undefined : 0));
    const { clock, policy, retries } = setup(retryAfter);
    const call = policy.execute(scripted({ error: e1 }, { error: e2 }, { value: 'ok' }));
    await clock.advance(100);
    await expect(call).resolves.toBe('ok');
    expect(retryAfter.mock.calls).toEqual([
      [{ error: e1 }, 1],
      [{ error: e2 }, 2],
    ]);
    expect(retries.seen.map((e) => e.delay)).toEqual([100, 0]);
    expect(clock.now()).toBe(100);
  });

  it('is not consulted when the backoff stops or attempts run out', async () => {
    const retryAfter = vi.fn(() => 5);
    const clock = new VirtualClock();
    const stopping = retry({ clock, backoff: delays([]), retryAfter, maxAttempts: 9 });
    await expect(stopping.execute(failTimes(3))).rejects.toThrow('e1');
    expect(retryAfter).not.toHaveBeenCalled();
    const { clock: c2, policy } = setup(retryAfter, 2);
    const call = policy.execute(failTimes(5)).catch((x: unknown) => x);
    await c2.advance(5);
    expect(await call).toMatchObject({ message: 'e2' });
    expect(retryAfter).toHaveBeenCalledTimes(1);
  });
});

describe('retry options: a backoff or retryAfter returning a bad delay', () => {
  const tail = `; a delay must be a number from 0 to ${MAX} (ms) or undefined`;

  it('rejects with the exact RangeError, cause = the last error', async () => {
    const e1 = new Error('e1');
    const policy = retry({ clock: new VirtualClock(), backoff: () => -1 });
    const error = await policy.execute(scripted({ error: e1 })).catch((x: unknown) => x);
    expect(error).toEqual(new RangeError(`retry: \`backoff\` returned -1${tail}`));
    expect((error as Error).cause).toBe(e1);
  });

  it.each([
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    ['5', '"5"'],
    [null, 'null'],
    [MAX + 1, String(MAX + 1)],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('backoff returning %o → RangeError naming backoff', async (bad, shown) => {
    const clock = new VirtualClock();
    const policy = retry({ clock, backoff: () => bad as number, maxAttempts: 5 });
    const task = failTimes(5);
    const error = await policy.execute(task).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(`retry: \`backoff\` returned ${shown}${tail}`);
    expect((error as Error).cause).toMatchObject({ message: 'e1' });
    expect(task.calls).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it.each([
    [-0.5, '-0.5'],
    [Number.NaN, 'NaN'],
    ['10', '"10"'],
    [MAX + 1, String(MAX + 1)],
  ])('retryAfter returning %o → RangeError naming retryAfter', async (bad, shown) => {
    const policy = retry({
      clock: new VirtualClock(),
      backoff: constant(1),
      retryAfter: () => bad as number,
    });
    const error = await policy.execute(failTimes(5)).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(`retry: \`retryAfter\` returned ${shown}${tail}`);
    expect((error as Error).cause).toMatchObject({ message: 'e1' });
  });

  it('accepts the bounds 0 and 2^31-1', async () => {
    const clock = new VirtualClock();
    const policy = retry({ clock, backoff: delays([0, MAX]) });
    const call = policy.execute(failTimes(2));
    await clock.advance(MAX);
    await expect(call).resolves.toBe('ok');
  });
});

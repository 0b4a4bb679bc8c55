import { describe, expect, it } from 'vitest';
import {
  constant,
  type FallbackContext,
  type FallbackEvent,
  fallback,
  isTimeoutError,
  pipeline,
  retry,
  TimeoutError,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, deferred, thrownBy, track, untilAborted } from '../helpers/common.js';

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
class NetworkError extends Error {}

const fail = (error: unknown) => (): never => {
  throw error;
};

describe('fallback answers', () => {
  it('answers with a value `to` when the task throws or rejects', async () => {
    const policy = fallback({ to: 'cached' });
    await expect(policy.execute(fail(new Error('x')))).resolves.toBe('cached');
    await expect(policy.execute(() => Promise.reject(new Error('y')))).resolves.toBe('cached');
  });

  it("passes the task's own value through without calling `to`", async () => {
    let calls = 0;
    const policy = fallback({
      to: () => {
        calls++;
        return 'fb';
      },
    });
    await expect(policy.execute(() => 'real')).resolves.toBe('real');
    expect(calls).toBe(0);
  });

  it('calls a function `to` with the error and a context (outcome, signal, attempt)', async () => {
    const error = new Error('down');
    const seen: [unknown, FallbackContext][] = [];
    const policy = fallback({
      to: (e, ctx) => {
        seen.push([e, ctx]);
        return 'fb';
      },
    });
    const caller = new AbortController();
    await expect(policy.execute(fail(error), { signal: caller.signal })).resolves.toBe('fb');
    expect(seen).toHaveLength(1);
    const [e, ctx] = seen[0]!;
    expect(e).toBe(error);
    expect(ctx.outcome).toEqual({ error });
    expect(ctx.outcome.error).toBe(error);
    expect(ctx.signal).toBe(caller.signal);
    expect(ctx.attempt).toBe(1);
  });

  it('gives `to` a never-aborted signal when the caller passed none', async () => {
    let signal: AbortSignal | undefined;
    await fallback({
      to: (_e, ctx) => {
        signal = ctx.signal;
      },
    }).execute(fail(new Error('x')));
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(false);
  });

  it("gives `to` the attempt number of an outer retry's attempt", async () => {
    const policy = pipeline(
      retry({ maxAttempts: 3, backoff: constant(0), whenResult: (v) => v !== 'fb-3' }),
      fallback({ to: (_e, ctx) => `fb-${ctx.attempt}` }),
    );
    await expect(policy.execute(fail(new Error('x')))).resolves.toBe('fb-3');
  });

  it('awaits an async `to`', async () => {
    const answer = deferred<string>();
    const call = track(fallback({ to: () => answer.promise }).execute(fail(new Error('x'))));
    await new VirtualClock().flush();
    expect(call.state).toBe('pending');
    answer.resolve('later');
    await expect(call.promise).resolves.toBe('later');
  });

  it.each([
    ['throws', (e: Error) => fail(e)],
    ['rejects', (e: Error) => () => Promise.reject(e)],
  ])('rejects with the error of a `to` that %s, calling it once', async (_, make) => {
    const fromTo = new Error('fallback failed');
    let calls = 0;
    const to = make(fromTo);
    const policy = fallback({
      to: () => {
        calls++;
        return to();
      },
    });
    await expect(policy.execute(fail(new Error('task')))).rejects.toBe(fromTo);
    expect(calls).toBe(1);
  });

  it('runs at most once per call, after an inner retry gave up', async () => {
    let tries = 0;
    let answers = 0;
    const policy = pipeline(
      fallback({ to: () => ++answers }),
      retry({ maxAttempts: 3, backoff: constant(0) }),
    );
    const result = await policy.execute(() => {
      tries++;
      throw new Error('x');
    });
    expect(result).toBe(1);
    expect([tries, answers]).toEqual([3, 1]);
  });
});

describe('fallback filters', () => {
  it.each([
    ['a class', HttpError],
    ['an array of classes', [NetworkError, HttpError]],
    ['a predicate', (e: unknown) => e instanceof HttpError && e.status >= 500],
  ])('`when` as %s: matching errors fall back, others are rethrown unchanged', async (_, when) => {
    const policy = fallback({ to: 'fb', when });
    await expect(policy.execute(fail(new HttpError(503)))).resolves.toBe('fb');
    const other = new TypeError('bug');
    await expect(policy.execute(fail(other))).rejects.toBe(other);
  });

  it('treats thrown non-errors with a class filter as not matching', async () => {
    const policy = fallback({ to: 'fb', when: Error });
    await expect(policy.execute(fail('a string'))).rejects.toBe('a string');
    await expect(policy.execute(fail(new HttpError(500)))).resolves.toBe('fb');
  });

  it('`whenResult` falls back on a rejected value, with error undefined and outcome.value', async () => {
    const seen: [unknown, FallbackContext['outcome']][] = [];
    const policy = fallback({
      to: (error, ctx) => {
        seen.push([error, ctx.outcome]);
        return 'fb';
      },
      whenResult: (value) => value === 503,
    });
    await expect(policy.execute(() => 503)).resolves.toBe('fb');
    await expect(policy.execute(() => 200)).resolves.toBe(200);
    expect(seen).toEqual([[undefined, { value: 503 }]]);
  });
});

describe('fallback events and aborts', () => {
  it('emits onFallback with the outcome, frozen, once per fallback', async () => {
    const policy = fallback({ to: 'fb', whenResult: (v) => v === 'bad' });
    const events: FallbackEvent[] = [];
    const stop = policy.onFallback((event) => events.push(event));
    const error = new Error('x');
    await policy.execute(fail(error));
    await policy.execute(() => 'bad');
    await policy.execute(() => 'good');
    expect(events).toEqual([{ outcome: { error } }, { outcome: { value: 'bad' } }]);
    expect(Object.isFrozen(events[0])).toBe(true);
    stop();
    await policy.execute(fail(error));
    expect(events).toHaveLength(2);
  });

  it('does not fall back when the caller aborted; rejects with the reason', async () => {
    const caller = countingSignal();
    let answers = 0;
    const policy = fallback({ to: () => ++answers });
    let events = 0;
    policy.onFallback(() => events++);
    const call = track(
      policy.execute(({ signal }) => untilAborted(signal), { signal: caller.signal }),
    );
    caller.abort('user left');
    await expect(call.promise).rejects.toBe('user left');
    await new VirtualClock().flush();
    expect([answers, events]).toEqual([0, 0]);
    expect(caller.listeners()).toBe(0);
  });

  it('does not fall back when an outer timeout aborted the call', async () => {
    const clock = new VirtualClock();
    let answers = 0;
    const inner = fallback({ to: () => ++answers });
    const policy = pipeline(timeout({ after: 10, clock }), inner);
    const call = track(policy.execute(({ signal }) => untilAborted(signal)));
    await clock.advance(10);
    await expect(call.promise).rejects.toBeInstanceOf(TimeoutError);
    await expect(call.promise).rejects.toSatisfy(isTimeoutError);
    expect(answers).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});

describe('fallback options', () => {
  it.each([
    [{}, 'fallback: `to` is required: a value or (error, ctx) => value'],
    [undefined, 'fallback: `to` is required: a value or (error, ctx) => value'],
    [
      { to: 1, when: 42 },
      'fallback: `when` must be a predicate function, an Error class or a non-empty array of Error classes, got 42',
    ],
    [
      { to: 1, when: [] },
      'fallback: `when` must be a predicate function, an Error class or a non-empty array of Error classes, got an array of length 0',
    ],
    [{ to: 1, whenResult: true }, 'fallback: `whenResult` must be a function, got true'],
    [{ to: 1, value: 2 }, 'fallback: unknown option `value`; allowed: `to`, `when`, `whenResult`'],
    ['x', 'fallback: options must be an object, got "x"'],
  ])('%o -> TypeError', (options, message) => {
    const error = thrownBy(() => fallback(options as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(message);
  });

  it('accepts `to: undefined` as an explicit value', async () => {
    await expect(fallback({ to: undefined }).execute(fail(new Error('x')))).resolves.toBe(
      undefined,
    );
  });
});

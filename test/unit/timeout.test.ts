import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  constant,
  isBreakwaterError,
  isTimeoutError,
  pipeline,
  retry,
  TimeoutError,
  type TimeoutEvent,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import {
  countingSignal,
  deferred,
  inspect,
  never,
  settleState,
  thrownBy,
  track,
  untilAborted,
} from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

describe('timeout, cooperative mode', () => {
  it('returns the value of a task that finishes in time and cancels its timer', async () => {
    const policy = timeout({ after: 100, clock });
    const task = deferred<string>();
    const call = policy.execute(() => task.promise);
    expect(clock.pending()).toBe(1);
    await clock.advance(99);
    task.resolve('ok');
    await expect(call).resolves.toBe('ok');
    expect(clock.pending()).toBe(0);
  });

  it('aborts ctx.signal at the deadline and rejects once a late task settles', async () => {
    const policy = timeout({ after: 100, clock });
    const task = deferred<string>();
    let signal: AbortSignal | undefined;
    const call = track(
      policy.execute((ctx) => {
        signal = ctx.signal;
        return task.promise;
      }),
    );
    await clock.advance(99);
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    expect(signal?.aborted).toBe(true);
    const reason: unknown = signal?.reason;
    expect(reason).toBeInstanceOf(TimeoutError);
    expect((reason as TimeoutError).after).toBe(100);
    expect(await settleState(call.promise, clock)).toBe('pending');
    task.resolve('late');
    await expect(call.promise).rejects.toBe(reason);
  });

  it('rejects with the TimeoutError, not the late error, when the task rejects late', async () => {
    const task = deferred<string>();
    const call = track(timeout({ after: 50, clock }).execute(() => task.promise));
    await clock.advance(50);
    expect(call.state).toBe('pending');
    task.reject(new Error('late failure'));
    await expect(call.promise).rejects.toSatisfy(isTimeoutError);
  });

  it('rejects with the TimeoutError when the task honours the signal', async () => {
    const call = track(
      timeout({ after: 100, clock }).execute(({ signal }) => untilAborted(signal)),
    );
    await clock.advance(99);
    expect(call.state).toBe('pending');
    await clock.advance(1);
    expect(call.state).toBe('rejected');
    await expect(call.promise).rejects.toSatisfy(isTimeoutError);
  });

  it('rejects with a synchronous throw of the task and leaves no timer', async () => {
    const boom = new Error('boom');
    const call = timeout({ after: 100, clock }).execute(() => {
      throw boom;
    });
    await expect(call).rejects.toBe(boom);
    expect(clock.pending()).toBe(0);
  });

  it('passes a plain return value through', async () => {
    await expect(timeout({ after: 1, clock }).execute(() => 42)).resolves.toBe(42);
  });
});

describe('timeout, aggressive mode', () => {
  it('rejects exactly at the deadline while the task hangs', async () => {
    const call = timeout({ after: 100, mode: 'aggressive', clock }).execute(() => never());
    expect(await settleState(call, clock)).toBe('pending');
    await clock.advance(99);
    expect(await settleState(call, clock)).toBe('pending');
    await clock.advance(1);
    const result = await inspect(call, clock);
    expect(result.state).toBe('rejected');
    expect(result.state === 'rejected' && (result.reason as TimeoutError).after).toBe(100);
  });

  it('ignores a late rejection without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const task = deferred<string>();
      const call = track(
        timeout({ after: 10, mode: 'aggressive', clock }).execute(() => task.promise),
      );
      await clock.advance(10);
      await expect(call.promise).rejects.toSatisfy(isTimeoutError);
      task.reject(new Error('late'));
      await clock.flush();
      await clock.flush();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('ignores a late value and resolves a task finishing in time', async () => {
    const policy = timeout({ after: 10, mode: 'aggressive', clock });
    const late = deferred<string>();
    const lateCall = track(policy.execute(() => late.promise));
    await clock.advance(10);
    late.resolve('late');
    await expect(lateCall.promise).rejects.toSatisfy(isTimeoutError);
    const quick = policy.execute(() => Promise.resolve('quick'));
    await expect(quick).resolves.toBe('quick');
  });

  it('rejects with a synchronous throw at once and leaves no timer', async () => {
    const boom = new TypeError('sync');
    const call = timeout({ after: 100, mode: 'aggressive', clock }).execute(() => {
      throw boom;
    });
    expect(clock.pending()).toBe(0);
    await expect(call).rejects.toBe(boom);
  });
});

describe('timeout signals', () => {
  it.each([
    [50, 100],
    [100, 50],
  ])('outer %i ms around inner %i ms: inner ctx.signal aborts at 50', async (outer, inner) => {
    const policy = pipeline(timeout({ after: outer, clock }), timeout({ after: inner, clock }));
    let signal: AbortSignal | undefined;
    const call = track(
      policy.execute((ctx) => {
        signal = ctx.signal;
        return untilAborted(ctx.signal);
      }),
    );
    await clock.advance(49);
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as TimeoutError | undefined)?.after).toBe(50);
    await expect(call.promise).rejects.toBe(signal?.reason);
  });

  it("passes the caller's abort reason into ctx.signal and leaves no listener", async () => {
    const caller = countingSignal();
    let signal: AbortSignal | undefined;
    const call = timeout({ after: 100, clock }).execute(
      (ctx) => {
        signal = ctx.signal;
        return untilAborted(ctx.signal);
      },
      { signal: caller.signal },
    );
    expect(caller.listeners()).toBeGreaterThan(0);
    caller.abort('stop');
    await expect(call).rejects.toBe('stop');
    expect(signal?.reason).toBe('stop');
    await clock.flush();
    expect(caller.listeners()).toBe(0);
  });

  it.each(['cooperative', 'aggressive'] as const)(
    "%s: leaves no listener on the caller's signal after success or timeout",
    async (mode) => {
      const caller = countingSignal();
      const policy = timeout({ after: 100, mode, clock });
      const ok = policy.execute(({ signal }) => signal.aborted, { signal: caller.signal });
      await expect(ok).resolves.toBe(false);
      expect(caller.listeners()).toBe(0);
      const late = track(
        policy.execute(({ signal }) => untilAborted(signal), { signal: caller.signal }),
      );
      expect(caller.listeners()).toBeGreaterThan(0);
      await clock.advance(100);
      await expect(late.promise).rejects.toSatisfy(isTimeoutError);
      expect(caller.listeners()).toBe(0);
      expect(caller.added()).toBeGreaterThanOrEqual(2); // one shared listener per call in flight
    },
  );

  it('gives an already-aborted signal when ctx.signal is first read after the deadline', async () => {
    const gate = deferred<void>();
    let lateSignal: AbortSignal | undefined;
    const call = track(
      timeout({ after: 100, clock }).execute(async (ctx) => {
        await gate.promise;
        lateSignal = ctx.signal;
      }),
    );
    await clock.advance(100);
    expect(lateSignal).toBeUndefined();
    gate.resolve();
    await expect(call.promise).rejects.toSatisfy(isTimeoutError);
    expect(lateSignal?.aborted).toBe(true);
    expect(isTimeoutError(lateSignal?.reason)).toBe(true);
  });
});

describe('timeout events and errors', () => {
  it('emits onTimeout with after and attempt, frozen, only when the deadline passes', async () => {
    const t = timeout({ after: 30, mode: 'aggressive', clock });
    const events: TimeoutEvent[] = [];
    t.onTimeout((event) => events.push(event));
    await t.execute(() => 'fast');
    expect(events).toEqual([]);
    const policy = pipeline(retry({ maxAttempts: 2, backoff: constant(5), clock }), t);
    const call = track(policy.execute(() => never()));
    await clock.advance(64);
    expect(call.state).toBe('pending');
    await clock.advance(1);
    await expect(call.promise).rejects.toSatisfy(isTimeoutError);
    expect(events).toEqual([
      { after: 30, attempt: 1 },
      { after: 30, attempt: 2 },
    ]);
    expect(Object.isFrozen(events[0])).toBe(true);
  });

  it('TimeoutError carries code, name, after and message', () => {
    const error = new TimeoutError(250);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.name).toBe('TimeoutError');
    expect(error.after).toBe(250);
    expect(error.message).toBe('Operation timed out after 250 ms');
    expect(isTimeoutError(error)).toBe(true);
    expect(isBreakwaterError(error)).toBe(true);
  });

  it('guards look at the brand, not the name or code', () => {
    const lookalike = Object.assign(new Error('Operation timed out after 1 ms'), {
      name: 'TimeoutError',
      code: 'ERR_TIMEOUT',
      after: 1,
    });
    expect(isTimeoutError(lookalike)).toBe(false);
    expect(isBreakwaterError(lookalike)).toBe(false);
    const otherCopy = { [Symbol.for('breakwater.error-code')]: 'ERR_TIMEOUT' };
    expect(isTimeoutError(otherCopy)).toBe(true);
    expect(isBreakwaterError(otherCopy)).toBe(true);
    const otherCode = { [Symbol.for('breakwater.error-code')]: 'ERR_CIRCUIT_OPEN' };
    expect(isTimeoutError(otherCode)).toBe(false);
    expect(isBreakwaterError(otherCode)).toBe(true);
    expect(isTimeoutError(null)).toBe(false);
    expect(isTimeoutError('ERR_TIMEOUT')).toBe(false);
  });
});

describe('timeout options', () => {
  const range = 'a finite number > 0 and <= 2147483647';
  it.each([
    [{ after: 0 }, RangeError, `timeout: \`after\` must be ${range}, got 0`],
    [{ after: -1 }, RangeError, `timeout: \`after\` must be ${range}, got -1`],
    [{ after: Number.NaN }, RangeError, `timeout: \`after\` must be ${range}, got NaN`],
    [{ after: 2 ** 31 }, RangeError, `timeout: \`after\` must be ${range}, got 2147483648`],
    [{ after: '5' }, TypeError, `timeout: \`after\` must be ${range}, got "5"`],
    [{}, TypeError, `timeout: \`after\` must be ${range}, got undefined`],
    [
      { after: 1, mode: 'fast' },
      RangeError,
      `timeout: \`mode\` must be one of 'cooperative', 'aggressive', got "fast"`,
    ],
    [
      { after: 1, mode: 1 },
      TypeError,
      `timeout: \`mode\` must be one of 'cooperative', 'aggressive', got 1`,
    ],
    [
      { after: 1, clock: {} },
      TypeError,
      'timeout: `clock` must be a Clock (an object with now() and setTimer()), got an object',
    ],
    [
      { after: 1, afterMs: 2 },
      TypeError,
      'timeout: unknown option `afterMs`; allowed: `after`, `mode`, `clock`',
    ],
    [null, TypeError, 'timeout: options must be an object, got null'],
  ])('%o -> %o', (options, kind, message) => {
    const error = thrownBy(() => timeout(options as never));
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toBe(message);
  });

  it('accepts the largest delay', () => {
    expect(() => timeout({ after: 2_147_483_647, clock })).not.toThrow();
  });
});

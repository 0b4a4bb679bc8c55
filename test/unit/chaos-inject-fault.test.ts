import { describe, expect, it } from 'vitest';
import {
  type FaultInjectEvent,
  firstN,
  InjectedFaultError,
  type InjectionContext,
  injectFault,
  injectOutcome,
  isInjectedFaultError,
} from '../../src/chaos/index.js';
import { constant, fallback, isBreakwaterError, pipeline, retry } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { thrownBy } from '../helpers/common.js';

describe('injectFault', () => {
  it('throws an InjectedFaultError naming the injector instead of calling the task', async () => {
    let called = 0;
    const error = await injectFault({ name: 'db' })
      .execute(() => called++)
      .catch((e: unknown) => e);
    expect(called).toBe(0);
    expect(error).toBeInstanceOf(InjectedFaultError);
    expect(error).toMatchObject({
      name: 'InjectedFaultError',
      code: 'ERR_INJECTED_FAULT',
      injector: 'db',
      message: 'Fault injected by db',
    });
    expect(isInjectedFaultError(error)).toBe(true);
    expect(isBreakwaterError(error)).toBe(true);
  });

  it('makes a fresh default error, with a stack, for each injected call', async () => {
    const fault = injectFault();
    const first = await fault.execute(() => 1).catch((e: unknown) => e);
    const second = await fault.execute(() => 1).catch((e: unknown) => e);
    expect(first).not.toBe(second);
    expect((first as Error).stack).toContain('Fault injected by fault');
  });

  it('throws the very Error given, each time', async () => {
    const reset = new Error('ECONNRESET');
    const fault = injectFault({ error: reset });
    await expect(fault.execute(() => 1)).rejects.toBe(reset);
    await expect(fault.execute(() => 1)).rejects.toBe(reset);
  });

  it('calls an `error` function per injected call with signal, attempt and call number', async () => {
    const seen: { call: number; attempt: number; aborted: boolean }[] = [];
    const fault = injectFault({
      error: (ctx: InjectionContext) => {
        seen.push({ call: ctx.call, attempt: ctx.attempt, aborted: ctx.signal.aborted });
        return new RangeError(`fault ${ctx.call}`);
      },
      when: firstN(2),
    });
    const policy = pipeline(retry({ maxAttempts: 3, backoff: constant(0) }), fault);
    await expect(policy.execute(() => 'third time lucky')).resolves.toBe('third time lucky');
    expect(seen).toEqual([
      { call: 1, attempt: 1, aborted: false },
      { call: 2, attempt: 2, aborted: false },
    ]);
  });

  it('rejects with a TypeError when the `error` function returns a non-Error', async () => {
    const fault = injectFault({ name: 'db', error: (() => 'boom') as never });
    const error = await fault.execute(() => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      'injectFault "db": `error` returned "boom"; it must return an Error',
    );
  });

  it('rejects with what the `error` function throws', async () => {
    const thrown = new Error('factory broke');
    const fault = injectFault({
      error: () => {
        throw thrown;
      },
    });
    await expect(fault.execute(() => 1)).rejects.toBe(thrown);
  });

  it('onInject carries the error about to be thrown', async () => {
    const events: FaultInjectEvent[] = [];
    const fault = injectFault({ name: 'f', clock: new VirtualClock(70) });
    fault.onInject((event) => events.push(event));
    const error = await fault.execute(() => 1).catch((e: unknown) => e);
    expect(events).toEqual([{ injector: 'f', call: 1, now: 70, attempt: 1, error }]);
    expect(events[0]?.error).toBe(error);
  });

  it.each([
    ['boom', TypeError, '"boom"'],
    [{ message: 'x' }, TypeError, 'an object'],
    [null, TypeError, 'null'],
  ])('error: %o → %o', (error, kind, shown) => {
    const thrown = thrownBy(() => injectFault({ error } as never));
    expect(thrown).toBeInstanceOf(kind);
    expect(thrown.message).toBe(
      `injectFault: \`error\` must be an Error or a function returning one, got ${shown}`,
    );
  });
});

describe('injectOutcome', () => {
  it('answers with `value` without calling the task', async () => {
    let called = 0;
    const task = () => {
      called++;
      return { items: ['real'] };
    };
    const answer = injectOutcome({ value: { items: [] as string[] }, when: firstN(1) });
    await expect(answer.execute(task)).resolves.toEqual({ items: [] });
    expect(called).toBe(0);
    await expect(answer.execute(task)).resolves.toEqual({ items: ['real'] });
    expect(called).toBe(1);
  });

  it('calls a `value` function per injected call, sync or async', async () => {
    const sync = injectOutcome({ value: (ctx: InjectionContext) => `call ${ctx.call}` });
    expect(await sync.execute(() => 'real')).toBe('call 1');
    expect(await sync.execute(() => 'real')).toBe('call 2');
    const later = injectOutcome({ value: async () => 503 });
    expect(await later.execute(() => 200)).toBe(503);
  });

  it('undefined and null are values', async () => {
    await expect(injectOutcome({ value: undefined }).execute(() => 1)).resolves.toBeUndefined();
    await expect(injectOutcome({ value: null }).execute(() => 1)).resolves.toBeNull();
  });

  it('rejects with what a `value` function throws or rejects with', async () => {
    const thrown = new Error('throws');
    const rejected = new Error('rejects');
    const a = injectOutcome({
      value: (): number => {
        throw thrown;
      },
    });
    const b = injectOutcome({ value: () => Promise.reject<number>(rejected) });
    await expect(a.execute(() => 1)).rejects.toBe(thrown);
    await expect(b.execute(() => 1)).rejects.toBe(rejected);
  });

  it('its value type joins the result type of a pipeline, like a fallback', async () => {
    const policy = pipeline(
      fallback({ to: 'fallback' as const }),
      injectOutcome({ value: 503 as const }),
    );
    const result: 'fallback' | 503 | string = await policy.execute(() => 'real');
    expect(result).toBe(503);
  });

  it('`value` is required', () => {
    const error = thrownBy(() => injectOutcome({} as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('injectOutcome: `value` is required: a value or (ctx) => value');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { hasBrand } from '../../src/core/errors/breakwater-error.js';
import { Emitter } from '../../src/core/events.js';
import {
  checkClock,
  checkFunction,
  checkNumber,
  checkOneOf,
  checkOptions,
  describe as describeValue,
} from '../../src/core/validate.js';
import { BreakwaterError, isBreakwaterError, retry, TimeoutError } from '../../src/index.js';
import { thrownBy } from '../helpers/common.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Emitter', () => {
  it('calls listeners in subscription order with a frozen payload', () => {
    const emitter = new Emitter<{ n: number }>();
    const seen: string[] = [];
    expect(emitter.has).toBe(false);
    emitter.event((e) => seen.push(`a${e.n}`));
    emitter.event((e) => {
      seen.push(`b${e.n}`);
      expect(Object.isFrozen(e)).toBe(true);
    });
    expect(emitter.has).toBe(true);
    emitter.emit({ n: 1 });
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('lets a listener subscribe during an emit; the new one hears the next emit only', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    emitter.event((n) => {
      seen.push(`outer${n}`);
      if (n === 1) emitter.event((m) => seen.push(`inner${m}`));
    });
    emitter.emit(1);
    emitter.emit(2);
    expect(seen).toEqual(['outer1', 'outer2', 'inner2']);
  });

  it('lets a listener unsubscribe itself or another during an emit', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const stopSelf = emitter.event((n) => {
      seen.push(`self${n}`);
      stopSelf();
    });
    let stopOther = (): void => {};
    emitter.event((n) => {
      seen.push(`killer${n}`);
      stopOther();
    });
    stopOther = emitter.event((n) => seen.push(`other${n}`));
    emitter.emit(1); // emits to a snapshot: `other` still hears this one
    emitter.emit(2);
    expect(seen).toEqual(['self1', 'killer1', 'other1', 'killer2']);
  });

  it('has idempotent disposers that remove only their own subscription', () => {
    const emitter = new Emitter<number>();
    let calls = 0;
    const listener = (): void => void calls++;
    const stop1 = emitter.event(listener);
    emitter.event(listener);
    emitter.emit(0);
    expect(calls).toBe(2);
    stop1();
    stop1();
    emitter.emit(0);
    expect(calls).toBe(3);
    expect(emitter.has).toBe(true);
  });

  it.each([
    [undefined, 'undefined'],
    [42, 'number'],
    [{ handleEvent() {} }, 'object'],
  ])('rejects a non-function listener (%o)', (listener, type) => {
    const error = thrownBy(() => new Emitter<number>().event(listener as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(`event listener must be a function, got ${type}`);
  });

  it('reports a listener error via globalThis.reportError and keeps going', () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const emitter = new Emitter<number>();
    const boom = new Error('listener bug');
    let after = 0;
    emitter.event(() => {
      throw boom;
    });
    emitter.event(() => void after++);
    expect(() => emitter.emit(1)).not.toThrow();
    expect(report).toHaveBeenCalledExactlyOnceWith(boom);
    expect(consoleError).not.toHaveBeenCalled();
    expect(after).toBe(1);
  });

  it('falls back to console.error when reportError is absent, and survives a throwing reporter', () => {
    vi.stubGlobal('reportError', undefined);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const emitter = new Emitter<number>();
    const boom = new Error('listener bug');
    emitter.event(() => {
      throw boom;
    });
    emitter.emit(1);
    expect(consoleError).toHaveBeenCalledOnce();
    expect(consoleError.mock.calls[0]).toContain(boom);
    vi.stubGlobal('reportError', () => {
      throw new Error('reporter bug');
    });
    expect(() => emitter.emit(2)).not.toThrow();
  });

  it('a throwing onRetry listener does not change the outcome of the call', async () => {
    vi.stubGlobal('reportError', vi.fn());
    const policy = retry({ maxAttempts: 2, backoff: () => 0 });
    policy.onRetry(() => {
      throw new Error('listener bug');
    });
    let n = 0;
    await expect(policy.execute(() => (++n === 1 ? Promise.reject(new Error()) : n))).resolves.toBe(
      2,
    );
  });
});

describe('describe()', () => {
  class Widget {}
  it.each([
    ['x', '"x"'],
    ['', '""'],
    [42, '42'],
    [Number.NaN, 'NaN'],
    [-0, '0'],
    [10n, '10n'],
    [Symbol('s'), 'Symbol(s)'],
    [null, 'null'],
    [undefined, 'undefined'],
    [true, 'true'],
    [function named() {}, 'function named'],
    [
      (
        () => () =>
          1
      )(),
      'a function',
    ],
    [[1, 2], 'an array of length 2'],
    [{}, 'an object'],
    [Object.create(null), 'an object'],
    [new Map(), 'an instance of Map'],
    [new Widget(), 'an instance of Widget'],
    [new AbortController(), 'an instance of AbortController'],
    [{ constructor: 5 }, 'an object'],
  ])('%o -> %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

describe('validation helpers', () => {
  it.each([
    [1, {}, undefined, undefined],
    ['1', { min: 0 }, TypeError, 'p: `o` must be a finite number >= 0, got "1"'],
    [
      0,
      { integer: true, min: 1, infinity: true },
      RangeError,
      'p: `o` must be an integer >= 1 or Infinity, got 0',
    ],
    [1.5, { integer: true }, RangeError, 'p: `o` must be an integer, got 1.5'],
    [
      Number.POSITIVE_INFINITY,
      { min: 0 },
      RangeError,
      'p: `o` must be a finite number >= 0, got Infinity',
    ],
    [Number.POSITIVE_INFINITY, { min: 0, infinity: true }, undefined, undefined],
    [
      Number.NEGATIVE_INFINITY,
      { infinity: true },
      RangeError,
      'p: `o` must be a finite number or Infinity, got -Infinity',
    ],
    [Number.NaN, {}, RangeError, 'p: `o` must be a finite number, got NaN'],
    [0, { above: 0 }, RangeError, 'p: `o` must be a finite number > 0, got 0'],
    [11, { min: 1, max: 10 }, RangeError, 'p: `o` must be a finite number >= 1 and <= 10, got 11'],
    [10, { min: 1, max: 10 }, undefined, undefined],
  ])('checkNumber(%o, %o)', (value, rule, kind, message) => {
    if (kind === undefined) {
      expect(checkNumber('p', 'o', value, rule)).toBe(value);
      return;
    }
    const error = thrownBy(() => checkNumber('p', 'o', value, rule));
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toBe(message);
  });

  it('checkOneOf returns an allowed value and names the choices otherwise', () => {
    const allowed = ['none', 'full'] as const;
    expect(checkOneOf('p', 'jitter', 'full', allowed)).toBe('full');
    const range = thrownBy(() => checkOneOf('p', 'jitter', 'half', allowed));
    expect(range).toBeInstanceOf(RangeError);
    expect(range.message).toBe(`p: \`jitter\` must be one of 'none', 'full', got "half"`);
    const type = thrownBy(() => checkOneOf('p', 'jitter', 1, allowed));
    expect(type).toBeInstanceOf(TypeError);
    expect(type.message).toBe(`p: \`jitter\` must be one of 'none', 'full', got 1`);
  });

  it('checkOptions accepts undefined and known keys, rejects the rest', () => {
    expect(checkOptions('p', undefined, ['a'])).toEqual({});
    const given = { a: 1 };
    expect(checkOptions('p', given, ['a', 'b'])).toBe(given);
    expect(given).toEqual({ a: 1 });
    const unknown = thrownBy(() => checkOptions('p', { a: 1, c: 2 }, ['a', 'b']));
    expect(unknown).toBeInstanceOf(TypeError);
    expect(unknown.message).toBe('p: unknown option `c`; allowed: `a`, `b`');
    for (const [bad, text] of [
      [null, 'null'],
      [[], 'an array of length 0'],
      [3, '3'],
      ['a', '"a"'],
    ] as const) {
      const error = thrownBy(() => checkOptions('p', bad, ['a']));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(`p: options must be an object, got ${text}`);
    }
  });

  it('checkFunction and checkClock name the option', () => {
    expect(thrownBy(() => checkFunction('p', 'f', 1)).message).toBe(
      'p: `f` must be a function, got 1',
    );
    const fallbackClock = { now: () => 0, setTimer: () => ({ cancel() {} }) };
    expect(checkClock('p', undefined, fallbackClock)).toBe(fallbackClock);
    expect(thrownBy(() => checkClock('p', { now: () => 0 }, fallbackClock)).message).toBe(
      'p: `clock` must be a Clock (an object with now() and setTimer()), got an object',
    );
  });
});

describe('execute() and wrap() arguments', () => {
  const policy = retry({ maxAttempts: 1 });

  it.each([
    [42, 'execute: the task must be a function, got 42'],
    [null, 'execute: the task must be a function, got null'],
    [{}, 'execute: the task must be a function, got an object'],
  ])('execute(%o) returns a rejected TypeError', async (task, message) => {
    let call: Promise<unknown> | undefined;
    expect(() => {
      call = policy.execute(task as never);
    }).not.toThrow();
    await expect(call).rejects.toThrow(TypeError);
    await expect(call).rejects.toThrow(message);
  });

  it.each([
    [{}, 'execute: `signal` must be an AbortSignal, got an object'],
    ['s', 'execute: `signal` must be an AbortSignal, got "s"'],
    [{ aborted: false }, 'execute: `signal` must be an AbortSignal, got an object'],
    [new Map(), 'execute: `signal` must be an AbortSignal, got an instance of Map'],
  ])('execute with signal %o returns a rejected TypeError', async (signal, message) => {
    let calls = 0;
    const call = policy.execute(() => calls++, { signal: signal as never });
    await expect(call).rejects.toThrow(TypeError);
    await expect(call).rejects.toThrow(message);
    expect(calls).toBe(0);
  });

  it('execute with an already-aborted signal rejects with its reason, never calling the task', async () => {
    const reason = new Error('already gone');
    let calls = 0;
    const call = policy.execute(() => calls++, { signal: AbortSignal.abort(reason) });
    await expect(call).rejects.toBe(reason);
    expect(calls).toBe(0);
  });

  it('execute treats signal: undefined as no signal', async () => {
    await expect(policy.execute(() => 'v', { signal: undefined })).resolves.toBe('v');
  });

  it('wrap with a non-function throws a TypeError at once', () => {
    const error = thrownBy(() => policy.wrap('x' as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('wrap: `fn` must be a function, got "x"');
    expect(thrownBy(() => policy.wrap(undefined as never)).message).toBe(
      'wrap: `fn` must be a function, got undefined',
    );
  });
});

describe('errors and brands', () => {
  it('TimeoutError is a BreakwaterError with a non-enumerable brand', () => {
    const error = new TimeoutError(5);
    expect(error).toBeInstanceOf(BreakwaterError);
    expect(Object.getOwnPropertySymbols(error)).toContain(Symbol.for('breakwater.error-code'));
    expect(Object.getOwnPropertyDescriptor(error, Symbol.for('breakwater.error-code'))).toEqual(
      expect.objectContaining({ value: 'ERR_TIMEOUT', enumerable: false }),
    );
    expect(Object.getOwnPropertySymbols({ ...error })).toEqual([]);
  });

  it('hasBrand checks the brand value, optionally the code', () => {
    const key = Symbol.for('breakwater.error-code');
    expect(hasBrand({ [key]: 'ERR_X' })).toBe(true);
    expect(hasBrand({ [key]: 'ERR_X' }, 'ERR_X')).toBe(true);
    expect(hasBrand({ [key]: 'ERR_X' }, 'ERR_Y')).toBe(false);
    expect(hasBrand({ [key]: 1 })).toBe(false);
    expect(hasBrand({ [Symbol('breakwater.error-code')]: 'ERR_X' })).toBe(false);
    for (const value of [null, undefined, 'ERR_X', 1]) expect(hasBrand(value)).toBe(false);
    expect(isBreakwaterError(Object.create({ [key]: 'ERR_INHERITED' }))).toBe(true);
  });
});

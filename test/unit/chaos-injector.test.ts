import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  every,
  firstN,
  type InjectEvent,
  InjectedFaultError,
  InjectorPolicy,
  injectBehavior,
  injectFault,
  injectHang,
  injectLatency,
  injectOutcome,
  rate,
  type TriggerContext,
} from '../../src/chaos/index.js';
import { pipeline } from '../../src/index.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';
import { thrownBy } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** Runs `n` calls of `() => 'ok'` one after the other; 'ok' or the error's name for each. */
async function run(policy: { execute(task: () => string): Promise<unknown> }, n: number) {
  const results: unknown[] = [];
  for (let i = 0; i < n; i++) {
    results.push(await policy.execute(() => 'ok').catch((e: Error) => e.name));
  }
  return results;
}

describe('injectors: the shared decision', () => {
  it('with no `when`, injects into every call', async () => {
    const fault = injectFault({ clock });
    expect(await run(fault, 3)).toEqual([
      'InjectedFaultError',
      'InjectedFaultError',
      'InjectedFaultError',
    ]);
    expect(fault.stats).toEqual({ calls: 3, injected: 3 });
  });

  it('asks the trigger with the call number, the clock time, the attempt and its stream', async () => {
    const seen: Omit<TriggerContext, 'random'>[] = [];
    let random: (() => number) | undefined;
    const fault = injectFault({
      clock,
      when: (ctx) => {
        seen.push({ call: ctx.call, now: ctx.now, attempt: ctx.attempt });
        random = ctx.random;
        return false;
      },
      random: seededRandom(1),
    });
    await fault.execute(() => 1);
    await clock.advance(250);
    await fault.execute(() => 2);
    expect(seen).toEqual([
      { call: 1, now: 0, attempt: 1 },
      { call: 2, now: 250, attempt: 1 },
    ]);
    expect(typeof random).toBe('function');
  });

  it('passes the call through when the trigger does not fire, with its value or error', async () => {
    const fault = injectFault({ when: every(2), clock });
    await expect(fault.execute(() => 'first')).resolves.toBe('first');
    await expect(fault.execute(() => 'second')).rejects.toBeInstanceOf(InjectedFaultError);
    const own = new Error('own');
    await expect(
      fault.execute(() => {
        throw own;
      }),
    ).rejects.toBe(own);
    expect(fault.stats).toEqual({ calls: 3, injected: 1 });
  });

  it('rejects the call with the error a trigger throws, and does not call the task', async () => {
    const boom = new Error('trigger broke');
    let called = 0;
    const fault = injectFault({
      clock,
      when: () => {
        throw boom;
      },
    });
    await expect(fault.execute(() => called++)).rejects.toBe(boom);
    expect(called).toBe(0);
    expect(fault.stats).toEqual({ calls: 1, injected: 0 });
  });
});

describe('injectors: enabled', () => {
  it('a disabled injector passes every call through, counting nothing and drawing nothing', async () => {
    let draws = 0;
    const random = (): number => {
      draws++;
      return 0;
    };
    let reads = 0;
    const counting = {
      now: () => {
        reads++;
        return clock.now();
      },
      setTimer: clock.setTimer.bind(clock),
    };
    const fault = injectFault({ when: rate(1), random, clock: counting, enabled: false });
    expect(fault.enabled).toBe(false);
    expect(await run(fault, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(fault.stats).toEqual({ calls: 0, injected: 0 });
    expect([draws, reads]).toEqual([0, 0]);
  });

  it('can be switched at run time; the call count carries on', async () => {
    const seen: number[] = [];
    const fault = injectFault({
      clock,
      when: ({ call }) => {
        seen.push(call);
        return call === 2;
      },
    });
    fault.enabled = false;
    expect(await run(fault, 2)).toEqual(['ok', 'ok']);
    fault.enabled = true;
    expect(await run(fault, 2)).toEqual(['ok', 'InjectedFaultError']);
    fault.enabled = false;
    expect(await run(fault, 1)).toEqual(['ok']);
    expect(seen).toEqual([1, 2]);
    expect(fault.stats).toEqual({ calls: 2, injected: 1 });
  });

  it('refuses a non-boolean, keeping its state', () => {
    const fault = injectLatency({ delay: 1 });
    const error = thrownBy(() => {
      fault.enabled = 'no' as never;
    });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('injectLatency: `enabled` must be a boolean, got "no"');
    expect(fault.enabled).toBe(true);
  });
});

describe('injectors: stats and onInject', () => {
  it('stats is a frozen snapshot', async () => {
    const fault = injectFault({ when: firstN(1), clock });
    const before = fault.stats;
    await run(fault, 2);
    expect(before).toEqual({ calls: 0, injected: 0 });
    expect(Object.isFrozen(fault.stats)).toBe(true);
    expect(fault.stats).toEqual({ calls: 2, injected: 1 });
  });

  it('resetStats() restarts both counts and the call number triggers see', async () => {
    const fault = injectFault({ when: firstN(1), clock });
    expect(await run(fault, 2)).toEqual(['InjectedFaultError', 'ok']);
    fault.resetStats();
    expect(fault.stats).toEqual({ calls: 0, injected: 0 });
    expect(await run(fault, 2)).toEqual(['InjectedFaultError', 'ok']);
  });

  it('onInject tells name, call, time and attempt of each injected call; the disposer stops it', async () => {
    const events: InjectEvent[] = [];
    const hooked = injectOutcome({ name: 'stale', value: 'cached', when: every(2), clock });
    const stop = hooked.onInject((event) => events.push(event));
    await run(hooked, 2);
    await clock.advance(40);
    await run(hooked, 2);
    stop();
    await run(hooked, 2);
    expect(events).toEqual([
      { injector: 'stale', call: 2, now: 0, attempt: 1 },
      { injector: 'stale', call: 4, now: 40, attempt: 1 },
    ]);
    expect(Object.isFrozen(events[0])).toBe(true);
  });
});

describe('injectors: names and random streams', () => {
  it.each([
    [injectFault(), 'fault'],
    [injectLatency({ delay: 0 }), 'latency'],
    [injectOutcome({ value: 1 }), 'outcome'],
    [injectHang(), 'hang'],
    [injectBehavior({ run: () => {} }), 'behavior'],
  ])('the default name is the kind (%#)', (injector, name) => {
    expect(injector.name).toBe(name);
    expect(injector).toBeInstanceOf(InjectorPolicy);
  });

  /** Which of `n` calls the injector picks with `rate(0.5)`. */
  async function picks(options: { name?: string; seed?: number | string }, n = 40) {
    const fault = injectFault({ ...options, when: rate(0.5), clock });
    return (await run(fault, n)).map((r) => r !== 'ok');
  }

  it('the same seed and name give the same decisions; another name or seed others', async () => {
    const a = await picks({ name: 'db', seed: 3 });
    expect(await picks({ name: 'db', seed: 3 })).toEqual(a);
    expect(await picks({ name: 'cache', seed: 3 })).not.toEqual(a);
    expect(await picks({ name: 'db', seed: 4 })).not.toEqual(a);
    expect(await picks({ name: 'db', seed: '3' })).toEqual(a);
  });

  it('the stream is derived from seed and name only: independent of other injectors', async () => {
    const alone = await picks({ name: 'db', seed: 9 });
    const db = injectFault({ name: 'db', seed: 9, when: rate(0.5), clock });
    const other = injectLatency({ name: 'net', seed: 9, when: rate(0.5), delay: 0, clock });
    const outcomes = await run(pipeline(other, db), 40);
    expect(outcomes.map((r) => r !== 'ok')).toEqual(alone);
    expect(other.stats.injected).toBeGreaterThan(0);
  });

  it('`random` is used as given', async () => {
    const fault = injectFault({ when: rate(0.5), random: () => 0.4, clock });
    expect(await run(fault, 2)).toEqual(['InjectedFaultError', 'InjectedFaultError']);
  });
});

describe('injectors: shared options, checked at build time', () => {
  const ALLOWED = 'allowed: `error`, `name`, `when`, `enabled`, `clock`, `seed`, `random`';
  it.each([
    [{ name: '' }, TypeError, 'injectFault: `name` must be a non-empty string, got ""'],
    [{ name: 7 }, TypeError, 'injectFault: `name` must be a non-empty string, got 7'],
    [
      { when: 0.1 },
      TypeError,
      'injectFault: `when` must be a trigger (a function such as rate(0.1)), got 0.1',
    ],
    [{ enabled: 1 }, TypeError, 'injectFault: `enabled` must be a boolean, got 1'],
    [{ enabled: null }, TypeError, 'injectFault: `enabled` must be a boolean, got null'],
    [
      { clock: {} },
      TypeError,
      'injectFault: `clock` must be a Clock (an object with now() and setTimer()), got an object',
    ],
    [{ seed: 1, random: Math.random }, TypeError, 'injectFault: give `seed` or `random`, not both'],
    [
      { seed: Number.NaN },
      TypeError,
      'injectFault: `seed` must be a finite number or a string, got NaN',
    ],
    [{ random: 0.5 }, TypeError, 'injectFault: `random` must be a function, got 0.5'],
    [{ rate: 0.5 }, TypeError, `injectFault: unknown option \`rate\`; ${ALLOWED}`],
    ['fault', TypeError, 'injectFault: options must be an object, got "fault"'],
  ])('%o → %o', (options, kind, message) => {
    const error = thrownBy(() => injectFault(options as never));
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toBe(message);
  });

  it('every factory names itself in its messages', () => {
    expect(thrownBy(() => injectHang({ name: '' })).message).toBe(
      'injectHang: `name` must be a non-empty string, got ""',
    );
    expect(thrownBy(() => injectHang({ delay: 1 } as never)).message).toBe(
      'injectHang: unknown option `delay`; allowed: `name`, `when`, `enabled`, `clock`, `seed`, `random`',
    );
    expect(thrownBy(() => injectBehavior({ run: () => {}, enabled: 'yes' } as never)).message).toBe(
      'injectBehavior: `enabled` must be a boolean, got "yes"',
    );
  });
});

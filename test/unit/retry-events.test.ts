import { afterEach, describe, expect, it, vi } from 'vitest';
import { constant, type RetryOptions, retry } from '../../src/index.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';
import { collect, errors, failTimes, scripted } from '../helpers/retry-helpers.js';

function setup(options: RetryOptions = {}) {
  const clock = new VirtualClock();
  const policy = retry({ clock, random: seededRandom(3), backoff: constant(100), ...options });
  return { clock, policy };
}

/** A task whose attempt n takes `took[n-1]` ms of virtual time, then fails or returns per `fails`. */
function slowTask(clock: VirtualClock, took: readonly number[], fails: number) {
  let n = 0;
  return () => {
    const i = n++;
    return new Promise((resolve, reject) => {
      clock.setTimer(() => (i < fails ? reject(new Error(`e${i + 1}`)) : resolve('v')), took[i]!);
    });
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('retry events: payloads', () => {
  it('onRetry and onGiveUp report attempt, delay, attempts and outcome', async () => {
    const { clock, policy } = setup({ maxAttempts: 3 });
    const retries = collect(policy.onRetry);
    const giveUps = collect(policy.onGiveUp);
    const [e1, e2, e3] = errors(3);
    const call = policy.execute(scripted({ error: e1 }, { error: e2 }, { error: e3 }));
    call.catch(() => {});
    await clock.runAll();
    await expect(call).rejects.toBe(e3);
    expect(retries.seen).toEqual([
      { attempt: 1, delay: 100, outcome: { error: e1 } },
      { attempt: 2, delay: 100, outcome: { error: e2 } },
    ]);
    expect(giveUps.seen).toEqual([{ attempts: 3, outcome: { error: e3 } }]);
  });

  it('onSuccess and onFailure report attempt, virtual duration, outcome and handled', async () => {
    const clock = new VirtualClock(5_000);
    const policy = retry({ clock, backoff: constant(100), maxAttempts: 3 });
    const successes = collect(policy.onSuccess);
    const failures = collect(policy.onFailure);
    const call = policy.execute(slowTask(clock, [30, 0, 45], 2));
    await clock.runAll();
    await expect(call).resolves.toBe('v');
    expect(failures.seen).toEqual([
      { attempt: 1, duration: 30, outcome: { error: new Error('e1') }, handled: true },
      { attempt: 2, duration: 0, outcome: { error: new Error('e2') }, handled: true },
    ]);
    expect(successes.seen).toEqual([{ attempt: 3, duration: 45, outcome: { value: 'v' } }]);
    expect(clock.now()).toBe(5_000 + 30 + 100 + 0 + 100 + 45);
  });

  it('onFailure says handled: false for an error `when` refuses; no onRetry or onGiveUp', async () => {
    const { policy } = setup({ when: TypeError });
    const failures = collect(policy.onFailure);
    const others = [collect(policy.onRetry), collect(policy.onGiveUp), collect(policy.onSuccess)];
    const fatal = new RangeError('no');
    await expect(policy.execute(scripted({ error: fatal }))).rejects.toBe(fatal);
    expect(failures.seen).toEqual([
      { attempt: 1, duration: 0, outcome: { error: fatal }, handled: false },
    ]);
    expect(others.map((o) => o.seen.length)).toEqual([0, 0, 0]);
  });

  it('whenResult: onFailure with a value outcome; onGiveUp with the last value', async () => {
    const { policy } = setup({
      whenResult: (v) => v === 'busy',
      maxAttempts: 2,
      backoff: constant(0),
    });
    const failures = collect(policy.onFailure);
    const giveUps = collect(policy.onGiveUp);
    await expect(policy.execute(scripted({ value: 'busy' }))).resolves.toBe('busy');
    expect(failures.seen.map((e) => [e.attempt, e.outcome, e.handled])).toEqual([
      [1, { value: 'busy' }, true],
      [2, { value: 'busy' }, true],
    ]);
    expect(giveUps.seen).toEqual([{ attempts: 2, outcome: { value: 'busy' } }]);
  });

  it('events come in order: failure, retry ... failure, give-up', async () => {
    const { clock, policy } = setup({ maxAttempts: 2 });
    const order: string[] = [];
    policy.onFailure((e) => order.push(`failure ${e.attempt}`));
    policy.onRetry((e) => order.push(`retry ${e.attempt}`));
    policy.onGiveUp((e) => order.push(`give-up ${e.attempts}`));
    policy.onSuccess((e) => order.push(`success ${e.attempt}`));
    const call = policy.execute(failTimes(5)).catch(() => {});
    await clock.runAll();
    await call;
    expect(order).toEqual(['failure 1', 'retry 1', 'failure 2', 'give-up 2']);
  });

  it('payloads are frozen', async () => {
    const { clock, policy } = setup({ maxAttempts: 2 });
    const seen: object[] = [];
    for (const event of [policy.onRetry, policy.onGiveUp, policy.onFailure, policy.onSuccess]) {
      event((e: object) => seen.push(e));
    }
    const call = policy.execute(failTimes(1)).catch(() => {});
    await clock.runAll();
    await call;
    const failing = policy.execute(failTimes(2)).catch(() => {});
    await clock.runAll();
    await failing;
    expect(seen).toHaveLength(7);
    for (const e of seen) expect(Object.isFrozen(e)).toBe(true);
  });

  it('a listener cannot change what the call settles with by mutating the outcome', async () => {
    const { policy } = setup({ maxAttempts: 1 });
    vi.stubGlobal('reportError', vi.fn());
    policy.onFailure((e) => {
      (e.outcome as { error: unknown }).error = 'hijacked';
    });
    const original = new Error('original');
    await expect(policy.execute(scripted({ error: original }))).rejects.toBe(original);
  });

  it('a listener subscribed mid-attempt never gets the raw clock reading as duration', async () => {
    const clock = new VirtualClock(1_000);
    const policy = retry({ clock, backoff: constant(0) });
    const successes: number[] = [];
    const task = (): string => {
      policy.onSuccess((e) => successes.push(e.duration));
      return 'v';
    };
    await expect(policy.execute(task)).resolves.toBe('v');
    await expect(policy.execute(task)).resolves.toBe('v');
    // A listener hears attempts that start after it subscribed (the first call's success may
    // go unheard); the attempts took no virtual time, so any number but 0 is wrong (not the
    // clock reading 1000).
    expect(successes.length).toBeGreaterThan(0);
    expect(successes.every((d) => d === 0)).toBe(true);
  });
});

describe('retry events: subscriptions', () => {
  it('the disposer stops delivery, and calling it twice does nothing more', async () => {
    const { policy } = setup({ backoff: constant(0), maxAttempts: 2 });
    const a: number[] = [];
    const b: number[] = [];
    const listener = (e: { attempt: number }): void => {
      a.push(e.attempt);
    };
    const first = policy.onRetry(listener);
    const second = policy.onRetry(listener);
    policy.onRetry((e) => b.push(e.attempt));
    await policy.execute(failTimes(1));
    expect(a).toEqual([1, 1]);
    first();
    first();
    await policy.execute(failTimes(1));
    expect(a).toEqual([1, 1, 1]);
    second();
    await policy.execute(failTimes(1));
    expect(a).toEqual([1, 1, 1]);
    expect(b).toEqual([1, 1, 1]);
  });

  it('a non-function listener is refused with a TypeError', () => {
    const { policy } = setup();
    expect(() => policy.onRetry(5 as never)).toThrow(
      new TypeError('event listener must be a function, got number'),
    );
  });

  it('a throwing listener is reported and changes no outcome', async () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const { clock, policy } = setup({ maxAttempts: 2 });
    const boom = new Error('listener bug');
    const seen: number[] = [];
    for (const event of [policy.onRetry, policy.onFailure, policy.onGiveUp, policy.onSuccess]) {
      event(() => {
        throw boom;
      });
    }
    policy.onRetry((e) => seen.push(e.attempt));
    const ok = policy.execute(failTimes(1, 'fine'));
    await clock.runAll();
    await expect(ok).resolves.toBe('fine');
    expect(seen).toEqual([1]);
    expect(report.mock.calls).toEqual([[boom], [boom], [boom]]);
    const last = new Error('e2');
    const failing = policy.execute(scripted({ error: new Error('e1') }, { error: last }));
    failing.catch(() => {});
    await clock.runAll();
    await expect(failing).rejects.toBe(last);
    expect(report).toHaveBeenCalledTimes(3 + 4);
  });
});

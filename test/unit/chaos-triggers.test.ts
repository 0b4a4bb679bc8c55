import { describe, expect, it } from 'vitest';
import {
  afterN,
  all,
  any,
  burst,
  during,
  every,
  firstN,
  flapping,
  not,
  rate,
  type Trigger,
  type TriggerContext,
} from '../../src/chaos/index.js';
import { seededRandom } from '../../src/testing/index.js';
import { thrownBy } from '../helpers/common.js';

/** A trigger context; `random` counts its draws in `draws.n`. */
function context(over: Partial<TriggerContext> = {}, draws = { n: 0 }): TriggerContext {
  const random = over.random ?? (() => 0.5);
  return {
    call: 1,
    now: 0,
    attempt: 1,
    ...over,
    random: () => {
      draws.n++;
      return random();
    },
  };
}

/** Which of calls 1..n the trigger fires on. */
function firingCalls(trigger: Trigger, n: number): number[] {
  const fired: number[] = [];
  for (let call = 1; call <= n; call++) if (trigger(context({ call }))) fired.push(call);
  return fired;
}

/** Which of the times the trigger fires at. */
function firingTimes(trigger: Trigger, times: readonly number[]): number[] {
  return times.filter((now) => trigger(context({ now })));
}

/** One test per build-time error case, titled by its message. */
function cases(rows: [() => unknown, typeof TypeError, string][]): void {
  for (const [build, kind, message] of rows) {
    it(`throws ${kind.name}: ${message}`, () => expectError(build, kind, message));
  }
}

function expectError(fn: () => unknown, kind: typeof TypeError, message: string): void {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(kind);
  expect(error.message).toBe(message);
}

describe('rate(p)', () => {
  it('fires when the drawn number is below p, drawing exactly one number per evaluation', () => {
    const draws = { n: 0 };
    expect(rate(0.3)(context({ random: () => 0.29 }, draws))).toBe(true);
    expect(rate(0.3)(context({ random: () => 0.3 }, draws))).toBe(false);
    expect(rate(0.3)(context({ random: () => 0.9 }, draws))).toBe(false);
    expect(draws.n).toBe(3);
  });

  it('p = 0 never fires and p = 1 always fires, each still drawing one number', () => {
    const draws = { n: 0 };
    expect(rate(0)(context({ random: () => 0 }, draws))).toBe(false);
    expect(rate(1)(context({ random: () => 0.9999999999 }, draws))).toBe(true);
    expect(draws.n).toBe(2);
  });

  it('with a seeded stream, fires on the same calls every time', () => {
    const run = (): number[] => {
      const random = seededRandom(5);
      const fired: number[] = [];
      for (let call = 1; call <= 50; call++)
        if (rate(0.2)(context({ call, random }))) fired.push(call);
      return fired;
    };
    const first = run();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(50);
    expect(run()).toEqual(first);
  });

  it.each([
    [2, RangeError, '2'],
    [-0.1, RangeError, '-0.1'],
    [Number.NaN, RangeError, 'NaN'],
    [Number.POSITIVE_INFINITY, RangeError, 'Infinity'],
    ['0.5', TypeError, '"0.5"'],
    [undefined, TypeError, 'undefined'],
  ])('rate(%s) → %o', (p, kind, shown) => {
    expectError(
      () => rate(p as number),
      kind,
      `rate: \`p\` must be a finite number >= 0 and <= 1, got ${shown}`,
    );
  });
});

describe('call-count triggers', () => {
  it('every(n) fires on calls n, 2n, 3n...', () => {
    expect(firingCalls(every(3), 10)).toEqual([3, 6, 9]);
    expect(firingCalls(every(1), 4)).toEqual([1, 2, 3, 4]);
  });

  it('firstN(n) fires on the first n calls only', () => {
    expect(firingCalls(firstN(2), 6)).toEqual([1, 2]);
    expect(firingCalls(firstN(0), 6)).toEqual([]);
  });

  it('afterN(n) fires on every call after the first n', () => {
    expect(firingCalls(afterN(4), 7)).toEqual([5, 6, 7]);
    expect(firingCalls(afterN(0), 3)).toEqual([1, 2, 3]);
  });

  it('burst({ every, length }) fires on the first `length` calls of each window of `every`', () => {
    expect(firingCalls(burst({ every: 5, length: 2 }), 12)).toEqual([1, 2, 6, 7, 11, 12]);
    expect(firingCalls(burst({ every: 3, length: 3 }), 4)).toEqual([1, 2, 3, 4]);
  });

  it('draw no random numbers', () => {
    const draws = { n: 0 };
    for (const t of [every(2), firstN(2), afterN(2), burst({ every: 2, length: 1 })]) {
      t(context({ call: 3 }, draws));
    }
    expect(draws.n).toBe(0);
  });

  cases([
    [() => every(0), RangeError, 'every: `n` must be an integer >= 1, got 0'],
    [() => every(1.5), RangeError, 'every: `n` must be an integer >= 1, got 1.5'],
    [() => every('2' as never), TypeError, 'every: `n` must be an integer >= 1, got "2"'],
    [() => firstN(-1), RangeError, 'firstN: `n` must be an integer >= 0, got -1'],
    [
      () => firstN(Number.POSITIVE_INFINITY),
      RangeError,
      'firstN: `n` must be an integer >= 0, got Infinity',
    ],
    [
      () => afterN(undefined as never),
      TypeError,
      'afterN: `n` must be an integer >= 0, got undefined',
    ],
    [
      () => burst({ every: 0, length: 1 }),
      RangeError,
      'burst: `every` must be an integer >= 1, got 0',
    ],
    [
      () => burst({ every: 5, length: 6 }),
      RangeError,
      'burst: `length` must be an integer >= 1 and <= 5, got 6',
    ],
    [
      () => burst({ every: 5, length: 0 }),
      RangeError,
      'burst: `length` must be an integer >= 1 and <= 5, got 0',
    ],
    [
      () => burst({ every: 5 } as never),
      TypeError,
      'burst: `length` must be an integer >= 1 and <= 5, got undefined',
    ],
    [
      () => burst({ every: 5, length: 1, size: 2 } as never),
      TypeError,
      'burst: unknown option `size`; allowed: `every`, `length`',
    ],
    [
      () => burst(undefined as never),
      TypeError,
      'burst: `every` must be an integer >= 1, got undefined',
    ],
  ]);
});

describe('time triggers', () => {
  it('during({ from, to }) fires while from <= now < to', () => {
    const t = during({ from: 100, to: 200 });
    expect(firingTimes(t, [0, 99.9, 100, 150, 199.9, 200, 300])).toEqual([100, 150, 199.9]);
  });

  it('during accepts to: Infinity (broken from `from` on) and negative times', () => {
    expect(firingTimes(during({ from: 50, to: Number.POSITIVE_INFINITY }), [49, 50, 1e12])).toEqual(
      [50, 1e12],
    );
    expect(firingTimes(during({ from: -10, to: 0 }), [-11, -10, -1, 0])).toEqual([-10, -1]);
  });

  it('flapping({ up, down }) is healthy for `up` ms, then broken for `down` ms, repeating', () => {
    const t = flapping({ up: 100, down: 30 });
    expect(firingTimes(t, [0, 99, 100, 129, 130, 229, 230, 259, 260])).toEqual([
      100, 129, 230, 259,
    ]);
  });

  it('flapping counts from `start`; before it the service is healthy', () => {
    const t = flapping({ up: 10, down: 5, start: 1_000 });
    expect(firingTimes(t, [0, 12, 999, 1_000, 1_009, 1_010, 1_014, 1_015, 1_025])).toEqual([
      1_010, 1_014, 1_025,
    ]);
  });

  it('draw no random numbers', () => {
    const draws = { n: 0 };
    during({ from: 0, to: 10 })(context({ now: 5 }, draws));
    flapping({ up: 1, down: 1 })(context({ now: 5 }, draws));
    expect(draws.n).toBe(0);
  });

  cases([
    [
      () => during({ from: 10, to: 10 }),
      RangeError,
      'during: `to` must be a finite number > 10 or Infinity, got 10',
    ],
    [
      () => during({ from: 10, to: 5 }),
      RangeError,
      'during: `to` must be a finite number > 10 or Infinity, got 5',
    ],
    [
      () => during({ from: Number.NEGATIVE_INFINITY, to: 5 }),
      RangeError,
      'during: `from` must be a finite number, got -Infinity',
    ],
    [
      () => during({ to: 5 } as never),
      TypeError,
      'during: `from` must be a finite number, got undefined',
    ],
    [
      () => during({ from: 0, until: 5 } as never),
      TypeError,
      'during: unknown option `until`; allowed: `from`, `to`',
    ],
    [() => during(5 as never), TypeError, 'during: options must be an object, got 5'],
    [
      () => flapping({ up: 0, down: 5 }),
      RangeError,
      'flapping: `up` must be a finite number > 0, got 0',
    ],
    [
      () => flapping({ up: 5, down: Number.NaN }),
      RangeError,
      'flapping: `down` must be a finite number > 0, got NaN',
    ],
    [
      () => flapping({ up: 5, down: 5, start: null } as never),
      TypeError,
      'flapping: `start` must be a finite number, got null',
    ],
    [
      () => flapping({ up: 5 } as never),
      TypeError,
      'flapping: `down` must be a finite number > 0, got undefined',
    ],
  ]);
});

describe('combinators', () => {
  const yes: Trigger = () => true;
  const no: Trigger = () => false;

  it('all fires when every trigger fires; any when one does; not inverts', () => {
    expect(all(yes, yes)(context())).toBe(true);
    expect(all(yes, no)(context())).toBe(false);
    expect(any(no, yes)(context())).toBe(true);
    expect(any(no, no)(context())).toBe(false);
    expect(not(yes)(context())).toBe(false);
    expect(not(no)(context())).toBe(true);
  });

  it('all() with no trigger always fires, any() never does', () => {
    expect(all()(context())).toBe(true);
    expect(any()(context())).toBe(false);
  });

  it('short-circuit: triggers not needed for the answer are not evaluated (no draw)', () => {
    const draws = { n: 0 };
    expect(all(no, rate(1))(context({}, draws))).toBe(false);
    expect(any(yes, rate(1))(context({}, draws))).toBe(true);
    expect(draws.n).toBe(0);
    expect(all(yes, rate(1), rate(1))(context({}, draws))).toBe(true);
    expect(draws.n).toBe(2);
  });

  it('combine with the other triggers: every 2nd call inside a window', () => {
    const t = all(every(2), during({ from: 10, to: 20 }));
    expect(t(context({ call: 2, now: 15 }))).toBe(true);
    expect(t(context({ call: 3, now: 15 }))).toBe(false);
    expect(t(context({ call: 2, now: 20 }))).toBe(false);
  });

  it.each([
    [() => all(yes, 3 as never), 'all: `triggers[1]` must be a function, got 3'],
    [() => any(0.5 as never), 'any: `triggers[0]` must be a function, got 0.5'],
    [() => not(undefined as never), 'not: `trigger` must be a function, got undefined'],
  ])('%s → TypeError', (build, message) => {
    expectError(build, TypeError, message);
  });
});

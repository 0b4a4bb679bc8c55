/**
 * Options of circuitBreaker: every bad value fails at build time with the exact message. The
 * breakers' own options: circuit-breaker-breaker-options.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  type CircuitBreakerOptions,
  circuitBreaker,
  consecutive,
  countWindow,
  timeWindow,
} from '../../src/index.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';

const MAX = 2_147_483_647;
const ALLOWED =
  'allowed: `breaker`, `halfOpenAfter`, `halfOpenProbes`, `slowCall`, `when`, `whenResult`, `mode`, `restore`, `clock`, `random`, `wallClock`';
const window = countWindow({ size: 10 });

const build = (options: unknown) => () => circuitBreaker(options as CircuitBreakerOptions);

describe('circuitBreaker options', () => {
  it('accepts no options, an empty object, every option at once and boundary values', () => {
    expect(build(undefined)).not.toThrow();
    expect(build({})).not.toThrow();
    const all: CircuitBreakerOptions = {
      breaker: timeWindow({ duration: 1, buckets: 1_000, failureRatio: 1, minThroughput: 1 }),
      halfOpenAfter: MAX,
      halfOpenProbes: 1,
      slowCall: { threshold: MAX, ratio: 1 },
      when: [TypeError, RangeError],
      whenResult: () => false,
      mode: 'metrics-only',
      clock: new VirtualClock(),
      random: seededRandom(1),
      wallClock: () => 0,
    };
    expect(build(Object.freeze(all))).not.toThrow();
    expect(build({ halfOpenAfter: 0, halfOpenProbes: 1_000 })).not.toThrow();
    expect(build({ halfOpenAfter: () => undefined })).not.toThrow();
    expect(
      build({ breaker: countWindow({ size: 1, minThroughput: 1, failureRatio: 1 }) }),
    ).not.toThrow();
  });

  it.each([
    [null, 'null'],
    ['fast', '"fast"'],
    [3, '3'],
    [[], 'an array of length 0'],
  ])('options %j → TypeError', (options, shown) => {
    expect(build(options)).toThrow(
      new TypeError(`circuitBreaker: options must be an object, got ${shown}`),
    );
  });

  it('an unknown key → TypeError listing the allowed keys', () => {
    expect(build({ threshold: 5 })).toThrow(
      new TypeError(`circuitBreaker: unknown option \`threshold\`; ${ALLOWED}`),
    );
  });

  it.each([
    [5, '5'],
    [null, 'null'],
    [{}, 'an object'],
    ['consecutive', '"consecutive"'],
    [consecutive, 'function consecutive'],
    [{ kind: 'consecutive', description: 'x', ratios: false, create: () => ({}) }, 'an object'],
  ])('breaker %s → TypeError', (breaker, shown) => {
    expect(build({ breaker })).toThrow(
      new TypeError(
        `circuitBreaker: \`breaker\` must be consecutive(n), countWindow({...}) or timeWindow({...}), got ${shown}`,
      ),
    );
  });

  type Row = readonly [unknown, typeof TypeError | typeof RangeError, string];
  const common: Row[] = [
    [Number.NaN, RangeError, 'NaN'],
    [Number.POSITIVE_INFINITY, RangeError, 'Infinity'],
    ['5', TypeError, '"5"'],
    [null, TypeError, 'null'],
  ];
  const numbers: [string, string, Row[]][] = [
    [
      'halfOpenAfter',
      `a finite number >= 0 and <= ${MAX}`,
      [[-1, RangeError, '-1'], [MAX + 1, RangeError, '2147483648'], ...common],
    ],
    [
      'halfOpenProbes',
      'an integer >= 1',
      [[0, RangeError, '0'], [1.5, RangeError, '1.5'], ...common],
    ],
  ];
  for (const [option, allowed, rows] of numbers) {
    it.each(rows)(`${option} %s → %o`, (value, kind, shown) => {
      expect(build({ [option]: value })).toThrow(
        new kind(`circuitBreaker: \`${option}\` must be ${allowed}, got ${shown}`),
      );
      expect(build({ [option]: value })).toThrow(kind);
    });
  }

  it.each([
    [5, new TypeError('circuitBreaker: slowCall: options must be an object, got 5')],
    [null, new TypeError('circuitBreaker: slowCall: options must be an object, got null')],
    [
      { threshold: 1, ratio: 1, limit: 2 },
      new TypeError(
        'circuitBreaker: slowCall: unknown option `limit`; allowed: `threshold`, `ratio`',
      ),
    ],
    [
      { ratio: 1 },
      new TypeError(
        `circuitBreaker: \`slowCall.threshold\` must be a finite number > 0 and <= ${MAX}, got undefined`,
      ),
    ],
    [
      { threshold: 0, ratio: 1 },
      new RangeError(
        `circuitBreaker: \`slowCall.threshold\` must be a finite number > 0 and <= ${MAX}, got 0`,
      ),
    ],
    [
      { threshold: 1, ratio: 0 },
      new RangeError(
        'circuitBreaker: `slowCall.ratio` must be a finite number > 0 and <= 1, got 0',
      ),
    ],
    [
      { threshold: 1, ratio: 1.5 },
      new RangeError(
        'circuitBreaker: `slowCall.ratio` must be a finite number > 0 and <= 1, got 1.5',
      ),
    ],
    [
      { threshold: 1 },
      new TypeError(
        'circuitBreaker: `slowCall.ratio` must be a finite number > 0 and <= 1, got undefined',
      ),
    ],
  ])('slowCall %j → %s', (slowCall, error) => {
    expect(build({ breaker: window, slowCall })).toThrow(error);
    expect(build({ breaker: window, slowCall })).toThrow(error.constructor as typeof Error);
  });

  it('slowCall with the default breaker (consecutive(5)) → TypeError', () => {
    expect(build({ slowCall: { threshold: 1, ratio: 1 } })).toThrow(
      new TypeError(
        'circuitBreaker: `slowCall` needs a window breaker (countWindow or timeWindow); consecutive(5) has no window to take a ratio of',
      ),
    );
  });

  it.each([
    [5, '5'],
    [[], 'an array of length 0'],
    [[5], 'an array of length 1'],
    ['Error', '"Error"'],
  ])('when %j → TypeError', (when, shown) => {
    expect(build({ when })).toThrow(
      new TypeError(
        `circuitBreaker: \`when\` must be a predicate function, an Error class or a non-empty array of Error classes, got ${shown}`,
      ),
    );
  });

  it.each(['whenResult', 'random', 'wallClock'])('%s must be a function (TypeError)', (name) => {
    expect(build({ [name]: 5 })).toThrow(
      new TypeError(`circuitBreaker: \`${name}\` must be a function, got 5`),
    );
    expect(build({ [name]: null })).toThrow(
      new TypeError(`circuitBreaker: \`${name}\` must be a function, got null`),
    );
  });

  const modes = "one of 'normal', 'disabled', 'metrics-only', 'forced-open'";
  it.each([
    ['off', RangeError, '"off"'],
    ['Normal', RangeError, '"Normal"'],
    [1, TypeError, '1'],
    [null, TypeError, 'null'],
  ] as const)('mode %j → %o', (mode, kind, shown) => {
    expect(build({ mode })).toThrow(
      new kind(`circuitBreaker: \`mode\` must be ${modes}, got ${shown}`),
    );
    expect(build({ mode })).toThrow(kind);
  });

  it.each<[unknown, string]>([
    [{}, 'an object'],
    [{ now: () => 0 }, 'an object'],
    [Date, 'function Date'],
    [null, 'null'],
  ])('clock %s → TypeError', (clock, shown) => {
    expect(build({ clock })).toThrow(
      new TypeError(
        `circuitBreaker: \`clock\` must be a Clock (an object with now() and setTimer()), got ${shown}`,
      ),
    );
  });
});

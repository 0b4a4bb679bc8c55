import { describe, expect, it } from 'vitest';
import { type Backoff, constant, delays, exponential, linear } from '../../src/index.js';
import { seededRandom } from '../../src/testing/index.js';
import { fixedRandom, input } from '../helpers/retry-helpers.js';

const MAX = 2_147_483_647;
const LOW = fixedRandom(0);
const HIGH = fixedRandom(0.999999);

/** Steps a backoff by hand for attempts 1..n, feeding each delay back as `previous`. */
function step(backoff: Backoff, n: number, random: () => number = LOW): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  let previous: number | undefined;
  for (let attempt = 1; attempt <= n; attempt++) {
    const d = backoff({ attempt, previous, random });
    out.push(d);
    previous = d;
  }
  return out;
}

describe('constant', () => {
  it('returns the same delay for every attempt, ignoring random', () => {
    expect(step(constant(250), 5, HIGH)).toEqual([250, 250, 250, 250, 250]);
    expect(step(constant(0), 3)).toEqual([0, 0, 0]);
    expect(constant(MAX)(input(1000))).toBe(MAX);
  });
});

describe('linear', () => {
  it('grows by step from initial, capped at max', () => {
    expect(step(linear({ initial: 200, step: 100, max: 500 }), 6)).toEqual([
      200, 300, 400, 500, 500, 500,
    ]);
  });

  it('step defaults to initial; defaults are 100 and max 30 000', () => {
    expect(step(linear({ initial: 50 }), 3)).toEqual([50, 100, 150]);
    expect(step(linear(), 3)).toEqual([100, 200, 300]);
    expect(linear()(input(10_000))).toBe(30_000);
  });

  it('max defaults to initial when initial is above 30 000', () => {
    expect(step(linear({ initial: 40_000, step: 5 }), 3)).toEqual([40_000, 40_000, 40_000]);
    expect(step(exponential({ initial: 40_000, jitter: 'none' }), 2)).toEqual([40_000, 40_000]);
  });

  it('initial 0 with step 0 stays 0; initial 0 with a step grows from 0', () => {
    expect(step(linear({ initial: 0, step: 0 }), 3)).toEqual([0, 0, 0]);
    expect(step(linear({ initial: 0, step: 10 }), 3)).toEqual([0, 10, 20]);
  });
});

describe('exponential', () => {
  it("jitter 'none' gives exact values initial·factor^(attempt-1), capped", () => {
    const backoff = exponential({ initial: 100, factor: 2, max: 1_000, jitter: 'none' });
    expect(step(backoff, 6)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(step(exponential({ initial: 10, factor: 3, jitter: 'none' }), 4)).toEqual([
      10, 30, 90, 270,
    ]);
    expect(step(exponential({ initial: 7, factor: 1, jitter: 'none' }), 3)).toEqual([7, 7, 7]);
  });

  it('defaults: initial 100, factor 2, max 30 000, full jitter', () => {
    const half = fixedRandom(0.5);
    expect(step(exponential(), 4, half)).toEqual([50, 100, 200, 400]);
    expect(exponential()(input(100, half))).toBe(15_000);
  });

  it.each(['none', 'full', 'equal', 'decorrelated'] as const)(
    "jitter '%s' never returns NaN or exceeds max, even at attempt 5000 or initial 0",
    (jitter) => {
      for (const [initial, max] of [
        [0, 0],
        [0, 1_000],
        [100, 30_000],
        [1, MAX],
      ] as const) {
        if (jitter === 'decorrelated' && initial === 0) continue; // refused at build time
        const backoff = exponential({ initial, factor: 10, max, jitter });
        for (const attempt of [1, 2, 50, 400, 1_100, 5_000]) {
          for (const random of [LOW, HIGH, seededRandom(attempt)]) {
            const d = backoff({ attempt, previous: max, random });
            expect(Number.isNaN(d)).toBe(false);
            expect(d).toBeGreaterThanOrEqual(0);
            expect(d).toBeLessThanOrEqual(max);
          }
        }
      }
    },
  );

  it("caps at max: jitter 'none' at attempt 5000 is exactly max; initial 0 stays 0", () => {
    expect(exponential({ initial: 100, max: 2_000, jitter: 'none' })(input(5_000))).toBe(2_000);
    expect(exponential({ initial: 0, jitter: 'none' })(input(5_000))).toBe(0);
    expect(exponential({ initial: 0, factor: 1e300, jitter: 'none' })(input(3))).toBe(0);
  });

  it("jitter 'full' lies in [0, base): edges at random 0 and 0.999999", () => {
    const backoff = exponential({ initial: 100, max: 10_000, jitter: 'full' });
    expect(step(backoff, 4, LOW)).toEqual([0, 0, 0, 0]);
    const high = step(backoff, 4, HIGH);
    [100, 200, 400, 800].forEach((base, i) => {
      expect(high[i]).toBeLessThan(base);
      expect(high[i]).toBeCloseTo(base * 0.999999, 6);
    });
  });

  it("jitter 'equal' lies in [base/2, base): edges at random 0 and 0.999999", () => {
    const backoff = exponential({ initial: 100, max: 10_000, jitter: 'equal' });
    expect(step(backoff, 4, LOW)).toEqual([50, 100, 200, 400]);
    const high = step(backoff, 4, HIGH);
    [100, 200, 400, 800].forEach((base, i) => {
      expect(high[i]).toBeLessThan(base);
      expect(high[i]).toBeGreaterThan(base * 0.99);
    });
  });

  it("jitter 'decorrelated' lies in [initial, 3·previous), previous defaulting to initial", () => {
    const backoff = exponential({ initial: 100, max: 10_000, jitter: 'decorrelated' });
    expect(backoff(input(1, LOW))).toBe(100);
    const first = backoff(input(1, HIGH))!;
    expect(first).toBeLessThan(300);
    expect(first).toBeGreaterThan(299.99);
    expect(backoff(input(2, HIGH, 1_000))!).toBeLessThan(3_000);
    expect(backoff(input(2, LOW, 1_000))).toBe(100);
    // A previous below initial (e.g. a retryAfter override of 0) still yields >= initial.
    expect(backoff(input(2, HIGH, 0))).toBe(100);
  });

  it("jitter 'decorrelated' refuses initial 0 at build time (its delays would all be 0)", () => {
    expect(() => exponential({ initial: 0, jitter: 'decorrelated' })).toThrow(
      new RangeError("exponential: `initial` must be > 0 with jitter 'decorrelated', got 0"),
    );
  });

  it("jitter 'decorrelated' is capped at max", () => {
    const backoff = exponential({ initial: 100, max: 1_000, jitter: 'decorrelated' });
    expect(backoff(input(9, HIGH, 1_000))).toBe(1_000);
    expect(step(backoff, 20, HIGH).every((d) => d! >= 100 && d! <= 1_000)).toBe(true);
  });

  it.each(['full', 'equal', 'decorrelated'] as const)(
    "jitter '%s' stays within its bounds for 500 seeded draws",
    (jitter) => {
      const initial = 100;
      const max = 5_000;
      const backoff = exponential({ initial, max, jitter });
      const random = seededRandom(`bounds-${jitter}`);
      let previous: number | undefined;
      for (let attempt = 1; attempt <= 500; attempt++) {
        const d = backoff({ attempt, previous, random })!;
        const base = Math.min(max, initial * 2 ** (attempt - 1));
        if (jitter === 'full') expect(d >= 0 && d < base).toBe(true);
        if (jitter === 'equal') expect(d >= base / 2 && d < base).toBe(true);
        if (jitter === 'decorrelated') {
          const upper = Math.max(initial, 3 * (previous ?? initial));
          expect(d >= initial && d <= Math.min(max, upper)).toBe(true);
        }
        previous = d;
      }
    },
  );

  it('same seed, same delays', () => {
    const backoff = exponential({ jitter: 'decorrelated' });
    expect(step(backoff, 10, seededRandom(99))).toEqual(step(backoff, 10, seededRandom(99)));
  });
});

describe('delays', () => {
  it('returns list[attempt-1], then undefined (stop) after the list', () => {
    expect(step(delays([100, 0, 2_000]), 5)).toEqual([100, 0, 2_000, undefined, undefined]);
    expect(delays([])(input(1))).toBeUndefined();
  });

  it('copies the list: later changes to the caller array have no effect', () => {
    const list = [10, 20];
    const backoff = delays(list);
    list[0] = 999;
    list.push(30);
    expect(step(backoff, 3)).toEqual([10, 20, undefined]);
  });
});

describe('backoff options: validation', () => {
  const DELAY = `a finite number >= 0 and <= ${MAX}`;
  const make = (fn: (arg: never) => Backoff, arg: unknown) => () => fn(arg as never);

  it.each([
    ['"5"', '5', TypeError],
    ['undefined', undefined, TypeError],
    ['-1', -1, RangeError],
    ['NaN', Number.NaN, RangeError],
    ['Infinity', Number.POSITIVE_INFINITY, RangeError],
    [String(MAX + 1), MAX + 1, RangeError],
  ])('constant(%s) → exact error', (shown, ms, kind) => {
    expect(make(constant, ms)).toThrow(new kind(`constant: \`ms\` must be ${DELAY}, got ${shown}`));
  });

  it.each([
    [{ initial: '1' }, TypeError, `linear: \`initial\` must be ${DELAY}, got "1"`],
    [{ initial: -1 }, RangeError, `linear: \`initial\` must be ${DELAY}, got -1`],
    [{ step: Number.NaN }, RangeError, `linear: \`step\` must be ${DELAY}, got NaN`],
    [{ step: null }, TypeError, `linear: \`step\` must be ${DELAY}, got null`],
    [
      { max: MAX + 1 },
      RangeError,
      `linear: \`max\` must be a finite number >= 100 and <= ${MAX}, got ${MAX + 1}`,
    ],
    [
      { initial: 500, max: 100 },
      RangeError,
      `linear: \`max\` must be a finite number >= 500 and <= ${MAX}, got 100`,
    ],
    [{ steps: 1 }, TypeError, 'linear: unknown option `steps`; allowed: `initial`, `step`, `max`'],
    [[], TypeError, 'linear: options must be an object, got an array of length 0'],
    [null, TypeError, 'linear: options must be an object, got null'],
  ])('linear(%o) → exact error', (options, kind, message) => {
    expect(make(linear, options)).toThrow(new kind(message));
  });

  it.each([
    [{ initial: true }, TypeError, `exponential: \`initial\` must be ${DELAY}, got true`],
    [{ initial: -5 }, RangeError, `exponential: \`initial\` must be ${DELAY}, got -5`],
    [{ factor: 0.5 }, RangeError, 'exponential: `factor` must be a finite number >= 1, got 0.5'],
    [
      { factor: Number.POSITIVE_INFINITY },
      RangeError,
      'exponential: `factor` must be a finite number >= 1, got Infinity',
    ],
    [{ factor: '2' }, TypeError, 'exponential: `factor` must be a finite number >= 1, got "2"'],
    [
      { max: 50 },
      RangeError,
      `exponential: \`max\` must be a finite number >= 100 and <= ${MAX}, got 50`,
    ],
    [
      { initial: 0, max: MAX + 1 },
      RangeError,
      `exponential: \`max\` must be a finite number >= 0 and <= ${MAX}, got ${MAX + 1}`,
    ],
    [
      { jitter: 'half' },
      RangeError,
      `exponential: \`jitter\` must be one of 'none', 'full', 'equal', 'decorrelated', got "half"`,
    ],
    [
      { jitter: 1 },
      TypeError,
      `exponential: \`jitter\` must be one of 'none', 'full', 'equal', 'decorrelated', got 1`,
    ],
    [
      { base: 1 },
      TypeError,
      'exponential: unknown option `base`; allowed: `initial`, `factor`, `max`, `jitter`',
    ],
    ['fast', TypeError, 'exponential: options must be an object, got "fast"'],
  ])('exponential(%o) → exact error', (options, kind, message) => {
    expect(make(exponential, options)).toThrow(new kind(message));
  });

  it.each([
    [100, TypeError, 'delays: `list` must be an array of delays in ms, got 100'],
    [undefined, TypeError, 'delays: `list` must be an array of delays in ms, got undefined'],
    [
      { length: 1, 0: 5 },
      TypeError,
      'delays: `list` must be an array of delays in ms, got an object',
    ],
    [[1, -1], RangeError, `delays: \`list[1]\` must be ${DELAY}, got -1`],
    [[Number.NaN], RangeError, `delays: \`list[0]\` must be ${DELAY}, got NaN`],
    [[0, 1, '2'], TypeError, `delays: \`list[2]\` must be ${DELAY}, got "2"`],
    [[MAX + 1], RangeError, `delays: \`list[0]\` must be ${DELAY}, got ${MAX + 1}`],
  ])('delays(%o) → exact error', (list, kind, message) => {
    expect(make(delays, list)).toThrow(new kind(message));
  });

  it('accepts the edges: 0, 2^31-1, max equal to initial, factor 1', () => {
    expect(() => constant(0)).not.toThrow();
    expect(() => delays([0, MAX])).not.toThrow();
    expect(() => linear({ initial: MAX, step: MAX, max: MAX })).not.toThrow();
    expect(() => exponential({ initial: 300, max: 300, factor: 1, jitter: 'none' })).not.toThrow();
    expect(() => exponential({})).not.toThrow();
  });
});

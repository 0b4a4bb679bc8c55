import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/testing/index.js';
import { thrownBy } from '../helpers/common.js';

const take = (random: () => number, n: number): number[] => Array.from({ length: n }, random);

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, independently per generator', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = take(a, 100);
    expect(take(b, 100)).toEqual(first);
    // a third generator is not disturbed by the other two having advanced
    expect(take(seededRandom(42), 100)).toEqual(first);
    expect(take(a, 10)).toEqual(take(b, 10));
  });

  it('gives different sequences for different seeds', () => {
    const seeds = [0, 1, 2, -1, 0.5, 2 ** 40, 'a', 'b', 'ab', 'ba', ''];
    const firsts = seeds.map((seed) => take(seededRandom(seed), 4).join(','));
    expect(new Set(firsts).size).toBe(seeds.length);
  });

  it('accepts string seeds, deterministically', () => {
    expect(take(seededRandom('checkout-flow'), 20)).toEqual(
      take(seededRandom('checkout-flow'), 20),
    );
    expect(take(seededRandom('checkout-flow'), 20)).not.toEqual(
      take(seededRandom('checkout-flox'), 20),
    );
  });

  it('returns numbers in [0, 1)', () => {
    for (const seed of [0, 7, 'x', -123.25]) {
      const values = take(seededRandom(seed), 2_000);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...values)).toBeLessThan(1);
    }
  });

  it('is roughly uniform: mean near 0.5 and each tenth near 10%', () => {
    const values = take(seededRandom(2024), 10_000);
    const mean = values.reduce((sum, n) => sum + n, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    const buckets = new Array<number>(10).fill(0);
    for (const n of values) buckets[Math.floor(n * 10)]!++;
    for (const count of buckets) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1_150);
    }
    expect(new Set(values).size).toBeGreaterThan(9_990);
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [undefined, 'undefined'],
    [null, 'null'],
    [{}, 'an object'],
    [10n, '10n'],
  ])('rejects the seed %o', (seed, text) => {
    const error = thrownBy(() => seededRandom(seed as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      `seededRandom: \`seed\` must be a finite number or a string, got ${text}`,
    );
  });
});

describe('seededRandom: a fixed sequence per seed, kept across versions', () => {
  // Recorded seeds (a failing property's, a chaos run's) must replay after an upgrade, so the
  // generator's output is pinned. These values were computed by an independent Python
  // implementation of cyrb128 + sfc32 (15 values discarded, as seededRandom does) and agree
  // with seededRandom to the last digit.
  it.each([
    [
      42,
      [
        0.7301114222500473, 0.6957274184096605, 0.9585423697717488, 0.18047512066550553,
        0.008076671743765473,
      ],
    ],
    [
      'abc',
      [
        0.6666064735036343, 0.15421821223571897, 0.5166439211461693, 0.12584441853687167,
        0.12312145764008164,
      ],
    ],
  ] as const)('seed %j gives the reference sfc32 sequence', (seed, expected) => {
    const random = seededRandom(seed);
    expect(Array.from({ length: expected.length }, () => random())).toEqual(expected);
  });
});

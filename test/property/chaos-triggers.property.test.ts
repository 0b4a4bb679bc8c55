import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { during, every, type InjectEvent, injectFault, rate } from '../../src/chaos/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { fcParams } from './arbitraries.js';

/** Sends `n` calls into the injector at once (decisions are made in call order) and waits. */
async function calls(policy: { execute(task: () => number): Promise<unknown> }, n: number) {
  await Promise.allSettled(Array.from({ length: n }, () => policy.execute(() => 1)));
}

describe('rate(p)', () => {
  /*
   * Each run is one sample: a correct rate(p) lands outside 4σ with probability about 1e-4,
   * which would make a property over random seeds fail now and then. So the domain is finite
   * (seeds 0-255 × the p values × n of 1,000 or 2,500: 4,608 cases) and every case was checked
   * once by hand: the worst lies 3.87σ from p·n. The test is deterministic, and a biased or
   * mis-seeded rate fails it.
   */
  const FAULT = new Error('injected');
  const pArb = fc.constantFrom(0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1);
  test.prop([fc.integer({ min: 0, max: 255 }), pArb, fc.constantFrom(1_000, 2_500)], fcParams)(
    'over n calls, rate(p) injects within 4σ of p·n (exactly 0 or n at p = 0 or 1)',
    async (seed, p, n) => {
      const clock = new VirtualClock();
      // One error object for all: no stack to capture per injected call.
      const fault = injectFault({ name: 'rate', when: rate(p), seed, clock, error: FAULT });
      await calls(fault, n);
      const sigma = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(fault.stats.injected - p * n)).toBeLessThanOrEqual(4 * sigma);
      expect(fault.stats.calls).toBe(n);
    },
  );
});

describe('every(n)', () => {
  test.prop([fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 200 })], fcParams)(
    'over c calls, every(n) injects exactly ⌊c/n⌋ times, on the calls divisible by n',
    async (n, c) => {
      const fault = injectFault({ when: every(n), clock: new VirtualClock() });
      const injected: number[] = [];
      fault.onInject(({ call }) => injected.push(call));
      await calls(fault, c);
      expect(fault.stats).toEqual({ calls: c, injected: Math.floor(c / n) });
      expect(injected).toEqual(Array.from({ length: Math.floor(c / n) }, (_, i) => (i + 1) * n));
    },
  );
});

describe('during({ from, to })', () => {
  test.prop(
    [
      fc.integer({ min: -50, max: 200 }),
      fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }), // undefined: to = Infinity
      fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), // time between calls
      fc.integer({ min: -100, max: 100 }), // the clock's start
    ],
    fcParams,
  )(
    'during injects into exactly the calls made while from <= now < to',
    async (from, length, steps, start) => {
      const to = length === undefined ? Number.POSITIVE_INFINITY : from + length;
      const clock = new VirtualClock(start);
      const fault = injectFault({ when: during({ from, to }), clock });
      const events: InjectEvent[] = [];
      fault.onInject((event) => events.push(event));
      const expected: number[] = [];
      for (const [i, step] of steps.entries()) {
        await clock.advance(step);
        const now = clock.now();
        if (from <= now && now < to) expected.push(i + 1);
        await fault.execute(() => 1).catch(() => {});
      }
      expect(events.map((e) => e.call)).toEqual(expected);
      for (const e of events) {
        expect(e.now).toBeGreaterThanOrEqual(from);
        expect(e.now).toBeLessThan(to);
      }
    },
  );
});

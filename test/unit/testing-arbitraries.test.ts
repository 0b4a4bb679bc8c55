/**
 * `arbitraries` and fault plans of `breakwater/testing`: bad constraints and plans fail at
 * once with messages naming them; generated values print as the code that builds them; only
 * the arbitraries load fast-check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  arbitraries,
  type FaultPlan,
  faultPlanBehavior,
  faultPlanTask,
  VirtualClock,
} from '../../src/testing/index.js';

const clock = new VirtualClock();

describe('bad constraints throw when the arbitrary is made, naming the constraint', () => {
  it.each([
    [
      'arbitraries.retryOptions: `maxAttempts.min` must be <= `maxAttempts.max` (2), got 3',
      RangeError,
      () => arbitraries.retryOptions({ maxAttempts: { min: 3, max: 2 } }),
    ],
    [
      'arbitraries.retryOptions: `maxAttempts.max` must be an integer >= 1 and <= 1000, got 0',
      RangeError,
      () => arbitraries.retryOptions({ maxAttempts: { max: 0 } }),
    ],
    [
      'arbitraries.retryOptions: unknown constraint `maxAttempt`; allowed: `maxAttempts`, `backoff`, `clock`, `random`',
      TypeError,
      () => arbitraries.retryOptions({ maxAttempt: 3 } as never),
    ],
    [
      'arbitraries.retryOptions: unknown constraint `maxAttempts.mx`; allowed: `min`, `max`',
      TypeError,
      () => arbitraries.retryOptions({ maxAttempts: { mx: 3 } } as never),
    ],
    [
      'arbitraries.retryOptions: `backoff.maxDelay` must be an integer >= 0 and <= 2147483647, got -1',
      RangeError,
      () => arbitraries.retryOptions({ backoff: { maxDelay: -1 } }),
    ],
    [
      'arbitraries.retryOptions: `clock` must be a Clock (an object with now() and setTimer()), got an object',
      TypeError,
      () => arbitraries.retryOptions({ clock: {} as never }),
    ],
    [
      'arbitraries.retryOptions: constraints must be an object, got 5',
      TypeError,
      () => arbitraries.retryOptions(5 as never),
    ],
    [
      "arbitraries.backoff: `kinds` must be a non-empty array of 'constant', 'linear', 'exponential', 'delays', got an array of length 0",
      TypeError,
      () => arbitraries.backoff({ kinds: [] }),
    ],
    [
      'arbitraries.timeoutOptions: `after.min` must be an integer >= 1 and <= 2147483647, got 0',
      RangeError,
      () => arbitraries.timeoutOptions({ after: { min: 0 } }),
    ],
    [
      'arbitraries.fallbackOptions: `value` is required: the answer the fallback gives',
      TypeError,
      () => arbitraries.fallbackOptions({} as never),
    ],
    [
      "arbitraries.fallbackOptions: `forms` must include 'function' or 'async' when `value` is a function",
      TypeError,
      () => arbitraries.fallbackOptions({ value: () => 1, forms: ['value'] }),
    ],
    [
      'arbitraries.breakerOptions: `breaker.size.min` must be an integer >= 1 and <= 1073741824, got 0',
      RangeError,
      () => arbitraries.breakerOptions({ breaker: { size: { min: 0 } } }),
    ],
    [
      'arbitraries.breakerOptions: `slowCall` must be a boolean, got "yes"',
      TypeError,
      () => arbitraries.breakerOptions({ slowCall: 'yes' as never }),
    ],
    [
      'arbitraries.bulkheadOptions: `queue.max` must be an integer >= 0 and <= 1000000, got 1.5',
      RangeError,
      () => arbitraries.bulkheadOptions({ queue: { max: 1.5 } }),
    ],
    [
      "arbitraries.pipeline: `kinds` includes 'fallback', so `fallback` must give its answer: { value }",
      TypeError,
      () => arbitraries.pipeline({ kinds: ['fallback'] }),
    ],
    [
      'arbitraries.pipeline: `retry` must be an object, got 5',
      TypeError,
      () => arbitraries.pipeline({ retry: 5 as never }),
    ],
    [
      'arbitraries.pipeline: `maxLength` must be an integer >= 3 and <= 100, got 2',
      RangeError,
      () => arbitraries.pipeline({ minLength: 3, maxLength: 2 }),
    ],
    [
      "arbitraries.faultPlan: `kinds` must be a non-empty array of 'ok', 'error', 'throw', 'hang', got an array of length 1",
      TypeError,
      () => arbitraries.faultPlan({ kinds: ['boom'] as never }),
    ],
    [
      'arbitraries.faultStep: `latency.min` must be an integer >= 0 and <= 2147483647, got -1',
      RangeError,
      () => arbitraries.faultStep({ latency: { min: -1 } }),
    ],
  ] as const)('%s', (message, kind, make) => {
    expect(make).toThrow(new kind(message));
    expect(make).toThrow(kind);
  });

  it('a range with one end given moves the default of the other so that min <= max', () => {
    const [big] = fc.sample(arbitraries.timeoutOptions({ after: { min: 5_000 } }), 1);
    expect(big!.after).toBeGreaterThanOrEqual(5_000);
    const [small] = fc.sample(arbitraries.bulkheadOptions({ queue: { max: 0 } }), 1);
    expect(small!.queue).toBe(0);
  });
});

describe('fault plan players check their arguments', () => {
  it.each([
    [
      'faultPlanTask: `plan` must be an array of fault steps, got "ok"',
      TypeError,
      () => faultPlanTask('ok' as never, clock),
    ],
    [
      "faultPlanTask: `plan[0].kind` must be one of 'ok', 'error', 'throw', 'hang', got \"slow\"",
      TypeError,
      () => faultPlanTask([{ kind: 'slow' }] as never, clock),
    ],
    [
      'faultPlanTask: `plan[1].latency` must be a finite number >= 0, got -1',
      RangeError,
      () => faultPlanTask([{ kind: 'hang' }, { kind: 'ok', latency: -1 }], clock),
    ],
    [
      "faultPlanTask: `plan[0].kind` must be one of 'ok', 'error', 'throw', 'hang', got undefined",
      TypeError,
      () => faultPlanTask([null] as never, clock),
    ],
    [
      'faultPlanTask: `plan[0].latency` must be a finite number >= 0, got NaN',
      RangeError,
      () => faultPlanTask([{ kind: 'error', latency: Number.NaN }], clock),
    ],
    [
      'faultPlanTask: `plan[0].latency` must be a finite number >= 0, got Infinity',
      RangeError,
      () => faultPlanTask([{ kind: 'ok', latency: Number.POSITIVE_INFINITY }], clock),
    ],
    [
      'faultPlanTask: `plan[0].latency` must be a finite number >= 0, got "5"',
      TypeError,
      () => faultPlanTask([{ kind: 'ok', latency: '5' }] as never, clock),
    ],
    [
      'faultPlanBehavior: `plan[0].latency` must be a finite number >= 0, got undefined',
      TypeError,
      () => faultPlanBehavior([{ kind: 'error' }] as never, clock),
    ],
    [
      'faultPlanTask: `clock` is required, got undefined',
      TypeError,
      () => faultPlanTask([], undefined as never),
    ],
    [
      'faultPlanTask: unknown option `eror`; allowed: `value`, `error`',
      TypeError,
      () => faultPlanTask([], clock, { value: 1, eror: () => 1 } as never),
    ],
    [
      'faultPlanBehavior: `error` must be a function, got "boom"',
      TypeError,
      () => faultPlanBehavior([], clock, { error: 'boom' as never }),
    ],
  ] as const)('%s', (message, kind, make) => {
    expect(make).toThrow(new kind(message));
    expect(make).toThrow(kind);
  });

  it('answers with `value`, fails with `error`, and answers at once past the end of the plan', async () => {
    const plan: FaultPlan = [{ kind: 'error', latency: 0 }, { kind: 'throw' }];
    const task = faultPlanTask(plan, clock, {
      value: (call) => `user ${call}`,
      error: (call, step) => new Error(`${step.kind} on call ${call}`),
    });
    await expect(task()).rejects.toThrow('error on call 1');
    expect(() => task()).toThrow('throw on call 2');
    expect(task()).toBe('user 3');
    expect(faultPlanTask([], clock, { value: 'same' })()).toBe('same');
  });
});

describe('generated values print as the code that builds them', () => {
  it('options show their backoff, seeded random and clock by name', () => {
    for (const options of fc.sample(arbitraries.retryOptions({ clock }), {
      numRuns: 20,
      seed: 7,
    })) {
      expect(fc.stringify(options)).toMatch(
        /^\{ maxAttempts: \d+, backoff: (constant|linear|exponential|delays)\(.*\), random: seededRandom\(\d+\), clock \}$/,
      );
    }
    const [breaker] = fc.sample(
      arbitraries.breakerOptions({
        clock,
        breaker: { kinds: ['consecutive'] },
        halfOpenAfter: { max: 0 },
      }),
      { numRuns: 1, seed: 1 },
    );
    expect(fc.stringify(breaker)).toMatch(
      /^\{ breaker: consecutive\(\d\), halfOpenAfter: 0, halfOpenProbes: \d, random: seededRandom\(\d+\), clock, wallClock: \(\) => clock\.now\(\) \}$/,
    );
    const [fallback] = fc.sample(
      arbitraries.fallbackOptions({ value: { id: 'guest' }, forms: ['async'] }),
      1,
    );
    expect(fc.stringify(fallback)).toBe("{ to: async () => { id: 'guest' } }");
  });

  it('a failing property reports its pipeline as pipeline(...) calls, without clock internals', () => {
    const out = fc.check(
      fc.property(
        arbitraries.pipeline({ clock, minLength: 2, kinds: ['timeout', 'bulkhead'] }),
        () => false,
      ),
      { seed: 1 },
    );
    const report = fc.defaultReportMessage(out) ?? '';
    expect(report).toMatch(
      /Counterexample: \[pipeline\((timeout|bulkhead)\(\{ .*clock \}\), (timeout|bulkhead)\(/,
    );
    expect(report).not.toMatch(/heap|deadline/);
  });
});

describe('fast-check stays out of the main entry', () => {
  it('only src/testing/arbitraries imports fast-check', () => {
    const src = resolve(import.meta.dirname, '../../src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    const importers = files
      .filter((f) => /from 'fast-check'/.test(readFileSync(join(src, f), 'utf8')))
      .map((f) => relative(src, join(src, f)).split('\\').join('/'));
    expect(importers.length).toBeGreaterThan(0);
    for (const f of importers) expect(f).toMatch(/^testing\/arbitraries\//);
  });
});

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { delays, exponential, type Jitter, type RetryEvent, retry } from '../../src/index.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';
import {
  backoffSpecArb,
  fcParams,
  immediateStepArb,
  isBadResult,
  jitterArb,
  makeError,
  observe,
  retryTimingOptions,
  type Step,
  scriptedTask,
  whenAccepts,
  whenArb,
  whenOption,
} from './arbitraries.js';

/** Once the script runs out, every further call rejects with an error all `when`s retry. */
const REST: Step = { kind: 'reject', error: 'retryable' };

interface ExponentialSpec {
  readonly initial: number;
  readonly factor: number;
  readonly max: number;
  readonly jitter: Jitter;
}

const exponentialSpecArb: fc.Arbitrary<ExponentialSpec> = fc
  .record({
    initial: fc.integer({ min: 0, max: 1_000 }),
    factor: fc.double({ min: 1, max: 4, noNaN: true }),
    extra: fc.integer({ min: 0, max: 100_000 }),
    jitter: jitterArb,
  })
  // Decorrelated jitter needs initial > 0 (it is refused at build time otherwise).
  .map(({ extra, ...spec }) => {
    const initial = spec.jitter === 'decorrelated' ? Math.max(1, spec.initial) : spec.initial;
    return { ...spec, initial, max: initial + extra };
  });

/**
 * The documented bounds of one delay, from an oracle written independently of src/:
 * base = min(max, initial·factor^(attempt-1)); none = base; full in [0, base) (0 when base is
 * 0); equal in [base/2, base]; decorrelated in [initial, max(initial, 3·previous)] capped at
 * max, previous defaulting to initial.
 */
function expectWithinBounds(
  o: ExponentialSpec,
  attempt: number,
  previous: number | undefined,
  delay: number | undefined,
): void {
  const label = `${o.jitter} delay after attempt ${attempt} (previous ${previous}): ${delay}`;
  expect(typeof delay, label).toBe('number');
  const d = delay as number;
  const base = o.initial === 0 ? 0 : Math.min(o.max, o.initial * o.factor ** (attempt - 1));
  switch (o.jitter) {
    case 'none':
      expect(d, label).toBe(base);
      break;
    case 'full':
      if (base === 0) expect(d, label).toBe(0);
      else expect(d >= 0 && d < base, `${label} not in [0, ${base})`).toBe(true);
      break;
    case 'equal':
      expect(d >= base / 2 && d <= base, `${label} not in [${base / 2}, ${base}]`).toBe(true);
      break;
    case 'decorrelated': {
      const upper = Math.min(o.max, Math.max(o.initial, 3 * (previous ?? o.initial)));
      expect(d >= o.initial && d <= upper, `${label} not in [${o.initial}, ${upper}]`).toBe(true);
      break;
    }
  }
}

describe('retry properties', () => {
  test.prop(
    [
      fc.array(immediateStepArb, { maxLength: 10 }),
      fc.integer({ min: 1, max: 8 }),
      whenArb,
      fc.boolean(),
      backoffSpecArb,
      fc.boolean(),
    ],
    fcParams,
  )(
    'retry calls the task at most maxAttempts times, whatever the task does: exactly up to the first success or non-retryable outcome',
    async (steps, maxAttempts, whenSpec, useWhenResult, backoff, listen) => {
      const clock = new VirtualClock();
      const policy = retry({
        maxAttempts,
        ...retryTimingOptions(backoff),
        ...whenOption(whenSpec),
        ...(useWhenResult ? { whenResult: isBadResult } : {}),
        clock,
      });
      const script = scriptedTask(steps, clock, REST);
      // Events (listening also switches retry onto its timed path). `same`: the payload
      // carries exactly what that attempt produced.
      const log: string[] = [];
      if (listen) {
        const same = (attempt: number, o: { error?: unknown; value?: unknown }): boolean =>
          ('error' in o ? o.error : o.value) === script.produced[attempt - 1];
        policy.onSuccess((e) => log.push(`success ${e.attempt} ${same(e.attempt, e.outcome)}`));
        policy.onFailure((e) =>
          log.push(`failure ${e.attempt} ${same(e.attempt, e.outcome)} handled=${e.handled}`),
        );
        policy.onRetry((e) => log.push(`retry ${e.attempt} ${same(e.attempt, e.outcome)}`));
        policy.onGiveUp((e) => log.push(`giveUp ${e.attempts} ${same(e.attempts, e.outcome)}`));
      }
      const call = observe(policy.execute(script.task), clock);
      await clock.runAll();

      const retried = (step: Step): boolean =>
        step.kind === 'return' || step.kind === 'resolve'
          ? useWhenResult && isBadResult(step.value)
          : step.kind === 'throw' || step.kind === 'reject'
            ? whenAccepts(whenSpec, makeError(step.error, 'probe'))
            : true;
      const stop = steps.findIndex((step) => !retried(step));
      const expected = Math.min(maxAttempts, stop === -1 ? Number.POSITIVE_INFINITY : stop + 1);

      expect(call.count).toBe(1);
      expect(script.calls()).toBeLessThanOrEqual(maxAttempts);
      expect(script.calls()).toBe(expected);
      const last = steps[expected - 1] ?? REST;
      const lastProduced = script.produced[expected - 1];
      expect(call.status).toBe(
        last.kind === 'return' || last.kind === 'resolve' ? 'resolved' : 'rejected',
      );
      expect(call.value).toBe(lastProduced); // the last outcome, unchanged (same object)
      expect(script.attempts).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
      expect(clock.pending()).toBe(0);
      if (listen) {
        const expectedLog: string[] = [];
        for (let attempt = 1; attempt <= expected; attempt++) {
          const step = steps[attempt - 1] ?? REST;
          const handled = retried(step);
          if ((step.kind === 'return' || step.kind === 'resolve') && !handled) {
            expectedLog.push(`success ${attempt} true`);
            continue;
          }
          expectedLog.push(`failure ${attempt} true handled=${handled}`);
          if (attempt < expected) expectedLog.push(`retry ${attempt} true`);
          else if (handled) expectedLog.push(`giveUp ${attempt} true`); // attempts ran out
        }
        expect(log).toEqual(expectedLog);
      }
    },
  );

  test.prop([exponentialSpecArb, fc.integer(), fc.integer({ min: 2, max: 8 })], fcParams)(
    'each retry delay stays within the bounds of its backoff and jitter, and is the clock time between two attempts',
    async (spec, seed, maxAttempts) => {
      const clock = new VirtualClock();
      const { initial, factor, max, jitter } = spec;
      const policy = retry({
        maxAttempts,
        backoff: exponential({ initial, factor, max, jitter }),
        random: seededRandom(seed),
        clock,
      });
      const retries: RetryEvent[] = [];
      policy.onRetry((event) => retries.push(event));
      const script = scriptedTask([], clock, REST);
      const call = observe(policy.execute(script.task), clock);
      await clock.runAll();

      expect(call.status).toBe('rejected');
      expect(script.calls()).toBe(maxAttempts);
      expect(retries.map((r) => r.attempt)).toEqual(
        Array.from({ length: maxAttempts - 1 }, (_, i) => i + 1),
      );
      let previous: number | undefined;
      retries.forEach(({ attempt, delay }, i) => {
        expectWithinBounds(spec, attempt, previous, delay);
        // The sleep timer is set when attempt i+1 fails, at the time it was called.
        expect(script.times[i + 1]).toBe(script.times[i]! + delay);
        previous = delay;
      });
    },
  );

  test.prop(
    [
      exponentialSpecArb,
      fc.integer({ min: 1, max: 3_000 }),
      fc.integer({ min: 1, max: 20 }),
      fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1 }),
    ],
    fcParams,
  )(
    'each delay of the pure exponential backoff, stepped without timers, stays within the bounds of its jitter',
    (spec, firstAttempt, steps, randoms) => {
      const { initial, factor, max, jitter } = spec;
      const backoff = exponential({ initial, factor, max, jitter });
      let drawn = 0;
      const random = (): number => randoms[drawn++ % randoms.length]!;
      let previous: number | undefined;
      for (let attempt = firstAttempt; attempt < firstAttempt + steps; attempt++) {
        const before = drawn;
        const delay = backoff({ attempt, previous, random });
        expectWithinBounds(spec, attempt, previous, delay);
        // Pure: the same input and the same random draws give the same delay.
        drawn = before;
        expect(backoff({ attempt, previous, random })).toBe(delay);
        previous = delay;
      }
    },
  );

  test.prop(
    [
      fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 8 }),
      fc.array(fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }), {
        maxLength: 8,
      }),
      fc.integer({ min: 1, max: 10 }),
    ],
    fcParams,
  )(
    'retryAfter overrides are honoured: the gap between attempts is the override whenever it returns a number, else the backoff delay',
    async (schedule, overrides, maxAttempts) => {
      const clock = new VirtualClock();
      const asked: number[] = [];
      const seen: unknown[] = [];
      const script = scriptedTask([], clock, REST);
      const policy = retry({
        maxAttempts,
        backoff: delays(schedule),
        retryAfter: (outcome, attempt) => {
          asked.push(attempt);
          seen.push(outcome.error);
          return overrides[attempt - 1];
        },
        clock,
      });
      const reported: number[] = [];
      policy.onRetry(({ delay }) => reported.push(delay));
      const call = observe(policy.execute(script.task), clock);
      await clock.runAll();

      const calls = Math.min(maxAttempts, schedule.length + 1);
      expect(call.status).toBe('rejected');
      expect(script.calls()).toBe(calls);
      // Asked only when the backoff would retry: after every attempt but the last.
      expect(asked).toEqual(Array.from({ length: calls - 1 }, (_, i) => i + 1));
      for (const [i, error] of seen.entries()) expect(error).toBe(script.produced[i]);
      const expected = asked.map((attempt) => overrides[attempt - 1] ?? schedule[attempt - 1]!);
      expect(reported).toEqual(expected);
      const gaps = script.times.slice(1).map((t, i) => t - script.times[i]!);
      expect(gaps).toEqual(expected);
      expect(clock.pending()).toBe(0);
    },
  );
});

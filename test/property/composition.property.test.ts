/**
 * Invariant 9 of issue 7: `pipeline(retry, breaker)` and `pipeline(breaker, retry)` differ
 * exactly as docs/pipeline.md and docs/circuit-breaker.md ("In a pipeline") say. With retry
 * outside, the breaker decides (and counts) every attempt, so it can open in the middle of a
 * retried call, and the remaining attempts are rejected with BrokenCircuitError without
 * calling the task. With the breaker outside, it sees one outcome per whole retried call:
 * an open breaker rejects the call before any attempt, and a call counts as one failure only
 * when its last attempt failed. Both are checked against a small model of `consecutive(n)`.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  circuitBreaker,
  consecutive,
  constant,
  isBrokenCircuitError,
  pipeline,
  retry,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { fcParams } from './arbitraries.js';

class ServiceError extends Error {
  override readonly name = 'ServiceError';
}

const scenarioArb = fc.record({
  threshold: fc.integer({ min: 1, max: 3 }),
  maxAttempts: fc.integer({ min: 1, max: 5 }),
  delay: fc.constantFrom(0, 5),
  /** Whether the n-th task call fails (every call after the list fails). */
  failures: fc.array(fc.boolean(), { maxLength: 20 }),
  calls: fc.integer({ min: 1, max: 4 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

type Kind = 'ok' | 'fail' | 'broken';

/** What a run produced: per call, the kind of each attempt; and what the breaker counted. */
interface Run {
  attempts: Kind[][];
  outcomes: Kind[];
  taskCalls: number;
  /** onSuccess + onFailure + onReject of the breaker: one per decision it made. */
  decisions: number;
  failuresCounted: number;
  rejections: number;
  state: string;
  failuresInWindow: number;
}

const kindOf = (thing: unknown): Kind =>
  thing instanceof ServiceError ? 'fail' : isBrokenCircuitError(thing) ? 'broken' : 'ok';

/** A run with nothing recorded yet. */
function emptyRun(state: string): Run {
  return {
    attempts: [],
    outcomes: [],
    taskCalls: 0,
    decisions: 0,
    failuresCounted: 0,
    rejections: 0,
    state,
    failuresInWindow: 0,
  };
}

async function runReal(s: Scenario, retryOutside: boolean): Promise<Run> {
  const clock = new VirtualClock();
  const r = retry({ maxAttempts: s.maxAttempts, backoff: constant(s.delay), clock });
  // halfOpenAfter outlasts every test: once open, the breaker stays open.
  const breaker = circuitBreaker({
    breaker: consecutive(s.threshold),
    halfOpenAfter: 1_000_000,
    clock,
  });
  const run = emptyRun('');
  breaker.onSuccess(() => run.decisions++);
  breaker.onFailure(({ handled }) => {
    run.decisions++;
    if (handled) run.failuresCounted++;
  });
  breaker.onReject(() => {
    run.decisions++;
    run.rejections++;
  });
  let current: Kind[] = [];
  r.onFailure(({ outcome }) => current.push(kindOf('error' in outcome ? outcome.error : 0)));
  r.onSuccess(() => current.push('ok'));
  const policy = retryOutside ? pipeline(r, breaker) : pipeline(breaker, r);
  const task = (): Promise<string> => {
    const fails = s.failures[run.taskCalls++] ?? true;
    return fails ? Promise.reject(new ServiceError('down')) : Promise.resolve('up');
  };
  for (let i = 0; i < s.calls; i++) {
    current = [];
    const outcome = policy.execute(task).then(
      () => 'ok' as Kind,
      (error: unknown) => kindOf(error),
    );
    await clock.runAll();
    run.outcomes.push(await outcome);
    // With the breaker outside, an open breaker rejects before retry sees any attempt.
    run.attempts.push(current);
  }
  run.state = breaker.state;
  run.failuresInWindow = breaker.metrics().failures;
  expect(clock.pending()).toBe(0);
  return run;
}

/** The documented behaviour, from a model of consecutive(threshold) that never half-opens. */
function model(s: Scenario, retryOutside: boolean): Run {
  const run = emptyRun('closed');
  let failures = 0; // the current run of failures the breaker counted
  const open = (): boolean => failures >= s.threshold;
  const count = (failed: boolean): void => {
    if (open()) return;
    run.decisions++;
    if (failed) {
      run.failuresCounted++;
      failures++;
    } else {
      failures = 0;
    }
  };
  const taskCall = (): Kind => ((s.failures[run.taskCalls++] ?? true) ? 'fail' : 'ok');
  for (let i = 0; i < s.calls; i++) {
    const attempts: Kind[] = [];
    if (!retryOutside && open()) {
      run.decisions++;
      run.rejections++;
      run.attempts.push(attempts); // retry never ran
      run.outcomes.push('broken');
      continue;
    }
    for (let attempt = 1; attempt <= s.maxAttempts; attempt++) {
      let kind: Kind;
      if (retryOutside && open()) {
        run.decisions++;
        run.rejections++;
        kind = 'broken';
      } else {
        kind = taskCall();
        if (retryOutside) count(kind === 'fail');
      }
      attempts.push(kind);
      if (kind === 'ok') break;
    }
    const outcome = attempts.at(-1)!;
    if (!retryOutside) count(outcome === 'fail');
    run.attempts.push(attempts);
    run.outcomes.push(outcome);
  }
  run.state = open() ? 'open' : 'closed';
  run.failuresInWindow = failures;
  return run;
}

describe('retry and circuit breaker composition', () => {
  test.prop([scenarioArb], fcParams)(
    'pipeline(retry, breaker): each attempt is one breaker decision; the breaker counts every attempt, may open mid-retry, and then the remaining attempts get BrokenCircuitError without calling the task',
    async (s) => {
      const real = await runReal(s, true);
      expect(real).toEqual(model(s, true));
      // Restated without the model: one decision per attempt, and after the first
      // BrokenCircuitError of a call, every later attempt of it is one too.
      expect(real.decisions).toBe(real.attempts.flat().length);
      for (const attempts of real.attempts) {
        const first = attempts.indexOf('broken');
        if (first >= 0) expect(attempts.slice(first).every((k) => k === 'broken')).toBe(true);
      }
    },
  );

  test.prop([scenarioArb], fcParams)(
    'pipeline(breaker, retry): the breaker counts one outcome per whole retried call (a failure only when the last attempt failed), and once open it rejects whole calls before any attempt',
    async (s) => {
      const real = await runReal(s, false);
      expect(real).toEqual(model(s, false));
      expect(real.decisions).toBe(s.calls);
      for (const [i, attempts] of real.attempts.entries()) {
        expect(attempts.length === 0).toBe(real.outcomes[i] === 'broken');
      }
    },
  );
});

/**
 * The five-policy pipeline of the design (fallback → bulkhead → retry → circuit breaker →
 * timeout) on its success path, and the failure paths users pay for: a fallback taken, and
 * the same pipeline when the task fails and the fallback answers.
 */
import {
  bulkhead,
  circuitBreaker,
  consecutive,
  constant,
  fallback,
  pipeline,
  retry,
  timeout,
} from 'breakwater';
import * as cockatiel from 'cockatiel';
import CircuitBreaker from 'opossum';
import type { Scenario } from './harness.js';

const task = async (): Promise<number> => 1;
const failure = new Error('down');
const failing = async (): Promise<number> => {
  throw failure;
};
const noop = (): void => {};

/** Settings shared by all three libraries, so the rows compare like with like. */
const LIMIT = 10;
const QUEUE = 100;
const ATTEMPTS = 3;
const AFTER = 1_000;

function breakwaterFive() {
  return pipeline(
    fallback({ to: 0 }),
    bulkhead({ limit: LIMIT, queue: QUEUE }),
    retry({ maxAttempts: ATTEMPTS, backoff: constant(0) }),
    // A breaker that never opens on the failure row, so every call runs the whole pipeline.
    circuitBreaker({ breaker: consecutive(Number.MAX_SAFE_INTEGER) }),
    timeout({ after: AFTER }),
  );
}

function cockatielFive() {
  return cockatiel.wrap(
    cockatiel.fallback(cockatiel.handleAll, 0),
    cockatiel.bulkhead(LIMIT, QUEUE),
    cockatiel.retry(cockatiel.handleAll, {
      maxAttempts: ATTEMPTS - 1,
      backoff: new cockatiel.ConstantBackoff(0),
    }),
    cockatiel.circuitBreaker(cockatiel.handleAll, {
      halfOpenAfter: 10_000,
      breaker: new cockatiel.ConsecutiveBreaker(Number.MAX_SAFE_INTEGER),
    }),
    cockatiel.timeout(AFTER, cockatiel.TimeoutStrategy.Cooperative),
  );
}

/**
 * opossum's nearest equivalent: one breaker with its timeout, `capacity` as the bulkhead and a
 * fallback. It has no retry policy, so it does less work than the other two.
 */
function opossumFive(fn: () => Promise<number>): CircuitBreaker<[], number> {
  const breaker = new CircuitBreaker(fn, {
    timeout: AFTER,
    capacity: LIMIT,
    errorThresholdPercentage: 100,
    volumeThreshold: Number.MAX_SAFE_INTEGER,
  });
  breaker.fallback(() => 0);
  return breaker;
}

export function pipelineScenarios(): Scenario[] {
  const bwFive = breakwaterFive();
  const ckFive = cockatielFive();
  const opFive = opossumFive(task);
  const bwFiveFailing = breakwaterFive();
  const ckFiveFailing = cockatielFive();
  const opFiveFailing = opossumFive(failing);

  const bwFallback = fallback({ to: 0 });
  const ckFallback = cockatiel.fallback(cockatiel.handleAll, 0);

  return [
    {
      name: 'pipeline of five, success',
      bare: { name: 'bare await fn()', run: task },
      subjects: [
        { name: 'breakwater', run: () => bwFive.execute(task) },
        { name: 'cockatiel', run: () => ckFive.execute(task) },
        { name: 'opossum (no retry)', run: () => opFive.fire() },
      ],
    },
    {
      name: 'fallback taken',
      note: 'bare = an async function that throws, awaited and caught',
      bare: { name: 'bare: failing call caught', run: () => failing().catch(noop) },
      subjects: [
        { name: 'breakwater', run: () => bwFallback.execute(failing) },
        { name: 'cockatiel', run: () => ckFallback.execute(failing) },
      ],
    },
    {
      name: 'pipeline of five, task always fails, fallback answers',
      note: `bare = the ${ATTEMPTS} failing calls awaited one after the other, errors caught`,
      bare: {
        name: `bare: ${ATTEMPTS} failing calls caught`,
        run: async () => {
          for (let i = 0; i < ATTEMPTS; i++) await failing().catch(noop);
        },
      },
      subjects: [
        { name: 'breakwater', run: () => bwFiveFailing.execute(failing) },
        { name: 'cockatiel', run: () => ckFiveFailing.execute(failing) },
        { name: 'opossum (no retry)', run: () => opFiveFailing.fire() },
      ],
    },
  ];
}

export const pipelineTargets = new Map<string, string>([
  ['pipeline of five, success/breakwater', '≤ 3× bare'],
]);

/**
 * What is measured: each scenario runs the same trivial async task bare, through breakwater
 * and through cockatiel, with equivalent settings.
 */

import { constant, fallback, pipeline, retry, timeout } from 'breakwater';
import * as cockatiel from 'cockatiel';
import type { Scenario } from './harness.js';

const task = async (): Promise<number> => 1;
const rethrow = (error: unknown): never => {
  throw error;
};
/**
 * The floor for any wrapper that must see a call's outcome: one derived promise, i.e. one
 * more microtask tick than the bare call. No promise-based policy can go below this row.
 */
const floor = {
  name: 'floor: fn().then(undefined, h)',
  run: () => task().then(undefined, rethrow),
};

/** Fails its first three calls of every four, then succeeds: a call that needs 3 retries. */
function flaky(): () => Promise<number> {
  let n = 0;
  const error = new Error('transient');
  return async () => {
    if (n++ % 4 !== 3) throw error;
    return 1;
  };
}

export function scenarios(): Scenario[] {
  const bwRetry = retry({ maxAttempts: 3 });
  const ckRetry = cockatiel.retry(cockatiel.handleAll, { maxAttempts: 2 });

  const bwRetry0 = retry({ maxAttempts: 4, backoff: constant(0) });
  const ckRetry0 = cockatiel.retry(cockatiel.handleAll, {
    maxAttempts: 3,
    backoff: new cockatiel.ConstantBackoff(0),
  });
  const bareFlaky = flaky();
  const bwFlaky = flaky();
  const ckFlaky = flaky();

  const bwTimeout = timeout({ after: 1_000 });
  const bwTimeoutAggressive = timeout({ after: 1_000, mode: 'aggressive' });
  const ckTimeout = cockatiel.timeout(1_000, cockatiel.TimeoutStrategy.Cooperative);

  const bwFallback = fallback({ to: 0 });
  const ckFallback = cockatiel.fallback(cockatiel.handleAll, 0);

  const bwPipeline = pipeline(
    fallback({ to: 0 }),
    retry({ maxAttempts: 3 }),
    timeout({ after: 1_000 }),
  );
  const ckPipeline = cockatiel.wrap(
    cockatiel.fallback(cockatiel.handleAll, 0),
    cockatiel.retry(cockatiel.handleAll, { maxAttempts: 2 }),
    cockatiel.timeout(1_000, cockatiel.TimeoutStrategy.Cooperative),
  );

  const bare = { name: 'bare await fn()', run: task };
  return [
    {
      name: 'retry, success',
      bare,
      subjects: [
        floor,
        { name: 'breakwater', run: () => bwRetry.execute(task) },
        { name: 'cockatiel', run: () => ckRetry.execute(task) },
      ],
    },
    {
      name: 'retry, 3 failures then success, zero delay',
      note: 'bare = the same four calls awaited one after the other, errors caught',
      bare: {
        name: 'bare: 4 awaited calls',
        run: async () => {
          for (let i = 0; i < 4; i++) {
            try {
              return await bareFlaky();
            } catch {}
          }
        },
      },
      subjects: [
        { name: 'breakwater', run: () => bwRetry0.execute(bwFlaky) },
        { name: 'cockatiel', run: () => ckRetry0.execute(ckFlaky) },
      ],
    },
    {
      name: 'timeout 1 s, never fires',
      bare,
      subjects: [
        { name: 'breakwater (cooperative)', run: () => bwTimeout.execute(task) },
        { name: 'breakwater (aggressive)', run: () => bwTimeoutAggressive.execute(task) },
        { name: 'cockatiel (cooperative)', run: () => ckTimeout.execute(task) },
      ],
    },
    {
      name: 'fallback, not taken',
      bare,
      subjects: [
        floor,
        { name: 'breakwater', run: () => bwFallback.execute(task) },
        { name: 'cockatiel', run: () => ckFallback.execute(task) },
      ],
    },
    {
      name: 'pipeline fallback+retry+timeout, success',
      bare,
      subjects: [
        { name: 'breakwater', run: () => bwPipeline.execute(task) },
        { name: 'cockatiel', run: () => ckPipeline.execute(task) },
      ],
    },
  ];
}

/** Issue targets, as "scenario/subject" → text, shown beside the measured ratio. */
export const targets = new Map<string, string>([
  ['retry, success/breakwater', '≤ 1.3× bare'],
  ['retry, 3 failures then success, zero delay/breakwater', '≤ 3× bare'],
  ['timeout 1 s, never fires/breakwater (cooperative)', '≤ 2× bare'],
  ['timeout 1 s, never fires/breakwater (aggressive)', '≤ 2× bare'],
  ['fallback, not taken/breakwater', '≤ 1.2× bare'],
]);

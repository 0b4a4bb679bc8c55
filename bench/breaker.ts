/**
 * Circuit breaker rows: the closed path (every breaker kind), the open rejection, and the
 * cost per call with a window of 100 vs 1,000,000 calls (it must be flat: O(1) windows).
 */
import { circuitBreaker, consecutive, countWindow, timeWindow } from 'breakwater';
import * as cockatiel from 'cockatiel';
import CircuitBreaker from 'opossum';
import type { Scenario } from './harness.js';

const task = async (): Promise<number> => 1;
const failure = new Error('down');
const failing = async (): Promise<number> => {
  throw failure;
};
const noop = (): void => {};
const rethrow = (error: unknown): never => {
  throw error;
};
const OPEN_FOR = 2_000_000_000;

/** opossum without its per-call timeout timer, so only the breaker is measured. */
function opossum(fn: () => Promise<number>): CircuitBreaker<[], number> {
  return new CircuitBreaker(fn, { timeout: false, errorThresholdPercentage: 50 });
}

export async function breakerScenarios(): Promise<Scenario[]> {
  const bwConsecutive = circuitBreaker({ breaker: consecutive(5) });
  const bwCount = circuitBreaker({ breaker: countWindow({ size: 100 }) });
  const bwTime = circuitBreaker({ breaker: timeWindow({ duration: 10_000 }) });
  const ckConsecutive = cockatiel.circuitBreaker(cockatiel.handleAll, {
    halfOpenAfter: 10_000,
    breaker: new cockatiel.ConsecutiveBreaker(5),
  });
  const opClosed = opossum(task);

  const bwOpen = circuitBreaker({ breaker: consecutive(1), halfOpenAfter: OPEN_FOR });
  const ckOpen = cockatiel.circuitBreaker(cockatiel.handleAll, {
    halfOpenAfter: OPEN_FOR,
    breaker: new cockatiel.ConsecutiveBreaker(1),
  });
  const opOpen = opossum(failing);
  await bwOpen.execute(failing).catch(noop);
  await ckOpen.execute(failing).catch(noop);
  opOpen.open();

  // Windows that see failures too, so the counts move; small and huge, same ratio.
  const mixed = (): (() => Promise<number>) => {
    let n = 0;
    return () => (++n % 10 === 0 ? failing() : task());
  };
  const bareMixed = mixed();
  const bwSmall = circuitBreaker({ breaker: countWindow({ size: 100, failureRatio: 0.5 }) });
  const bwHuge = circuitBreaker({ breaker: countWindow({ size: 1_000_000, failureRatio: 0.5 }) });
  const bwTimeHuge = circuitBreaker({
    breaker: timeWindow({ duration: 600_000, buckets: 1_000, failureRatio: 0.5 }),
  });
  const smallTask = mixed();
  const hugeTask = mixed();
  const timeTask = mixed();

  const bare = { name: 'bare await fn()', run: task };
  return [
    {
      name: 'breaker closed, success',
      bare,
      subjects: [
        { name: 'floor: fn().then(undefined, h)', run: () => task().then(undefined, rethrow) },
        { name: 'breakwater consecutive(5)', run: () => bwConsecutive.execute(task) },
        { name: 'breakwater countWindow(100)', run: () => bwCount.execute(task) },
        { name: 'breakwater timeWindow(10 s)', run: () => bwTime.execute(task) },
        { name: 'cockatiel consecutive(5)', run: () => ckConsecutive.execute(task) },
        { name: 'opossum (timeout off)', run: () => opClosed.fire() },
      ],
    },
    {
      name: 'breaker open, rejection',
      note: 'bare = an async function that throws, awaited and caught',
      bare: { name: 'bare: failing call caught', run: () => failing().catch(noop) },
      subjects: [
        { name: 'breakwater', run: () => bwOpen.execute(task).catch(noop) },
        { name: 'cockatiel', run: () => ckOpen.execute(task).catch(noop) },
        { name: 'opossum', run: () => opOpen.fire().catch(noop) },
      ],
    },
    {
      name: 'breaker window 100 vs 1,000,000 calls, 10% failures',
      note: 'bare = the same 1-in-10 failing task, caught',
      bare: { name: 'bare: mixed calls caught', run: () => bareMixed().catch(noop) },
      subjects: [
        { name: 'breakwater countWindow(100)', run: () => bwSmall.execute(smallTask).catch(noop) },
        {
          name: 'breakwater countWindow(1,000,000)',
          run: () => bwHuge.execute(hugeTask).catch(noop),
        },
        {
          name: 'breakwater timeWindow(10 min, 1,000 buckets)',
          run: () => bwTimeHuge.execute(timeTask).catch(noop),
        },
      ],
    },
  ];
}

export const breakerTargets = new Map<string, string>([
  ['breaker closed, success/breakwater consecutive(5)', '≤ 1.3× bare'],
  ['breaker closed, success/breakwater countWindow(100)', '≤ 1.3× bare'],
  ['breaker closed, success/breakwater timeWindow(10 s)', '≤ 1.3× bare'],
  ['breaker open, rejection/breakwater', '≤ 2× bare'],
]);

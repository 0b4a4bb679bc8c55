/**
 * Bulkhead rows: an uncontended call, and 10,000 calls dispatched at once then awaited
 * together, bare vs breakwater vs cockatiel vs p-limit with equivalent settings.
 */

import { bulkhead } from 'breakwater';
import * as cockatiel from 'cockatiel';
import pLimit from 'p-limit';
import type { Scenario } from './harness.js';

const task = async (): Promise<number> => 1;
const BURST = 10_000;

/** Dispatches BURST calls made by `call` without awaiting any, then awaits them all. */
function burst(call: () => Promise<unknown>): () => Promise<unknown> {
  return () => {
    const calls = new Array<Promise<unknown>>(BURST);
    for (let i = 0; i < BURST; i++) calls[i] = call();
    return Promise.all(calls);
  };
}

export function bulkheadScenarios(): Scenario[] {
  const bw = bulkhead({ limit: 10 });
  const ck = cockatiel.bulkhead(10);
  const pl = pLimit(10);

  const bwBurst = bulkhead({ limit: 100, queue: BURST });
  const ckBurst = cockatiel.bulkhead(100, BURST);
  const plBurst = pLimit(100);

  return [
    {
      name: 'bulkhead, uncontended',
      bare: { name: 'bare await fn()', run: task },
      subjects: [
        { name: 'breakwater', run: () => bw.execute(task) },
        { name: 'cockatiel', run: () => ck.execute(task) },
        { name: 'p-limit', run: () => pl(task) },
      ],
    },
    {
      name: 'bulkhead, 10,000 calls at once, limit 100',
      note: 'one op = 10,000 calls dispatched without awaiting, then Promise.all; bare = the same calls with no limit',
      bare: { name: 'bare: 10,000 calls', run: burst(task) },
      subjects: [
        { name: 'breakwater', run: burst(() => bwBurst.execute(task)) },
        { name: 'cockatiel', run: burst(() => ckBurst.execute(task)) },
        { name: 'p-limit', run: burst(() => plBurst(task)) },
      ],
    },
  ];
}

/** Issue targets, as "scenario/subject" → text, shown beside the measured ratio. */
export const bulkheadTargets = new Map<string, string>([
  ['bulkhead, uncontended/breakwater', '≤ 1.3× bare'],
  ['bulkhead, 10,000 calls at once, limit 100/breakwater', '≤ 2× bare'],
]);

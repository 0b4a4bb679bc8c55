/**
 * Invariant 3 of issue 7 for the bulkhead queue inside a pipeline: whatever retry, timeout
 * and fallback layers wrap the bulkhead, a queued call whose caller aborts rejects with the
 * signal's reason in the same flush and frees its queue place at once (the next arrival gets
 * it); its task never starts. Once every caller has aborted, nothing is left.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { bulkhead, type ExecuteContext, pipeline } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { type CountingSignal, countingSignal, untilAborted } from '../helpers/common.js';
import {
  buildPipeline,
  countingClock,
  fcParams,
  type Observed,
  observe,
  type PolicySpec,
} from './arbitraries.js';

/** Layers that neither time out nor change how many calls reach the bulkhead on their own. */
const outerArb: fc.Arbitrary<PolicySpec> = fc.oneof(
  fc.record({
    kind: fc.constant('retry' as const),
    maxAttempts: fc.constantFrom<1 | 2 | 3>(1, 2, 3),
    backoff: fc.constant({ kind: 'constant' as const, ms: 0 as const }),
    when: fc.constant('all' as const),
    whenResult: fc.constant(false),
  }),
  fc.record({
    kind: fc.constant('timeout' as const),
    after: fc.constant(100_000),
    mode: fc.constantFrom('cooperative' as const, 'aggressive' as const),
  }),
  fc.record({
    kind: fc.constant('fallback' as const),
    to: fc.constantFrom('value' as const, 'async' as const),
    when: fc.constant('all' as const),
    whenResult: fc.constant(false),
  }),
);

interface Call {
  readonly caller: CountingSignal;
  readonly observed: Observed;
  readonly reason: Error;
}

describe('bulkhead queue under caller aborts', () => {
  test.prop(
    [
      fc.array(outerArb, { maxLength: 3 }),
      fc.integer({ min: 1, max: 4 }), // queue size (all places taken)
      fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), // which waiter aborts next
      fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }), // queueTimeout
    ],
    fcParams,
  )(
    'a queued call whose caller aborts rejects with signal.reason in the same flush, frees its queue place at once for the next arrival, and never starts; whatever layers wrap the bulkhead',
    async (outer, queue, picks, queueTimeout) => {
      const clock = new VirtualClock();
      const bulkheadClock = countingClock(clock); // counts the bulkhead's own (queue) timers
      const b = bulkhead({
        limit: 1,
        queue,
        clock: bulkheadClock,
        ...(queueTimeout ? { queueTimeout } : {}),
      });
      const policy = pipeline(buildPipeline(outer, clock).policy, b);
      const started: number[] = [];
      const calls: Call[] = [];
      const arrive = (): Call => {
        const id = calls.length;
        const caller = countingSignal();
        const task = (ctx: ExecuteContext) => {
          started.push(id);
          return untilAborted<string>(ctx.signal);
        };
        const call = {
          caller,
          reason: new Error(`abort ${id}`),
          observed: observe(policy.execute(task, { signal: caller.signal }), clock),
        };
        calls.push(call);
        return call;
      };
      arrive(); // holds the only slot until its caller aborts
      const waiting = Array.from({ length: queue }, () => arrive());
      await clock.flush();
      expect([b.executing, b.queued, started]).toEqual([1, queue, [0]]);

      for (const pick of picks) {
        if (waiting.length === 0) break;
        const [leaving] = waiting.splice(pick % waiting.length, 1);
        leaving!.caller.abort(leaving!.reason);
        await clock.flush();
        expect([leaving!.observed.status, leaving!.observed.value]).toEqual([
          'rejected',
          leaving!.reason,
        ]);
        expect(b.queued).toBe(queue - 1);
        expect(leaving!.caller.listeners()).toBe(0);
        // Its place is free: the next arrival queues instead of being rejected as full.
        waiting.push(arrive());
        await clock.flush();
        expect([b.executing, b.queued, started]).toEqual([1, queue, [0]]);
        // One queue timer per waiter with a queueTimeout (none without): none outlives its waiter.
        expect(bulkheadClock.live()).toBe(queueTimeout === undefined ? 0 : queue);
      }
      // Everyone leaves; nothing is left behind.
      for (const call of calls) call.caller.abort(call.reason);
      await clock.runAll();
      expect(calls.map((c) => [c.observed.count, c.observed.value, c.caller.listeners()])).toEqual(
        calls.map((c) => [1, c.reason, 0]),
      );
      expect([b.executing, b.queued, clock.pending(), started]).toEqual([0, 0, 0, [0]]);
    },
  );
});

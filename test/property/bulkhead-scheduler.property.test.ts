/**
 * The bulkhead under fast-check's scheduler: arrivals, task settlements and caller aborts
 * happen in an order the scheduler picks (and shrinks), with no clock involved. Checked at
 * every moment something happens, and once everything has settled.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { BulkheadRejectedError, bulkhead, type ExecuteContext } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal } from '../helpers/common.js';
import { fcParams } from './arbitraries.js';

interface CallSpec {
  /** The task ends when its caller aborts (else it runs until the scheduler settles it). */
  readonly honours: boolean;
  readonly ok: boolean;
  /** The caller aborts at some point the scheduler picks (maybe before the call arrives). */
  readonly aborts: boolean;
}

const specArb: fc.Arbitrary<CallSpec> = fc.record({
  honours: fc.boolean(),
  ok: fc.boolean(),
  aborts: fc.boolean(),
});

const configArb = fc.record({
  limit: fc.integer({ min: 1, max: 3 }),
  queue: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(Number.POSITIVE_INFINITY)),
  queueTimeout: fc.option(fc.constant(1_000), { nil: undefined }),
});

describe('bulkhead under the fast-check scheduler', () => {
  test.prop(
    [fc.scheduler(), configArb, fc.array(specArb, { minLength: 1, maxLength: 12 })],
    fcParams,
  )(
    'for any order of arrivals, settlements and aborts: running <= limit and waiting <= queue at every moment, waiters start first in first out, each call settles exactly once with its value, error, abort reason or a full rejection, and nothing is left behind',
    async (s, config, specs) => {
      // The clock never moves: queue timers must all be cancelled by the time calls settle.
      const clock = new VirtualClock();
      const { limit, queue } = config;
      const policy = bulkhead({
        limit,
        queue,
        clock,
        ...(config.queueTimeout === undefined ? {} : { queueTimeout: config.queueTimeout }),
      });
      const problems: string[] = [];
      const check = (when: string): void => {
        const { executing, queued } = policy;
        if (executing < 0 || executing > limit || queued < 0 || queued > queue) {
          problems.push(`${when}: ${executing} executing, ${queued} queued`);
        }
      };
      for (const event of [policy.onSuccess, policy.onFailure, policy.onReject]) {
        event(() => check('event'));
      }
      const callers = specs.map(() => countingSignal());
      const settled = specs.map(() => [] as unknown[]);
      const started: number[] = [];
      const enqueued: number[] = [];
      let arriving = -1;

      const task = (i: number) => (ctx: ExecuteContext) => {
        check(`start ${i}`);
        if (arriving !== i) {
          // Started from the queue: every call queued before it has started or was aborted.
          const ahead = enqueued.slice(0, enqueued.indexOf(i));
          const skipped = ahead.filter((j) => !started.includes(j) && !callers[j]!.signal.aborted);
          if (enqueued.indexOf(i) < 0 || skipped.length > 0) {
            problems.push(`call ${i} started out of turn (ahead: ${skipped.join(',')})`);
          }
        }
        started.push(i);
        const spec = specs[i]!;
        const outcome = s.schedule(Promise.resolve(), `settle ${i}`).then(() => {
          if (!spec.ok) throw new Error(`failed ${i}`);
          return `value ${i}`;
        });
        if (!spec.honours) return outcome;
        const signal = ctx.signal;
        return new Promise<string>((resolve, reject) => {
          const onAbort = (): void => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          outcome.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
        });
      };

      specs.forEach((spec, i) => {
        s.schedule(Promise.resolve(), `arrive ${i}`).then(() => {
          const before = policy.queued;
          arriving = i;
          const call = policy.execute(task(i), { signal: callers[i]!.signal });
          arriving = -1;
          if (policy.queued === before + 1) enqueued.push(i);
          check(`arrive ${i}`);
          call.then(
            (value) => settled[i]!.push(value),
            (error: unknown) => settled[i]!.push(error),
          );
        });
        if (spec.aborts) {
          s.schedule(Promise.resolve(), `abort ${i}`).then(() => {
            callers[i]!.abort(`abort ${i}`);
            check(`abort ${i}`);
          });
        }
      });
      // A freed slot starts the next waiter a few microtasks after a settlement: wait until
      // the scheduler has nothing left, including tasks scheduled by those starts.
      await s.waitIdle();
      await clock.flush();
      expect(s.count()).toBe(0);

      expect(problems).toEqual([]);
      expect(settled.map((list) => list.length)).toEqual(specs.map(() => 1));
      settled.forEach(([outcome], i) => {
        const aborted = callers[i]!.signal.aborted;
        if (outcome instanceof BulkheadRejectedError) {
          expect([i, outcome.reason, started.includes(i)]).toEqual([i, 'full', false]);
        } else if (outcome === `abort ${i}`) {
          expect([i, aborted]).toEqual([i, true]);
        } else {
          const expected = specs[i]!.ok ? `value ${i}` : `failed ${i}`;
          const got = outcome instanceof Error ? outcome.message : outcome;
          expect([i, got, started.includes(i)]).toEqual([i, expected, true]);
        }
      });
      expect([policy.executing, policy.queued, clock.pending()]).toEqual([0, 0, 0]);
      expect(callers.map((c) => c.listeners())).toEqual(callers.map(() => 0));
    },
  );
});

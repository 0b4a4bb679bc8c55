/**
 * Invariant 5 of issue 7, the part about the task's signal: under one or more timeouts (any
 * modes), `ctx.signal` aborts exactly at the earliest deadline with the TimeoutError the call
 * rejects with (the same object), or earlier with the caller's reason when the caller aborts
 * first, and never when the task finishes in time. Nothing is left behind either way.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isTimeoutError, pipeline, type TimeoutMode, timeout } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal } from '../helpers/common.js';
import { fcParams, observe } from './arbitraries.js';

const layersArb = fc.array(
  fc.record({
    after: fc.integer({ min: 1, max: 300 }),
    mode: fc.constantFrom<TimeoutMode>('cooperative', 'aggressive'),
  }),
  { minLength: 1, maxLength: 3 },
);

describe('timeout signal properties', () => {
  test.prop(
    [
      layersArb,
      fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }), // task takes (never)
      fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }), // caller aborts at
    ],
    fcParams,
  )(
    "the task's signal aborts at the earliest deadline with the very TimeoutError the call rejects with, or at the caller's abort with its reason if that comes first, and not at all when the task finishes in time",
    async (layers, takes, abortAt) => {
      const clock = new VirtualClock();
      const caller = countingSignal();
      const reason = new Error('caller aborted');
      // Set before the call starts: at equal times the caller's abort fires first.
      const aborter =
        abortAt === undefined ? undefined : clock.setTimer(() => caller.abort(reason), abortAt);
      let abortedAt: number | undefined;
      let abortReason: unknown;
      const policy = pipeline(...layers.map(({ after, mode }) => timeout({ after, mode, clock })));
      const call = observe(
        policy.execute(
          ({ signal }) =>
            new Promise<string>((resolve, reject) => {
              const timer =
                takes === undefined ? undefined : clock.setTimer(() => resolve('done'), takes);
              signal.addEventListener(
                'abort',
                () => {
                  abortedAt = clock.now();
                  abortReason = signal.reason;
                  timer?.cancel();
                  reject(signal.reason);
                },
                { once: true },
              );
            }),
          { signal: caller.signal },
        ),
        clock,
        () => aborter?.cancel(),
      );
      await clock.runAll();

      const earliest = Math.min(...layers.map((l) => l.after));
      const end = Math.min(takes ?? Number.POSITIVE_INFINITY, abortAt ?? Number.POSITIVE_INFINITY);
      expect(call.count).toBe(1);
      if (abortAt !== undefined && abortAt <= earliest && abortAt <= (takes ?? Infinity)) {
        // The caller's abort came first (a task finishing at the same time fires after it).
        expect([abortedAt, abortReason, call.value]).toEqual([abortAt, reason, reason]);
      } else if (end < earliest) {
        // The task finished in time (or the caller aborted after it did): no abort reached it.
        expect(abortedAt).toBeUndefined();
        expect([call.status, call.value]).toEqual(['resolved', 'done']);
      } else {
        // The deadline, set before the task's timer, wins a tie with it.
        expect(abortedAt).toBe(earliest);
        expect(isTimeoutError(abortReason)).toBe(true);
        expect((abortReason as { after: number }).after).toBe(earliest);
        expect(call.status).toBe('rejected');
        expect(call.value).toBe(abortReason);
      }
      expect([clock.pending(), caller.listeners()]).toEqual([0, 0]);
    },
  );
});

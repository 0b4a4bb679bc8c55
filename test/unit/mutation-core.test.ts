/**
 * Tests that kill surviving Stryker mutants of src/core (npm run mutate): behaviour no other
 * test pinned down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BulkheadRejectedError,
  captureRejectionStacks,
  constant,
  pipeline,
  retry,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, track } from '../helpers/common.js';

describe('a retried attempt follows the caller through the layers inside the retry', () => {
  it("attempt 2's ctx.signal under an inner timeout aborts with the caller's reason; nothing is left", async () => {
    const clock = new VirtualClock();
    const policy = pipeline(
      retry({ maxAttempts: 2, backoff: constant(0), clock }),
      timeout({ after: 1_000, clock }),
    );
    const caller = countingSignal();
    let second: AbortSignal | undefined;
    const call = track(
      policy.execute(
        ({ attempt, signal }) => {
          if (attempt === 1) throw new Error('first attempt fails');
          second = signal;
          return new Promise<never>(() => {});
        },
        { signal: caller.signal },
      ),
    );
    await clock.flush();
    expect(second?.aborted).toBe(false);
    const reason = new Error('caller left');
    caller.abort(reason);
    await clock.flush();
    expect(second?.aborted).toBe(true);
    expect(second?.reason).toBe(reason);
    expect(call.result).toEqual({ state: 'rejected', reason });
    expect(clock.pending()).toBe(0);
    expect(caller.listeners()).toBe(0);
  });

  it('an attempt that settles leaves no watcher on the caller signal', async () => {
    const clock = new VirtualClock();
    const policy = pipeline(
      retry({ maxAttempts: 3, backoff: constant(0), clock }),
      timeout({ after: 1_000, clock }),
    );
    const caller = countingSignal();
    const result = await policy.execute(
      ({ attempt }) => {
        if (attempt < 3) throw new Error(`attempt ${attempt} fails`);
        return attempt;
      },
      { signal: caller.signal },
    );
    expect(result).toBe(3);
    expect(caller.listeners()).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});

describe('execute: `signal` must be a whole AbortSignal', () => {
  const real = new AbortController().signal;
  const add = real.addEventListener.bind(real);
  const remove = real.removeEventListener.bind(real);
  it.each([
    [
      'a function',
      Object.assign(() => {}, {
        aborted: false,
        addEventListener: add,
        removeEventListener: remove,
      }),
    ],
    [
      'aborted not a boolean',
      { aborted: 'no', addEventListener: add, removeEventListener: remove },
    ],
    ['no addEventListener', { aborted: false, removeEventListener: remove }],
    ['no removeEventListener', { aborted: false, addEventListener: add }],
  ])('rejects a lookalike (%s) with a TypeError naming `signal`', async (_, signal) => {
    const policy = retry({ maxAttempts: 1 });
    const error = await policy.execute(() => 1, { signal: signal as never }).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toMatch(/^execute: `signal` must be an AbortSignal, got /);
  });
});

describe('stacks of fast rejections', () => {
  type WithLimit = { stackTraceLimit?: number | undefined };
  const E = Error as unknown as WithLimit;
  const saved = E.stackTraceLimit;
  afterEach(() => {
    E.stackTraceLimit = saved;
    captureRejectionStacks(false);
  });

  it('captureRejectionStacks takes only a boolean', () => {
    expect(() => captureRejectionStacks('yes' as never)).toThrow(
      new TypeError('captureRejectionStacks: `enabled` must be a boolean, got string'),
    );
  });

  it('leaves an engine without a numeric Error.stackTraceLimit alone', () => {
    E.stackTraceLimit = undefined;
    const error = new BulkheadRejectedError('full', 1, 0);
    expect(error).toBeInstanceOf(BulkheadRejectedError);
    expect(E.stackTraceLimit).toBeUndefined();
  });

  it('puts a numeric Error.stackTraceLimit back after a fast rejection', () => {
    E.stackTraceLimit = 17;
    new BulkheadRejectedError('full', 1, 0);
    expect(E.stackTraceLimit).toBe(17);
  });
});

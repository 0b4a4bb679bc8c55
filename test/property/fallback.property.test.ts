/**
 * Invariant 8 of issue 7: a fallback runs at most once per call, and only for outcomes its
 * filters accept (`when` for errors, `whenResult` for values), never for a call its caller
 * aborted. Each scenario runs twice on fresh clocks: once as the inner pipeline alone (any
 * policies, seeded, so both runs behave the same), once with the fallback around it; the
 * fallback's answer must replace exactly the outcomes its filters accept.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type FallbackContext, fallback, pipeline } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal } from '../helpers/common.js';
import {
  anyStepArb,
  fcParams,
  isBadResult,
  observe,
  scriptedTask,
  whenAccepts,
  whenArb,
  whenOption,
} from './arbitraries.js';
import { anyPipelineArb, buildPolicies } from './policy-specs.js';
import { CallerAbort, describeThing } from './scenario.js';

const scenarioArb = fc.record({
  inner: anyPipelineArb,
  steps: fc.array(anyStepArb, { minLength: 1, maxLength: 5 }),
  rest: anyStepArb,
  abortAt: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined, freq: 3 }),
  when: whenArb,
  whenResult: fc.boolean(),
  answer: fc.constantFrom('value' as const, 'async' as const, 'throw' as const),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

class FallbackFailed extends Error {
  override readonly name = 'FallbackFailed';
}

/** Runs the inner pipeline, with the fallback of `s` around it when `withFallback`. */
async function run(s: Scenario, withFallback: boolean) {
  const clock = new VirtualClock();
  const inner = buildPolicies(s.inner, clock);
  const seen: { error: unknown; outcome: FallbackContext['outcome']; aborted: boolean }[] = [];
  const outer = fallback<string>({
    to: (error, ctx) => {
      seen.push({ error, outcome: ctx.outcome, aborted: ctx.signal.aborted });
      if (s.answer === 'value') return 'fallback';
      if (s.answer === 'async') return Promise.resolve('fallback');
      throw new FallbackFailed('fallback failed');
    },
    ...whenOption(s.when),
    ...(s.whenResult ? { whenResult: isBadResult } : {}),
  });
  let fallbacks = 0;
  outer.onFallback(() => fallbacks++);
  const policy = withFallback ? pipeline(outer, inner.policy) : inner.policy;
  const script = scriptedTask(s.steps, clock, s.rest);
  const caller = countingSignal();
  const reason = new CallerAbort('caller aborted');
  if (s.abortAt !== undefined) clock.setTimer(() => caller.abort(reason), s.abortAt);
  const call = observe(policy.execute(script.task, { signal: caller.signal }), clock);
  await clock.runAll();
  if (call.count === 0) caller.abort(reason); // a hang: the caller gives up
  await clock.runAll();
  const aborted = caller.signal.aborted && call.status === 'rejected' && call.value === reason;
  const left = { timers: clock.pending(), listeners: caller.listeners() };
  return { call, seen, fallbacks, aborted, calls: script.calls(), problems: inner.problems, left };
}

describe('fallback properties', () => {
  test.prop([scenarioArb], fcParams)(
    'a fallback runs at most once per call, exactly when its filters accept the outcome of what it wraps (when for errors, whenResult for values), never after the caller aborted, and otherwise passes the outcome through unchanged',
    async (s) => {
      const alone = await run(s, false);
      const wrapped = await run(s, true);
      expect(wrapped.problems).toEqual([]);
      expect(wrapped.left).toEqual({ timers: 0, listeners: 0 });
      expect(wrapped.call.count).toBe(1);
      expect(wrapped.seen.length).toBeLessThanOrEqual(1);
      expect(wrapped.fallbacks).toBe(wrapped.seen.length);
      // The fallback changes nothing about what runs inside it.
      expect(wrapped.calls).toBe(alone.calls);
      expect(wrapped.call.at).toBe(alone.call.at);

      const { status, value } = alone.call;
      const accepted =
        !alone.aborted &&
        (status === 'rejected' ? whenAccepts(s.when, value) : s.whenResult && isBadResult(value));
      expect(wrapped.seen.length).toBe(accepted ? 1 : 0);
      if (!accepted) {
        expect(describeThing(wrapped.call.value)).toBe(describeThing(value));
        expect(wrapped.call.status).toBe(status);
        return;
      }
      const { error, outcome, aborted } = wrapped.seen[0]!;
      expect(aborted).toBe(false);
      const expected = status === 'rejected' ? { error: value } : { value };
      expect(describeThing(outcome)).toBe(describeThing(expected));
      expect(describeThing(error)).toBe(describeThing(status === 'rejected' ? value : undefined));
      if (s.answer === 'throw') {
        expect(wrapped.call.status).toBe('rejected');
        expect(wrapped.call.value).toBeInstanceOf(FallbackFailed);
      } else {
        expect([wrapped.call.status, wrapped.call.value]).toEqual(['resolved', 'fallback']);
      }
    },
  );
});

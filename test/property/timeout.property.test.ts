import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  isTimeoutError,
  pipeline,
  type TimeoutEvent,
  type TimeoutMode,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import {
  fcParams,
  immediateStepArb,
  laterStepArb,
  neverStepArb,
  type Observed,
  observe,
  type Script,
  type Step,
  scriptedTask,
} from './arbitraries.js';

/** How long the task takes before it settles on its own (never: Infinity). */
function duration(step: Step): number {
  if (step.kind === 'later') return step.ms;
  return step.kind === 'never' ? Number.POSITIVE_INFINITY : 0;
}

/** The call settled with what the task itself produced (value, or the very error thrown). */
function expectTaskOutcome(call: Observed, step: Step, script: Script): void {
  const succeeded =
    step.kind === 'return' ||
    step.kind === 'resolve' ||
    (step.kind === 'later' && step.value !== undefined);
  expect(call.status).toBe(succeeded ? 'resolved' : 'rejected');
  expect(call.value).toBe(script.produced[0]);
}

function expectTimeoutError(call: Observed, after: number): void {
  expect(call.status).toBe('rejected');
  expect(isTimeoutError(call.value)).toBe(true);
  expect((call.value as { after: unknown }).after).toBe(after);
}

/**
 * Runs `step` under one timeout. Records when the call settled and how many timers that are
 * not the task's own were pending at that moment (must be 0: the policy's timer is gone).
 */
function runUnderTimeout(after: number, mode: TimeoutMode, step: Step) {
  const clock = new VirtualClock();
  const policy = timeout({ after, mode, clock });
  const timeouts: TimeoutEvent[] = [];
  policy.onTimeout((event) => timeouts.push(event));
  const script = scriptedTask([step], clock, step);
  let policyTimersAtSettle: number | undefined;
  const call = observe(policy.execute(script.task), clock, () => {
    policyTimersAtSettle = clock.pending() - script.liveTimers();
  });
  return { clock, script, call, timeouts, policyTimersAtSettle: () => policyTimersAtSettle };
}

const afterArb = fc.integer({ min: 1, max: 500 });

describe('timeout properties', () => {
  test.prop([afterArb, fc.oneof(immediateStepArb, laterStepArb(1_000), neverStepArb())], fcParams)(
    'an aggressive timeout settles by its deadline, at min(task duration, after), and leaves no pending timer',
    async (after, step) => {
      const run = runUnderTimeout(after, 'aggressive', step);
      const { clock, call, script } = run;
      await clock.advanceTo(after);
      expect(call.count, 'settled by the deadline').toBe(1);

      const d = duration(step);
      // At d === after the deadline wins: its timer was set before the task's (same time).
      const timedOut = d >= after;
      expect(call.at).toBe(timedOut ? after : d);
      if (timedOut) expectTimeoutError(call, after);
      else expectTaskOutcome(call, step, script);
      expect(run.timeouts).toEqual(timedOut ? [{ after, attempt: 1 }] : []);
      expect(run.policyTimersAtSettle()).toBe(0);

      await clock.runAll(); // the task's own late timer, if any
      expect(call.count).toBe(1);
      expect(clock.pending()).toBe(0);
    },
  );

  test.prop(
    [afterArb, fc.oneof(immediateStepArb, laterStepArb(1_000), neverStepArb(fc.constant(true)))],
    fcParams,
  )(
    'a cooperative timeout settles right after its task, rejecting with TimeoutError iff the task took >= after',
    async (after, step) => {
      const run = runUnderTimeout(after, 'cooperative', step);
      const { clock, call, script } = run;
      await clock.runAll();

      const d = duration(step);
      // The deadline timer is set before the task starts, so at d === after it fires first:
      // the task's signal is aborted and the call rejects with the TimeoutError even though
      // the task's own timer fires in the same millisecond.
      const timedOut = d >= after;
      // A task honouring its signal stops at the deadline; one ignoring it settles at d.
      const honours = step.kind === 'later' || step.kind === 'never' ? step.honours : false;
      expect(call.count).toBe(1);
      expect(call.at).toBe(timedOut && honours ? after : d);
      if (timedOut) expectTimeoutError(call, after);
      else expectTaskOutcome(call, step, script);
      expect(run.timeouts).toEqual(timedOut ? [{ after, attempt: 1 }] : []);
      expect(run.policyTimersAtSettle()).toBe(0);
      expect(clock.pending()).toBe(0);
    },
  );

  test.prop(
    [
      fc.array(
        fc.record({
          after: afterArb,
          mode: fc.constantFrom<TimeoutMode>('cooperative', 'aggressive'),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    ],
    fcParams,
  )(
    'nested timeouts abort the task at the earliest deadline and reject with that TimeoutError',
    async (layers) => {
      const clock = new VirtualClock();
      const policy = pipeline(...layers.map(({ after, mode }) => timeout({ after, mode, clock })));
      const step: Step = { kind: 'never', honours: true };
      const script = scriptedTask([step], clock, step);
      const call = observe(policy.execute(script.task), clock);
      await clock.runAll();

      const earliest = Math.min(...layers.map((l) => l.after));
      expect(call.count).toBe(1);
      expect(call.at).toBe(earliest);
      expectTimeoutError(call, earliest);
      expect(clock.pending()).toBe(0);
    },
  );
});

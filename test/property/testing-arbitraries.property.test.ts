/**
 * The arbitraries `breakwater/testing` gives users: each produces only options that build,
 * whose policy settles one call driven by any fault plan (aborted by the caller if it
 * hangs) and leaves no timer or listener behind; constraints are respected; a fault plan
 * replays the same outcomes.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, vi } from 'vitest';
import {
  BulkheadPolicy,
  bulkhead,
  CircuitBreakerPolicy,
  circuitBreaker,
  FallbackPolicy,
  fallback,
  type Policy,
  RetryPolicy,
  retry,
  systemClock,
  TimeoutPolicy,
  timeout,
} from '../../src/index.js';
import {
  arbitraries,
  type FaultPlan,
  faultPlanTask,
  VirtualClock,
} from '../../src/testing/index.js';
import { countingSignal } from '../helpers/common.js';
import { fcParams, observe } from './arbitraries.js';

const realTimers = vi.spyOn(systemClock, 'setTimer');

/**
 * Runs one call of `policy` on a task playing `plan`; if it is still pending once the clock
 * has run out (a hang), the caller aborts. Checks that it settled, that no timer was left on
 * the clock when it settled nor after, no listener on the caller's signal, and no real timer used.
 */
async function settleOne(policy: Policy<unknown>, plan: FaultPlan, clock: VirtualClock) {
  realTimers.mockClear();
  const caller = countingSignal();
  let leftAtSettle: number | undefined;
  const o = observe(
    policy.execute(faultPlanTask(plan, clock), { signal: caller.signal }),
    clock,
    () => {
      leftAtSettle = clock.pending();
    },
  );
  await clock.runAll();
  if (o.status === 'pending') {
    caller.abort(new Error('caller gave up'));
    await clock.runAll();
  }
  expect(o.count).toBe(1);
  expect(leftAtSettle, 'timers left when the call settled').toBe(0);
  expect(clock.pending()).toBe(0);
  expect(caller.listeners()).toBe(0);
  expect(realTimers).not.toHaveBeenCalled();
  return o;
}

const plan = arbitraries.faultPlan({ maxLength: 6, latency: { max: 300 } });

describe('every generated option set builds its policy, and one call settles', () => {
  // One clock per property, so a property's runs (and the seed it prints) do not depend on
  // what another property left on its clock.
  const clocks = {
    retry: new VirtualClock(),
    timeout: new VirtualClock(),
    fallback: new VirtualClock(),
    breaker: new VirtualClock(),
    bulkhead: new VirtualClock(),
    pipeline: new VirtualClock(),
  };

  test.prop([arbitraries.retryOptions({ clock: clocks.retry }), plan], fcParams)(
    'retryOptions() build a retry whose call settles once and leaves nothing behind',
    async (options, p) => {
      expect(options.clock).toBe(clocks.retry);
      await settleOne(retry(options), p, clocks.retry);
    },
  );

  test.prop([arbitraries.timeoutOptions({ clock: clocks.timeout }), plan], fcParams)(
    'timeoutOptions() build a timeout whose call settles by its deadline and leaves nothing behind',
    async (options, p) => {
      const clock = clocks.timeout;
      expect(options.clock).toBe(clock);
      const start = clock.now();
      const o = await settleOne(timeout(options), p, clock);
      // The deadline is `start + after` as the clock computes it: comparing `at - start`
      // with `after` would fail on float rounding once `now()` is fractional.
      expect(o.at!).toBeLessThanOrEqual(start + options.after);
    },
  );

  test.prop([arbitraries.fallbackOptions({ value: 'fallback' }), plan], fcParams)(
    'fallbackOptions() build a fallback whose call settles with the answer or the fallback',
    async (options, p) => {
      const o = await settleOne(fallback(options), p, clocks.fallback);
      // Only a caller abort (a hang) is not fallen back on; call 1 answers 1.
      if (o.status === 'resolved') expect([1, 'fallback']).toContain(o.value);
      else expect(p[0]?.kind).toBe('hang');
    },
  );

  test.prop([arbitraries.breakerOptions({ clock: clocks.breaker }), plan], fcParams)(
    'breakerOptions() build a circuit breaker whose call settles once and leaves nothing behind',
    async (options, p) => {
      const clock = clocks.breaker;
      expect(options.clock).toBe(clock);
      expect(options.wallClock?.()).toBe(clock.now());
      await settleOne(circuitBreaker(options), p, clock);
    },
  );

  test.prop([arbitraries.bulkheadOptions({ clock: clocks.bulkhead }), plan], fcParams)(
    'bulkheadOptions() build a bulkhead whose call settles once and leaves nothing behind',
    async (options, p) => {
      expect(options.clock).toBe(clocks.bulkhead);
      await settleOne(bulkhead(options), p, clocks.bulkhead);
    },
  );

  test.prop(
    [arbitraries.pipeline({ clock: clocks.pipeline, fallback: { value: -1 } }), plan],
    fcParams,
  )(
    'pipeline() gives a pipeline of valid policies on the clock whose call settles once',
    async (policy, p) => {
      await settleOne(policy, p, clocks.pipeline);
    },
  );
});

/** Increasing pairs `[min, max]` within `[low, high]`. */
const rangeArb = (low: number, high: number) =>
  fc
    .tuple(fc.integer({ min: low, max: high }), fc.integer({ min: low, max: high }))
    .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));

/** Delays of `backoff` for attempts 1..8, with `random`. */
function delaysOf(options: { backoff?: unknown; random?: () => number }): (number | undefined)[] {
  const backoff = options.backoff as (input: object) => number | undefined;
  const out: (number | undefined)[] = [];
  let previous: number | undefined;
  for (let attempt = 1; attempt <= 8; attempt++) {
    previous = backoff({ attempt, previous, random: options.random ?? Math.random });
    out.push(previous);
  }
  return out;
}

describe('constraints are respected', () => {
  const clock = new VirtualClock();

  test.prop(
    [
      fc
        .record({ attempts: rangeArb(1, 6), maxDelay: fc.integer({ min: 0, max: 300 }) })
        .chain((c) =>
          arbitraries
            .retryOptions({ maxAttempts: c.attempts, backoff: { maxDelay: c.maxDelay }, clock })
            .map((options) => ({ c, options })),
        ),
    ],
    fcParams,
  )(
    'retryOptions(): maxAttempts in range, every delay <= maxDelay, at most maxAttempts calls',
    async ({ c, options }) => {
      const { min, max } = c.attempts;
      expect(options.maxAttempts).toBeGreaterThanOrEqual(min);
      expect(options.maxAttempts).toBeLessThanOrEqual(max);
      for (const ms of delaysOf(options)) {
        if (ms !== undefined) expect(ms).toBeGreaterThanOrEqual(0);
        if (ms !== undefined) expect(ms).toBeLessThanOrEqual(c.maxDelay);
      }
      let calls = 0;
      const failing = faultPlanTask(Array(10).fill({ kind: 'error', latency: 1 }), clock);
      const call = retry(options).execute(() => {
        calls++;
        return failing();
      });
      const o = observe(call, clock);
      await clock.runAll();
      expect(o.status).toBe('rejected');
      expect(calls).toBeLessThanOrEqual(options.maxAttempts!);
    },
  );

  test.prop(
    [
      fc
        .record({
          after: rangeArb(1, 5_000),
          modes: fc.subarray(['cooperative', 'aggressive'] as const, { minLength: 1 }),
        })
        .chain((c) => arbitraries.timeoutOptions({ ...c, clock }).map((o) => ({ c, o }))),
    ],
    fcParams,
  )('timeoutOptions(): after in range, mode among those allowed', ({ c, o }) => {
    expect(o.after).toBeGreaterThanOrEqual(c.after.min);
    expect(o.after).toBeLessThanOrEqual(c.after.max);
    expect(c.modes).toContain(o.mode);
  });

  test.prop(
    [
      fc
        .record({
          limit: rangeArb(1, 10),
          queue: rangeArb(0, 10),
          queueTimeout: fc.option(rangeArb(1, 100), { nil: false as const }),
        })
        .chain((c) => arbitraries.bulkheadOptions({ ...c, clock }).map((o) => ({ c, o }))),
    ],
    fcParams,
  )(
    'bulkheadOptions(): limit, queue and queueTimeout in range; no queueTimeout when false',
    ({ c, o }) => {
      expect(o.limit).toBeGreaterThanOrEqual(c.limit.min);
      expect(o.limit).toBeLessThanOrEqual(c.limit.max);
      expect(o.queue).toBeGreaterThanOrEqual(c.queue.min);
      expect(o.queue).toBeLessThanOrEqual(c.queue.max);
      if (c.queueTimeout === false) expect(o).not.toHaveProperty('queueTimeout');
      else if (o.queueTimeout !== undefined) {
        expect(o.queueTimeout).toBeGreaterThanOrEqual(c.queueTimeout.min);
        expect(o.queueTimeout).toBeLessThanOrEqual(c.queueTimeout.max);
      }
    },
  );

  const breakerKinds = ['consecutive', 'countWindow', 'timeWindow'] as const;
  const kindOf = { consecutive: 'consecutive', countWindow: 'count', timeWindow: 'time' };
  test.prop(
    [
      fc
        .record({
          kinds: fc.subarray([...breakerKinds], { minLength: 1 }),
          halfOpenAfter: rangeArb(0, 2_000),
          halfOpenProbes: rangeArb(1, 4),
          slowCall: fc.boolean(),
        })
        .chain(({ kinds, ...c }) =>
          arbitraries
            .breakerOptions({ ...c, breaker: { kinds }, clock })
            .map((o) => ({ c, kinds, o })),
        ),
    ],
    fcParams,
  )(
    'breakerOptions(): breaker kind, halfOpenAfter delays, probes and slowCall as constrained',
    ({ c, kinds, o }) => {
      expect(kinds.map((k) => kindOf[k])).toContain(o.breaker!.kind);
      expect(o.halfOpenProbes).toBeGreaterThanOrEqual(c.halfOpenProbes.min);
      expect(o.halfOpenProbes).toBeLessThanOrEqual(c.halfOpenProbes.max);
      const delays =
        typeof o.halfOpenAfter === 'number'
          ? [o.halfOpenAfter]
          : delaysOf({ backoff: o.halfOpenAfter, random: o.random! });
      for (const ms of delays) {
        expect(ms).toBeGreaterThanOrEqual(c.halfOpenAfter.min);
        expect(ms).toBeLessThanOrEqual(c.halfOpenAfter.max);
      }
      if (!c.slowCall || !o.breaker!.ratios) expect(o).not.toHaveProperty('slowCall');
    },
  );

  test.prop(
    [
      fc
        .record({
          forms: fc.subarray(['value', 'function', 'async'] as const, { minLength: 1 }),
        })
        .chain((c) =>
          arbitraries.fallbackOptions({ value: 7, forms: c.forms }).map((o) => ({ c, o })),
        ),
    ],
    fcParams,
  )(
    'fallbackOptions(): `to` takes one of the allowed forms and answers the value',
    async ({ c, o }) => {
      const to = o.to;
      const form =
        typeof to !== 'function'
          ? 'value'
          : to.constructor.name === 'AsyncFunction'
            ? 'async'
            : 'function';
      expect(c.forms).toContain(form);
      expect(await fallback(o).execute(() => Promise.reject(new Error('down')))).toBe(7);
    },
  );

  const faultKinds = ['ok', 'error', 'throw', 'hang'] as const;
  test.prop(
    [
      fc
        .record({
          kinds: fc.subarray([...faultKinds], { minLength: 1 }),
          latency: rangeArb(0, 500),
          minLength: fc.integer({ min: 0, max: 5 }),
          extra: fc.integer({ min: 0, max: 5 }),
        })
        .chain(({ extra, ...c }) =>
          arbitraries
            .faultPlan({ ...c, maxLength: c.minLength + extra })
            .map((p) => ({ c, max: c.minLength + extra, p })),
        ),
    ],
    fcParams,
  )('faultPlan(): length, kinds and latencies as constrained', ({ c, max, p }) => {
    expect(p.length).toBeGreaterThanOrEqual(c.minLength);
    expect(p.length).toBeLessThanOrEqual(max);
    for (const step of p) {
      expect(c.kinds).toContain(step.kind);
      if (step.kind === 'ok' || step.kind === 'error') {
        expect(step.latency).toBeGreaterThanOrEqual(c.latency.min);
        expect(step.latency).toBeLessThanOrEqual(c.latency.max);
      }
    }
  });

  const policyKinds = ['retry', 'timeout', 'fallback', 'circuitBreaker', 'bulkhead'] as const;
  const classOf = {
    retry: RetryPolicy,
    timeout: TimeoutPolicy,
    fallback: FallbackPolicy,
    circuitBreaker: CircuitBreakerPolicy,
    bulkhead: BulkheadPolicy,
  };
  test.prop(
    [
      fc
        .record({
          kinds: fc.subarray([...policyKinds], { minLength: 1 }),
          minLength: fc.integer({ min: 0, max: 3 }),
          extra: fc.integer({ min: 0, max: 3 }),
        })
        .chain(({ extra, ...c }) =>
          arbitraries
            .pipeline({ ...c, maxLength: c.minLength + extra, fallback: { value: 0 }, clock })
            .map((policy) => ({ c, max: c.minLength + extra, policy })),
        ),
    ],
    fcParams,
  )('pipeline(): length and policy kinds as constrained', ({ c, max, policy }) => {
    expect(policy.policies.length).toBeGreaterThanOrEqual(c.minLength);
    expect(policy.policies.length).toBeLessThanOrEqual(max);
    for (const p of policy.policies) {
      expect(c.kinds.some((k) => p instanceof classOf[k])).toBe(true);
    }
  });
});

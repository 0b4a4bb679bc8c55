/**
 * Every policy as plain data, for the properties that must hold for all of them: retry,
 * timeout (both modes), fallback, circuitBreaker (each breaker kind), bulkhead and the five
 * chaos injectors. `buildPolicies` turns a list of specs into a pipeline on one VirtualClock,
 * exposing every event, the timers the policies set, and the breakers and bulkheads to
 * inspect for leaks. Every random draw is seeded, so one spec list always behaves the same.
 */
import { fc } from '@fast-check/vitest';
import {
  every,
  type InjectorPolicy,
  injectBehavior,
  injectFault,
  injectHang,
  injectLatency,
  injectOutcome,
  rate,
  type Trigger,
} from '../../src/chaos/index.js';
import {
  type Breaker,
  type BulkheadPolicy,
  bulkhead,
  type CircuitBreakerPolicy,
  circuitBreaker,
  consecutive,
  countWindow,
  type ExecuteContext,
  fallback,
  type Policy,
  pipeline,
  retry,
  timeout,
  timeWindow,
} from '../../src/index.js';
import type { VirtualClock } from '../../src/testing/index.js';
import {
  type AnyEvent,
  countingClock,
  FatalError,
  isBadResult,
  type PolicySpec,
  policySpecArb,
  RetryableError,
  retryTimingOptions,
  type WhenSpec,
  whenOption,
} from './arbitraries.js';

const breakerKindArb = fc.oneof(
  fc.record({
    kind: fc.constant('consecutive' as const),
    threshold: fc.integer({ min: 1, max: 3 }),
  }),
  fc.integer({ min: 1, max: 4 }).chain((size) =>
    fc.record({
      kind: fc.constant('count' as const),
      size: fc.constant(size),
      failureRatio: fc.constantFrom(0.25, 0.5, 1),
      minThroughput: fc.integer({ min: 1, max: size }),
    }),
  ),
  fc.record({
    kind: fc.constant('time' as const),
    duration: fc.constantFrom(40, 100),
    buckets: fc.constantFrom(1, 4),
    failureRatio: fc.constantFrom(0.25, 0.5, 1),
    minThroughput: fc.integer({ min: 1, max: 3 }),
  }),
);

export const breakerSpecArb = fc.record({
  kind: fc.constant('breaker' as const),
  breaker: breakerKindArb,
  halfOpenAfter: fc.constantFrom(0, 5, 30, 200),
  halfOpenProbes: fc.integer({ min: 1, max: 2 }),
  when: fc.constantFrom<WhenSpec>('all', 'all', 'class'),
  whenResult: fc.boolean(),
  slowCall: fc.option(fc.constantFrom(10, 40), { nil: undefined }),
});

export const bulkheadSpecArb = fc.record({
  kind: fc.constant('bulkhead' as const),
  limit: fc.integer({ min: 1, max: 2 }),
  queue: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(Number.POSITIVE_INFINITY)),
  queueTimeout: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
});

export const injectorSpecArb = fc.record({
  kind: fc.constant('injector' as const),
  injector: fc.constantFrom('fault', 'latency', 'outcome', 'hang', 'behavior'),
  trigger: fc.oneof(
    fc.constant({ kind: 'always' as const }),
    fc.record({ kind: fc.constant('rate' as const), p: fc.constantFrom(0.25, 0.5, 0.75) }),
    fc.record({ kind: fc.constant('every' as const), n: fc.integer({ min: 1, max: 3 }) }),
  ),
  seed: fc.integer(),
  delay: fc.constantFrom(0, 0, 3, 20, 80),
  async: fc.boolean(), // behavior: an async side effect; outcome: an async value
});

export type BreakerSpec = typeof breakerSpecArb extends fc.Arbitrary<infer T> ? T : never;
export type BulkheadSpec = typeof bulkheadSpecArb extends fc.Arbitrary<infer T> ? T : never;
export type InjectorSpec = typeof injectorSpecArb extends fc.Arbitrary<infer T> ? T : never;
export type AnySpec = PolicySpec | BreakerSpec | BulkheadSpec | InjectorSpec;

/** Any policy of the library, the three of arbitraries.ts included. */
export const anySpecArb: fc.Arbitrary<AnySpec> = fc.oneof(
  { arbitrary: policySpecArb, weight: 3 },
  { arbitrary: breakerSpecArb, weight: 2 },
  { arbitrary: bulkheadSpecArb, weight: 1 },
  { arbitrary: injectorSpecArb, weight: 2 },
);

/** Outermost first; empty runs the task as is. */
export const anyPipelineArb = fc.array(anySpecArb, { maxLength: 4 });

function breakerOf(spec: BreakerSpec['breaker']): Breaker {
  if (spec.kind === 'consecutive') return consecutive(spec.threshold);
  const { failureRatio, minThroughput } = spec;
  if (spec.kind === 'count') return countWindow({ size: spec.size, failureRatio, minThroughput });
  return timeWindow({
    duration: spec.duration,
    buckets: spec.buckets,
    failureRatio,
    minThroughput,
  });
}

function triggerOf(spec: InjectorSpec['trigger']): { when?: Trigger } {
  if (spec.kind === 'always') return {};
  return { when: spec.kind === 'rate' ? rate(spec.p) : every(spec.n) };
}

/** What `buildPolicies` gives: the pipeline and what to inspect around it. */
export interface Built {
  readonly policy: Policy<unknown>;
  /** Every event of every policy, named `'<index>.<event>'`. */
  readonly events: [string, AnyEvent][];
  /** Timers the policies set (sleeps, deadlines, queue timeouts) not yet fired or cancelled. */
  readonly policyTimers: () => number;
  readonly breakers: CircuitBreakerPolicy[];
  readonly bulkheads: BulkheadPolicy[];
  readonly injectors: InjectorPolicy[];
  /** Work a policy started for a call its caller (or a timeout) had already aborted. */
  readonly problems: string[];
}

/**
 * Builds the pipeline of `specs` on `clock`. The functions the policies call back (fallback
 * answers, injected errors, values, delays and side effects) note in `problems` when they run
 * for a call whose signal has already aborted: no policy may start work for such a call.
 */
export function buildPolicies(specs: readonly AnySpec[], clock: VirtualClock): Built {
  const policyClock = countingClock(clock);
  const built: Built = {
    policy: undefined as never,
    events: [],
    policyTimers: policyClock.live,
    breakers: [],
    bulkheads: [],
    injectors: [],
    problems: [],
  };
  const add = (i: number, names: readonly string[], policy: object): void => {
    for (const name of names) {
      built.events.push([`${i}.${name}`, (policy as Record<string, AnyEvent>)[name]!]);
    }
  };
  const live = (i: number, what: string, ctx: ExecuteContext): void => {
    if (ctx.signal.aborted) built.problems.push(`${i}: ${what} ran for an aborted call`);
  };
  const policies = specs.map((spec, i): Policy<unknown> => {
    switch (spec.kind) {
      case 'retry': {
        const policy = retry({
          maxAttempts: spec.maxAttempts,
          ...retryTimingOptions(spec.backoff),
          ...whenOption(spec.when),
          ...(spec.whenResult ? { whenResult: isBadResult } : {}),
          clock: policyClock,
        });
        add(i, ['onRetry', 'onGiveUp', 'onSuccess', 'onFailure'], policy);
        return policy;
      }
      case 'timeout': {
        const policy = timeout({ after: spec.after, mode: spec.mode, clock: policyClock });
        add(i, ['onTimeout'], policy);
        return policy;
      }
      case 'fallback': {
        const policy = fallback<number>({
          to: (_error, ctx) => {
            live(i, 'the fallback', ctx);
            if (spec.to === 'value') return 100;
            if (spec.to === 'async') return Promise.resolve(101);
            return Promise.reject(new FatalError('fallback threw'));
          },
          ...whenOption(spec.when),
          ...(spec.whenResult ? { whenResult: isBadResult } : {}),
        });
        add(i, ['onFallback'], policy);
        return policy;
      }
      case 'breaker': {
        const policy = circuitBreaker({
          breaker: breakerOf(spec.breaker),
          halfOpenAfter: spec.halfOpenAfter,
          halfOpenProbes: spec.halfOpenProbes,
          ...(spec.when === 'class' ? { when: RetryableError } : {}),
          ...(spec.whenResult ? { whenResult: isBadResult } : {}),
          ...(spec.slowCall !== undefined && spec.breaker.kind !== 'consecutive'
            ? { slowCall: { threshold: spec.slowCall, ratio: 0.5 } }
            : {}),
          clock: policyClock,
        });
        built.breakers.push(policy);
        const names = ['onBreak', 'onHalfOpen', 'onReset', 'onStateChange', 'onReject'];
        add(i, [...names, 'onSuccess', 'onFailure'], policy);
        return policy;
      }
      case 'bulkhead': {
        const policy = bulkhead({
          limit: spec.limit,
          queue: spec.queue,
          ...(spec.queueTimeout === undefined ? {} : { queueTimeout: spec.queueTimeout }),
          clock: policyClock,
        });
        built.bulkheads.push(policy);
        add(i, ['onReject', 'onSuccess', 'onFailure'], policy);
        return policy;
      }
      default: {
        const common = { name: `chaos${i}`, seed: spec.seed, clock: policyClock };
        const options = { ...common, ...triggerOf(spec.trigger) };
        const policy = makeInjector(spec, options, (what, ctx) => live(i, what, ctx));
        built.injectors.push(policy as InjectorPolicy);
        add(i, ['onInject'], policy);
        return policy;
      }
    }
  });
  return Object.assign(built, { policy: pipeline(...policies) });
}

function makeInjector(
  spec: InjectorSpec,
  options: { name: string; seed: number; clock: VirtualClock | ReturnType<typeof countingClock> },
  live: (what: string, ctx: ExecuteContext) => void,
): Policy<unknown> & { onInject: AnyEvent } {
  switch (spec.injector) {
    case 'fault':
      return injectFault({
        ...options,
        error: (ctx) => {
          live('injectFault.error', ctx);
          return new RetryableError(`injected ${ctx.call}`);
        },
      });
    case 'latency':
      return injectLatency({
        ...options,
        delay: (ctx) => {
          live('injectLatency.delay', ctx);
          return spec.delay;
        },
      });
    case 'outcome':
      return injectOutcome<number>({
        ...options,
        value: (ctx) => {
          live('injectOutcome.value', ctx);
          return spec.async ? Promise.resolve(-1) : -1; // a "bad result" for whenResult
        },
      });
    case 'hang':
      return injectHang(options);
    case 'behavior':
      return injectBehavior({
        ...options,
        run: (ctx) => {
          live('injectBehavior.run', ctx);
          return spec.async ? Promise.resolve() : undefined;
        },
      });
  }
  throw new Error(`unknown injector ${String(spec.injector)}`);
}

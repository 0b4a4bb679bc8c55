/**
 * The fused lane of `pipeline` (src/core/fused.ts) must be invisible: a pipeline whose layers
 * all fuse behaves exactly as the same layers chained one promise each. The chained run is
 * forced by adding a pass-through policy that cannot fuse.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, vi } from 'vitest';
import type { CallContext } from '../../src/core/context.js';
import { type Chain, callNext, PolicyBase } from '../../src/core/policy.js';
import {
  bulkhead,
  circuitBreaker,
  consecutive,
  constant,
  countWindow,
  fallback,
  type Policy,
  pipeline,
  retry,
  type Task,
  type TimeoutMode,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import {
  anyStepArb,
  fcParams,
  isBadResult,
  observe,
  RetryableError,
  type Step,
  scriptedTask,
} from './arbitraries.js';

/** Runs the rest of the chain untouched; it has no fused form, so the pipeline chains. */
class PassThrough extends PolicyBase {
  invoke<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
    return callNext(task, ctx, next);
  }
}

const layerArb = fc.oneof(
  fc.record({
    kind: fc.constant('retry' as const),
    maxAttempts: fc.integer({ min: 1, max: 4 }),
    delay: fc.constantFrom(0, 0, 10),
    onlyRetryable: fc.boolean(),
    whenResult: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('timeout' as const),
    after: fc.integer({ min: 1, max: 200 }),
    mode: fc.constantFrom<TimeoutMode>('cooperative', 'cooperative', 'aggressive'),
  }),
  fc.record({
    kind: fc.constant('fallback' as const),
    onlyRetryable: fc.boolean(),
    whenResult: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('breaker' as const),
    window: fc.constantFrom('consecutive' as const, 'count' as const),
    threshold: fc.integer({ min: 1, max: 3 }),
    halfOpenAfter: fc.integer({ min: 1, max: 100 }),
  }),
  fc.record({
    kind: fc.constant('bulkhead' as const),
    limit: fc.integer({ min: 1, max: 2 }),
    queue: fc.integer({ min: 0, max: 2 }),
  }),
);
type Layer = typeof layerArb extends fc.Arbitrary<infer L> ? L : never;

const scenarioArb = fc.record({
  layers: fc.array(layerArb, { minLength: 2, maxLength: 5 }),
  steps: fc.array(anyStepArb, { minLength: 1, maxLength: 10 }),
  rest: anyStepArb as fc.Arbitrary<Step>,
  /** Start time of each call (virtual ms). */
  starts: fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 4 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

const onlyRetryable = (error: unknown): boolean => error instanceof RetryableError;

function describeThing(thing: unknown): string {
  if (thing instanceof Error) return `${thing.name}(${thing.message})`;
  return typeof thing === 'string' ? JSON.stringify(thing) : String(thing);
}

function build(layers: readonly Layer[], clock: VirtualClock, log: string[]): Policy<unknown>[] {
  return layers.map((layer, i): Policy<unknown> => {
    const note = (name: string) => (payload: unknown) => {
      const p = payload as { reason?: unknown; attempt?: unknown; delay?: unknown } | undefined;
      log.push(`${clock.now()} ${i}.${name} ${String(p?.reason ?? p?.attempt ?? '')}`);
    };
    switch (layer.kind) {
      case 'retry': {
        const policy = retry({
          maxAttempts: layer.maxAttempts,
          backoff: constant(layer.delay),
          clock,
          ...(layer.onlyRetryable ? { when: onlyRetryable } : {}),
          ...(layer.whenResult ? { whenResult: isBadResult } : {}),
        });
        policy.onRetry(note('onRetry'));
        policy.onGiveUp(note('onGiveUp'));
        return policy;
      }
      case 'timeout': {
        const policy = timeout({ after: layer.after, mode: layer.mode, clock });
        policy.onTimeout(note('onTimeout'));
        return policy;
      }
      case 'fallback': {
        const policy = fallback({
          to: 100,
          ...(layer.onlyRetryable ? { when: onlyRetryable } : {}),
          ...(layer.whenResult ? { whenResult: isBadResult } : {}),
        });
        policy.onFallback(note('onFallback'));
        return policy;
      }
      case 'breaker': {
        const policy = circuitBreaker({
          breaker:
            layer.window === 'consecutive'
              ? consecutive(layer.threshold)
              : countWindow({ size: 4, minThroughput: layer.threshold, failureRatio: 0.5 }),
          halfOpenAfter: layer.halfOpenAfter,
          clock,
        });
        policy.onStateChange(({ from, to }) => log.push(`${clock.now()} ${i}.${from}->${to}`));
        policy.onReject(note('onReject'));
        return policy;
      }
      default: {
        const policy = bulkhead({ limit: layer.limit, queue: layer.queue, clock });
        policy.onReject(note('onReject'));
        return policy;
      }
    }
  });
}

async function run(s: Scenario, chained: boolean) {
  const clock = new VirtualClock();
  const log: string[] = [];
  const policies = build(s.layers, clock, log);
  const policy = chained ? pipeline(...policies, new PassThrough()) : pipeline(...policies);
  const script = scriptedTask(s.steps, clock, s.rest);
  const calls = [...s.starts]
    .sort((a, b) => a - b)
    .map((at) => {
      const controller = new AbortController();
      const started = clock
        .advanceTo(at)
        .then(() => observe(policy.execute(script.task, { signal: controller.signal }), clock));
      return { controller, started };
    });
  // Calls start in order; each `advanceTo` waits for the previous one.
  const observed = [];
  for (const call of calls) observed.push(await call.started);
  await clock.runAll();
  // Hanging tasks: the caller gives up, so every run ends settled.
  for (const call of calls) call.controller.abort(new Error('caller gave up'));
  await clock.runAll();
  return {
    outcomes: observed.map((o) => `${o.count} ${o.status} ${describeThing(o.value)} at ${o.at}`),
    times: script.times,
    attempts: script.attempts,
    log: [...log].sort(),
    pending: clock.pending(),
  };
}

describe('fused pipeline', () => {
  test.prop([scenarioArb], fcParams)(
    'a pipeline that fuses its layers gives the same outcomes, timings, task calls and events as the same layers chained, and leaves no timer behind',
    async (s) => {
      const fused = await run(s, false);
      const chained = await run(s, true);
      expect(fused).toEqual(chained);
      expect(fused.pending).toBe(0);
    },
  );
});

describe('fused lane is taken', () => {
  test('a pipeline of fusable layers admits a call through every layer synchronously', async () => {
    const clock = new VirtualClock();
    const layers = [
      fallback({ to: 0 }),
      bulkhead({ limit: 1 }),
      retry({ maxAttempts: 2, clock }),
      circuitBreaker({ breaker: consecutive(2), clock }),
      timeout({ after: 100, clock }),
    ];
    const spies = layers.map((layer) => vi.spyOn(layer, 'fuseEnter'));
    await expect(pipeline(...layers).execute(() => 7)).resolves.toBe(7);
    for (const spy of spies) expect(spy).toHaveBeenCalledTimes(1);
    // A layer that cannot fuse (an aggressive timeout) sends the call down the chain instead.
    const aggressive = timeout({ after: 100, mode: 'aggressive', clock });
    const mixed = [bulkhead({ limit: 1 }), aggressive];
    const spy = vi.spyOn(mixed[0] as ReturnType<typeof bulkhead>, 'fuseEnter');
    await expect(pipeline(...mixed).execute(() => 8)).resolves.toBe(8);
    expect(spy).not.toHaveBeenCalled();
    expect(clock.pending()).toBe(0);
  });

  test('the same policy twice in one pipeline is never fused (one slot would be taken twice)', async () => {
    const shared = bulkhead({ limit: 1 });
    const spy = vi.spyOn(shared, 'fuseEnter');
    // Chained, the inner use of the same bulkhead finds its only slot taken and rejects.
    await expect(pipeline(shared, shared).execute(() => 1)).rejects.toMatchObject({
      code: 'ERR_BULKHEAD_FULL',
    });
    expect(spy).not.toHaveBeenCalled();
  });
});

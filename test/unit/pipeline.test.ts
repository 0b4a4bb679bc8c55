import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CallContext } from '../../src/core/context.js';
import { type Chain, PolicyBase, runNext, type Task } from '../../src/core/policy.js';
import {
  constant,
  fallback,
  isTimeoutError,
  Pipeline,
  pipeline,
  retry,
  timeout,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { never, thrownBy, track, untilAborted } from '../helpers/common.js';

/** A policy that logs `enter <name>` / `exit <name>` (with the attempt) around the rest. */
class Recorder extends PolicyBase {
  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {
    super();
  }
  async invoke<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
    this.log.push(`enter ${this.name}`);
    try {
      return await runNext(task, ctx, next);
    } finally {
      this.log.push(`exit ${this.name}`);
    }
  }
}

describe('pipeline order', () => {
  it('runs the first policy outermost', async () => {
    const log: string[] = [];
    const policy = pipeline(new Recorder('a', log), new Recorder('b', log), new Recorder('c', log));
    const result = await policy.execute(() => {
      log.push('task');
      return 7;
    });
    expect(result).toBe(7);
    expect(log).toEqual(['enter a', 'enter b', 'enter c', 'task', 'exit c', 'exit b', 'exit a']);
  });

  it('flattens nested pipelines, keeping the order', async () => {
    const log: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => new Recorder(n, log));
    const policy = pipeline(pipeline(a!, b!), pipeline(pipeline(c!)), pipeline(), d!);
    expect(policy).toBeInstanceOf(Pipeline);
    expect(policy.policies).toHaveLength(4);
    expect(policy.policies).toEqual([a, b, c, d]);
    expect(Object.isFrozen(policy.policies)).toBe(true);
    await policy.execute(() => log.push('task'));
    expect(log.filter((l) => l.startsWith('enter'))).toEqual([
      'enter a',
      'enter b',
      'enter c',
      'enter d',
    ]);
  });

  it('lets one policy instance serve two pipelines in different positions', async () => {
    const log: string[] = [];
    const a = new Recorder('a', log);
    const b = new Recorder('b', log);
    await pipeline(a, b).execute(() => log.push('task'));
    await pipeline(b, a).execute(() => log.push('task'));
    expect(log).toEqual([
      ...['enter a', 'enter b', 'task', 'exit b', 'exit a'],
      ...['enter b', 'enter a', 'task', 'exit a', 'exit b'],
    ]);
  });

  it('lets one timeout serve two pipelines at once, each call with its own deadline', async () => {
    const clock = new VirtualClock();
    const t = timeout({ after: 100, mode: 'aggressive', clock });
    const fired: number[] = [];
    t.onTimeout(() => fired.push(clock.now()));
    const p1 = pipeline(fallback({ to: 'fb' }), t);
    const p2 = pipeline(t);
    const c1 = track(p1.execute(() => never()));
    await clock.advance(40);
    const c2 = track(p2.execute(() => never()));
    await clock.advance(60);
    expect(c1.result).toEqual({ state: 'resolved', value: 'fb' });
    expect(c2.state).toBe('pending');
    await clock.advance(40);
    expect(c2.state).toBe('rejected');
    expect(fired).toEqual([100, 140]);
    expect(clock.pending()).toBe(0);
  });
});

describe('pipeline with retry and timeout', () => {
  it('retry outside timeout: each attempt gets its own deadline', async () => {
    const clock = new VirtualClock();
    const starts: number[] = [];
    const policy = pipeline(
      retry({ maxAttempts: 3, backoff: constant(10), clock }),
      timeout({ after: 100, clock }),
    );
    const call = track(
      policy.execute(({ signal, attempt }) => {
        starts.push(clock.now());
        expect(attempt).toBe(starts.length);
        return untilAborted(signal);
      }),
    );
    await clock.advance(319);
    expect(call.state).toBe('pending');
    await clock.advance(1);
    expect(starts).toEqual([0, 110, 220]);
    await expect(call.promise).rejects.toSatisfy(isTimeoutError);
    expect(clock.pending()).toBe(0);
  });

  it('timeout outside retry: one deadline for all attempts, ending the sleep', async () => {
    const clock = new VirtualClock();
    const starts: number[] = [];
    const policy = pipeline(
      timeout({ after: 250, clock }),
      retry({ maxAttempts: 10, backoff: constant(100), clock }),
    );
    const call = track(
      policy.execute(() => {
        starts.push(clock.now());
        throw new Error('down');
      }),
    );
    await clock.advance(249);
    expect(call.state).toBe('pending');
    expect(clock.pending()).toBe(2); // the deadline and retry's sleep
    await clock.advance(1);
    expect(call.state).toBe('rejected');
    await expect(call.promise).rejects.toSatisfy(isTimeoutError);
    expect(starts).toEqual([0, 100, 200]);
    expect(clock.pending()).toBe(0);
  });

  it('an outer fallback answers after the inner pipeline gave up', async () => {
    const clock = new VirtualClock();
    const policy = pipeline(
      fallback({ to: (error) => (isTimeoutError(error) ? 'timed out' : 'other') }),
      retry({ maxAttempts: 2, backoff: constant(5), clock }),
      timeout({ after: 20, mode: 'aggressive', clock }),
    );
    const call = track(policy.execute(() => never()));
    await clock.advance(45);
    expect(call.result).toEqual({ state: 'resolved', value: 'timed out' });
  });
});

describe('empty pipeline and arguments', () => {
  it('runs the task as is', async () => {
    const policy = pipeline();
    expect(policy.policies).toHaveLength(0);
    await expect(policy.execute(() => 'v')).resolves.toBe('v');
    await expect(policy.execute(async ({ attempt }) => attempt)).resolves.toBe(1);
  });

  it('turns a synchronous throw into a rejected promise', async () => {
    const boom = new Error('sync');
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = pipeline().execute(() => {
        throw boom;
      });
    }).not.toThrow();
    await expect(result).rejects.toBe(boom);
  });

  it("honours the caller's signal", async () => {
    const caller = new AbortController();
    const call = track(pipeline().execute(() => never(), { signal: caller.signal }));
    caller.abort('bye');
    await expect(call.promise).rejects.toBe('bye');
  });

  it('wraps a function', async () => {
    const add = pipeline(retry({ maxAttempts: 1 })).wrap((a: number, b: number) => a + b);
    await expect(add(2, 3)).resolves.toBe(5);
  });

  it.each([
    [[42], 'pipeline: argument 0 must be a breakwater policy, got 42'],
    [[retry(), null], 'pipeline: argument 1 must be a breakwater policy, got null'],
    [
      [retry(), timeout({ after: 1 }), {}],
      'pipeline: argument 2 must be a breakwater policy, got an object',
    ],
    [[() => 1], 'pipeline: argument 0 must be a breakwater policy, got a function'],
    [[{ execute: () => 1 }], 'pipeline: argument 0 must be a breakwater policy, got an object'],
  ])('rejects non-policies: %o', (args, message) => {
    const error = thrownBy(() => pipeline(...(args as never[])));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(message);
  });
});

describe('pipeline types', () => {
  it("includes a fallback's answer type in the result type", async () => {
    const policy = pipeline(fallback({ to: 'x' as const }), retry({ maxAttempts: 1 }));
    const call = policy.execute(() => 1);
    expectTypeOf(call).resolves.toEqualTypeOf<number | 'x'>();
    await expect(call).resolves.toBe(1);
    expectTypeOf(policy.wrap((s: string) => s.length)).returns.resolves.toEqualTypeOf<
      number | 'x'
    >();
    const nested = pipeline(pipeline(fallback({ to: 0 })), retry());
    expectTypeOf(nested.execute(() => 'v')).resolves.toEqualTypeOf<string | number>();
  });

  it("keeps the task's result type when no fallback is present", () => {
    expectTypeOf(fallback({ to: 'x' as const }).execute(() => 1)).resolves.toEqualTypeOf<
      number | 'x'
    >();
    const plain = pipeline(retry(), timeout({ after: 1_000 }));
    expectTypeOf(plain.execute(() => 'v')).resolves.toEqualTypeOf<string>();
    expectTypeOf(pipeline().execute(() => 'v')).resolves.toEqualTypeOf<string>();
  });
});

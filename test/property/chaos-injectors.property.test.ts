import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  any,
  burst,
  every,
  firstN,
  flapping,
  type InjectEvent,
  type InjectorOptions,
  type InjectorPolicy,
  injectBehavior,
  injectFault,
  injectHang,
  injectLatency,
  injectOutcome,
  rate,
  type Trigger,
} from '../../src/chaos/index.js';
import { type Policy, pipeline, timeout } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, track } from '../helpers/common.js';
import { fcParams, observe } from './arbitraries.js';

type Kind = 'fault' | 'latency' | 'outcome' | 'hang' | 'behavior';
const kindArb = fc.constantFrom<Kind>('fault', 'latency', 'outcome', 'hang', 'behavior');

/** A trigger spec: made fresh per run from plain data, so fast-check can print it. */
const triggerArb = fc.oneof(
  fc.record({ kind: fc.constant('always' as const) }),
  fc.record({ kind: fc.constant('rate' as const), p: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('every' as const), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('burst' as const), every: fc.constant(4), length: fc.constant(2) }),
  fc.record({ kind: fc.constant('mixed' as const), p: fc.double({ min: 0, max: 1, noNaN: true }) }),
);
type TriggerSpec = typeof triggerArb extends fc.Arbitrary<infer T> ? T : never;

function trigger(spec: TriggerSpec): Trigger | undefined {
  switch (spec.kind) {
    case 'always':
      return undefined;
    case 'rate':
      return rate(spec.p);
    case 'every':
      return every(spec.n);
    case 'burst':
      return burst({ every: spec.every, length: spec.length });
    case 'mixed': // short-circuits: rate draws only on calls firstN lets through
      return any(firstN(2), rate(spec.p), flapping({ up: 30, down: 10 }));
  }
}

function injector(kind: Kind, options: InjectorOptions): InjectorPolicy<InjectEvent, unknown> {
  switch (kind) {
    case 'fault':
      return injectFault(options);
    case 'latency':
      return injectLatency({ ...options, delay: 5 });
    case 'outcome':
      return injectOutcome({ ...options, value: -1 });
    case 'hang':
      return injectHang(options);
    case 'behavior':
      return injectBehavior({ ...options, run: () => {} });
  }
}

describe('disabled injectors', () => {
  test.prop([kindArb, triggerArb, fc.integer({ min: 0, max: 30 }), fc.integer()], fcParams)(
    'a disabled injector never fires: every call reaches the task, nothing is counted or drawn',
    async (kind, spec, n, seed) => {
      const clock = new VirtualClock();
      let draws = 0;
      const random = (): number => {
        draws++;
        return 0;
      };
      const when = trigger(spec);
      const policy = injector(kind, { clock, random, enabled: false, ...(when && { when }) });
      let fired = 0;
      policy.onInject(() => fired++);
      let called = 0;
      for (let i = 0; i < n; i++) {
        await expect(policy.execute(() => ++called + seed)).resolves.toBe(i + 1 + seed);
      }
      expect([called, fired, draws, clock.pending()]).toEqual([n, 0, 0, 0]);
      expect(policy.stats).toEqual({ calls: 0, injected: 0 });
    },
  );
});

describe('determinism', () => {
  /** Runs `n` calls, `step` ms apart, through `policy`; the injected calls of `watched`. */
  async function history(
    build: (clock: VirtualClock) => {
      policy: Policy<unknown>;
      watched: InjectorPolicy<InjectEvent, unknown>;
    },
    n: number,
    step: number,
  ): Promise<{ calls: number[]; outcomes: unknown[] }> {
    const clock = new VirtualClock();
    const { policy, watched } = build(clock);
    const calls: number[] = [];
    watched.onInject(({ call }) => calls.push(call));
    const outcomes: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const call = track(policy.execute(() => i));
      await clock.advance(step);
      outcomes.push(call.result);
    }
    await clock.runAll();
    return { calls, outcomes };
  }

  const seedArb = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }));
  test.prop(
    [
      seedArb,
      fc.constantFrom<Kind>('fault', 'latency', 'outcome', 'behavior'),
      triggerArb,
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 20 }),
    ],
    fcParams,
  )(
    'same seed, same calls ⇒ identical injected history; another, differently named injector around or inside it changes nothing',
    async (seed, kind, spec, n, step) => {
      const make = (clock: VirtualClock) =>
        injector(kind, { name: 'subject', seed, clock, ...optionalWhen(spec) });
      const alone = await history(
        (clock) => {
          const watched = make(clock);
          return { policy: watched, watched };
        },
        n,
        step,
      );
      const again = await history(
        (clock) => {
          const watched = make(clock);
          return { policy: watched, watched };
        },
        n,
        step,
      );
      expect(again).toEqual(alone);
      // Another seeded injector outside (it delays but lets every call through) and one inside.
      const crowded = await history(
        (clock) => {
          const watched = make(clock);
          const outer = injectBehavior({
            name: 'outer',
            seed,
            when: rate(0.5),
            run: () => {},
            clock,
          });
          const inner = injectFault({ name: 'inner', seed, when: rate(0.5), clock });
          return { policy: pipeline(outer, watched, inner), watched };
        },
        n,
        step,
      );
      expect(crowded.calls).toEqual(alone.calls);
    },
  );
});

function optionalWhen(spec: TriggerSpec): { when?: Trigger } {
  const when = trigger(spec);
  return when === undefined ? {} : { when };
}

describe('injectHang', () => {
  test.prop(
    [
      fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }), // caller aborts at
      fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }), // timeout after
      fc.constantFrom('cooperative' as const, 'aggressive' as const),
      fc.integer({ min: 0, max: 100 }), // latency before the hang
    ],
    fcParams,
  )(
    'an injected hang always ends when the call aborts, with its reason, leaving no timer or listener',
    async (abortAt, after, mode, delay) => {
      fc.pre(abortAt !== undefined || after !== undefined);
      const clock = new VirtualClock();
      const layers: Policy<unknown>[] = [];
      if (after !== undefined) layers.push(timeout({ after, mode, clock }));
      layers.push(injectLatency({ delay, clock }), injectHang({ clock }));
      const caller = countingSignal();
      let called = 0;
      const reason = new Error('caller aborted');
      const aborter =
        abortAt === undefined ? undefined : clock.setTimer(() => caller.abort(reason), abortAt);
      const call = observe(
        pipeline(...layers).execute(() => ++called, { signal: caller.signal }),
        clock,
        () => aborter?.cancel(), // the test's own timer, not needed once the call settled
      );
      await clock.runAll();
      const end = Math.min(abortAt ?? Number.POSITIVE_INFINITY, after ?? Number.POSITIVE_INFINITY);
      expect([call.count, call.status, call.at]).toEqual([1, 'rejected', end]);
      const rejection = call.value;
      // At equal times the caller wins: its timer was set first.
      if (abortAt !== undefined && abortAt <= (after ?? Number.POSITIVE_INFINITY)) {
        expect(rejection).toBe(reason);
      } else {
        expect(rejection).toMatchObject({ name: 'TimeoutError', after });
      }
      expect([called, clock.pending(), caller.listeners()]).toEqual([0, 0, 0]);
    },
  );
});

/**
 * Fault plans from `breakwater/testing`: a task or an `injectBehavior` injector plays each
 * step as written, at its latency on the clock, and the same plan (and the same generated
 * pipeline) replays the same outcomes at the same times.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { injectBehavior, isInjectedFaultError } from '../../src/chaos/index.js';
import {
  exponential,
  fallback,
  type Policy,
  pipeline,
  type RetryOptions,
  retry,
  timeout,
} from '../../src/index.js';
import {
  arbitraries,
  type FaultPlan,
  faultPlanBehavior,
  faultPlanTask,
  seededRandom,
  VirtualClock,
} from '../../src/testing/index.js';
import { countingSignal } from '../helpers/common.js';
import { fcParams, observe } from './arbitraries.js';

const plan = arbitraries.faultPlan({ maxLength: 8, latency: { max: 200 } });

/** What a settled (or still pending) call gave, as comparable text. */
function text(o: ReturnType<typeof observe>): string {
  if (o.status === 'pending') return 'pending';
  const v = o.value;
  const shown = v instanceof Error ? `${v.name}: ${v.message}` : JSON.stringify(v);
  return `${o.status} ${shown} at ${o.at}`;
}

/** What `step` must produce for call `n` started at `start`, as {@link text} renders it. */
function expected(step: FaultPlan[number] | undefined, n: number, start: number): string {
  const failed = `rejected InjectedFaultError: Fault plan: call ${n} failed`;
  if (step === undefined) return `resolved ${n} at ${start}`;
  if (step.kind === 'throw') return `${failed} at ${start}`;
  if (step.kind === 'hang') return 'pending';
  const at = start + step.latency;
  return step.kind === 'ok' ? `resolved ${n} at ${at}` : `${failed} at ${at}`;
}

describe('faultPlanTask', () => {
  test.prop([plan, fc.integer({ min: 0, max: 3 })], fcParams)(
    'call n of faultPlanTask does what plan[n - 1] says, at its latency; a hang ends when its signal aborts',
    async (p, extra) => {
      const clock = new VirtualClock();
      const task = faultPlanTask(p, clock);
      for (let n = 1; n <= p.length + extra; n++) {
        const caller = countingSignal();
        const start = clock.now();
        let call: Promise<number>;
        try {
          call = Promise.resolve(task({ signal: caller.signal }));
        } catch (error) {
          call = Promise.reject(error);
          expect(p[n - 1]?.kind).toBe('throw');
        }
        const o = observe(call, clock);
        await clock.runAll();
        expect(text(o)).toBe(expected(p[n - 1], n, start));
        if (o.status === 'pending') {
          const reason = new Error('aborted');
          caller.abort(reason);
          await clock.flush();
          expect(o.value).toBe(reason);
        }
        expect(clock.pending()).toBe(0);
        expect(caller.listeners()).toBe(0);
      }
    },
  );
});

describe('faultPlanBehavior', () => {
  test.prop([plan], fcParams)(
    'an injectBehavior injector playing a plan runs the task only on ok steps, after their latency',
    async (p) => {
      const clock = new VirtualClock();
      const injector = injectBehavior({ name: 'plan', run: faultPlanBehavior(p, clock), clock });
      for (let n = 1; n <= p.length + 1; n++) {
        const caller = countingSignal();
        const start = clock.now();
        let ran: number | undefined;
        const call = injector.execute(
          () => {
            ran = clock.now();
            return n;
          },
          { signal: caller.signal },
        );
        const o = observe(call, clock);
        await clock.runAll();
        const step = p[n - 1];
        if (step?.kind === 'hang') {
          expect(o.status).toBe('pending');
          caller.abort('gave up');
          await clock.flush();
          expect(o.value).toBe('gave up');
        } else if (step === undefined || step.kind === 'ok') {
          expect(text(o)).toBe(expected(step, n, start));
          expect(ran).toBe(o.at);
        } else {
          expect(text(o)).toBe(expected(step, n, start));
          expect(isInjectedFaultError(o.value)).toBe(true);
        }
        if (step !== undefined && step.kind !== 'ok') expect(ran).toBeUndefined();
        expect(clock.pending()).toBe(0);
        expect(caller.listeners()).toBe(0);
      }
      expect(injector.stats).toEqual({ calls: p.length + 1, injected: p.length + 1 });
    },
  );
});

/** Runs three calls through `policy` (built on `clock`) on one task playing `p`; their outcomes. */
async function history(policy: Policy<unknown>, p: FaultPlan, clock: VirtualClock) {
  const task = faultPlanTask(p, clock);
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const caller = new AbortController();
    const o = observe(policy.execute(task, { signal: caller.signal }), clock);
    await clock.runAll();
    if (o.status === 'pending') caller.abort(new Error('caller gave up'));
    await clock.flush();
    out.push(text(o));
  }
  return out;
}

describe('replay', () => {
  test.prop([plan, fc.integer()], fcParams)(
    'the same plan and seed through the same policies give the same outcomes at the same times',
    async (p, seed) => {
      const run = (clock: VirtualClock) =>
        history(
          pipeline(
            fallback({ to: 'fallback', when: (e) => !isInjectedFaultError(e) }),
            retry({
              maxAttempts: 3,
              backoff: exponential({ initial: 10 }),
              random: seededRandom(seed),
              clock,
            }),
            timeout({ after: 100, clock }),
          ),
          p,
          clock,
        );
      expect(await run(new VirtualClock())).toEqual(await run(new VirtualClock()));
    },
  );

  test.prop([plan, fc.integer()], fcParams)(
    'the same seed gives the same generated pipeline, and with the same plan the same outcomes',
    async (p, seed) => {
      const run = async () => {
        const clock = new VirtualClock();
        const arb = arbitraries.pipeline({ clock, fallback: { value: 'fallback' } });
        const [policy] = fc.sample(arb, { seed, numRuns: 1 });
        return [fc.stringify(policy), ...(await history(policy!, p, clock))];
      };
      expect(await run()).toEqual(await run());
    },
  );

  test.prop([arbitraries.retryOptions()], fcParams)(
    'each use of a generated option set gets fresh random numbers: a clone draws what the original drew',
    (options) => {
      const copy = fc.cloneIfNeeded(options);
      expect(copy).not.toBe(options);
      const drawn = [options.random!(), options.random!()];
      expect([copy.random!(), copy.random!()]).toEqual(drawn);
      expect(fc.stringify(copy)).toBe(fc.stringify(options));
    },
  );
});

describe('the property of docs/testing.md, "Property-testing your own client"', () => {
  interface User {
    readonly id: string;
    readonly name: string;
  }
  const GUEST: User = { id: 'guest', name: 'Guest' };
  const ADA: User = { id: '42', name: 'Ada' };

  function createUserClient(
    load: (id: string, signal: AbortSignal) => User | Promise<User>,
    { clock, retryOptions }: { clock: VirtualClock; retryOptions: RetryOptions },
  ) {
    const policy = pipeline(
      fallback({ to: GUEST }),
      retry({ maxAttempts: 3, ...retryOptions, clock }),
      timeout({ after: 500, clock }),
    );
    return (id: string) => policy.execute(({ signal }) => load(id, signal));
  }

  const clock = new VirtualClock();
  test.prop(
    [
      arbitraries.faultPlan({ maxLength: 12 }),
      arbitraries.retryOptions({ maxAttempts: { max: 4 }, clock }),
    ],
    fcParams,
  )(
    'every getUser call settles, with the user or the guest, and leaves no timer',
    async (p, retryOptions) => {
      const transport = faultPlanTask(p, clock, { value: ADA });
      const getUser = createUserClient((_id, signal) => transport({ signal }), {
        clock,
        retryOptions,
      });
      for (let i = 0; i < 3; i++) {
        let answer: User | undefined;
        void getUser('42').then((user) => {
          answer = user;
        });
        await clock.runAll();
        expect([ADA, GUEST]).toContainEqual(answer);
      }
      expect(clock.pending()).toBe(0);
    },
  );
});

/**
 * Test-local arbitraries for the property tests: task behaviours (scripted per attempt),
 * policy options and random pipelines, plus the run budget every property uses.
 */
import { fc } from '@fast-check/vitest';
import {
  type Clock,
  constant,
  type ExecuteContext,
  exponential,
  fallback,
  type Jitter,
  type Policy,
  pipeline,
  retry,
  type Task,
  type TimeoutMode,
  type Timer,
  timeout,
} from '../../src/index.js';
import { seededRandom, type VirtualClock } from '../../src/testing/index.js';

/**
 * Run budget of every property: `FC_NUM_RUNS=1000` searches deeper. To replay a failure, pass
 * the seed and path fast-check printed as `FC_SEED=... FC_PATH=...`.
 */
export const fcParams: { numRuns: number; seed?: number; path?: string } = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 100),
  ...(process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }),
  ...(process.env.FC_PATH === undefined ? {} : { path: process.env.FC_PATH }),
};

/** An error every `when` variant retries. */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
}
/** An error only `when: 'all'` retries. */
export class FatalError extends Error {
  override readonly name = 'FatalError';
}

/** What a failing step throws: an Error subclass, or a plain string (a non-Error). */
export type ErrorKind = 'retryable' | 'fatal' | 'non-error';

export function makeError(kind: ErrorKind, tag: string): unknown {
  if (kind === 'retryable') return new RetryableError(tag);
  if (kind === 'fatal') return new FatalError(tag);
  return `non-error ${tag}`;
}

/** What the task does on one call. */
export type Step =
  | { readonly kind: 'return'; readonly value: number } // sync value
  | { readonly kind: 'resolve'; readonly value: number } // already-resolved promise
  | { readonly kind: 'throw'; readonly error: ErrorKind } // sync throw
  | { readonly kind: 'reject'; readonly error: ErrorKind } // already-rejected promise
  | {
      readonly kind: 'later'; // settles `ms` later on the clock
      readonly ms: number;
      readonly value: number | undefined; // undefined: rejects with `error`
      readonly error: ErrorKind;
      readonly honours: boolean; // rejects with signal.reason (and drops its timer) on abort
    }
  | { readonly kind: 'never'; readonly honours: boolean };

const valueArb = fc.integer({ min: -2, max: 3 });
const errorKindArb = fc.constantFrom<ErrorKind>('retryable', 'retryable', 'fatal', 'non-error');

export const immediateStepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('return' as const), value: valueArb }),
  fc.record({ kind: fc.constant('resolve' as const), value: valueArb }),
  fc.record({ kind: fc.constant('throw' as const), error: errorKindArb }),
  fc.record({ kind: fc.constant('reject' as const), error: errorKindArb }),
);

export function laterStepArb(maxMs: number, honours = fc.boolean()): fc.Arbitrary<Step> {
  return fc.record({
    kind: fc.constant('later' as const),
    ms: fc.integer({ min: 0, max: maxMs }),
    value: fc.option(valueArb, { nil: undefined }),
    error: errorKindArb,
    honours,
  });
}

export function neverStepArb(honours = fc.boolean()): fc.Arbitrary<Step> {
  return fc.record({ kind: fc.constant('never' as const), honours });
}

export const anyStepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: immediateStepArb, weight: 3 },
  { arbitrary: laterStepArb(300), weight: 4 },
  { arbitrary: neverStepArb(), weight: 1 },
);

/** A task that plays `steps[n - 1]` on its n-th call (`rest` once the list runs out). */
export interface Script {
  readonly task: Task<number>;
  calls(): number;
  /** `clock.now()` at each call. */
  readonly times: number[];
  /** `ctx.attempt` at each call. */
  readonly attempts: number[];
  /** What call n produced (value or thrown thing) at index n - 1, once known. */
  readonly produced: unknown[];
  /** Timers the task itself has scheduled and not yet fired or cancelled. */
  liveTimers(): number;
}

export function scriptedTask(steps: readonly Step[], clock: VirtualClock, rest: Step): Script {
  const times: number[] = [];
  const attempts: number[] = [];
  const produced: unknown[] = [];
  let live = 0;
  const task = (ctx: ExecuteContext): number | Promise<number> => {
    const n = times.push(clock.now());
    attempts.push(ctx.attempt);
    const step = steps[n - 1] ?? rest;
    const tag = `call ${n}`;
    switch (step.kind) {
      case 'return':
      case 'resolve':
        produced[n - 1] = step.value;
        return step.kind === 'return' ? step.value : Promise.resolve(step.value);
      case 'throw':
      case 'reject': {
        const error = makeError(step.error, tag);
        produced[n - 1] = error;
        if (step.kind === 'throw') throw error;
        return Promise.reject(error);
      }
      case 'never':
      case 'later':
        return new Promise<number>((resolve, reject) => {
          const signal = step.honours ? ctx.signal : undefined;
          if (signal?.aborted) return reject(signal.reason);
          if (step.kind === 'never') {
            signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
            return;
          }
          live++;
          const timer = clock.setTimer(() => {
            live--;
            signal?.removeEventListener('abort', onAbort);
            const outcome = step.value ?? makeError(step.error, tag);
            produced[n - 1] = outcome;
            if (step.value === undefined) reject(outcome);
            else resolve(step.value);
          }, step.ms);
          const onAbort = (): void => {
            live--;
            timer.cancel();
            reject(signal?.reason);
          };
          signal?.addEventListener('abort', onAbort, { once: true });
        });
    }
  };
  return { task, calls: () => times.length, times, attempts, produced, liveTimers: () => live };
}

/**
 * Which errors a retry or fallback handles: `'all'` (option left out), `'class'`
 * (`RetryableError` only), `'predicate'` (all but FatalError, non-Errors included).
 */
export type WhenSpec = 'all' | 'class' | 'predicate';
export const whenArb = fc.constantFrom<WhenSpec>('all', 'class', 'predicate');

export function whenAccepts(spec: WhenSpec, error: unknown): boolean {
  if (spec === 'all') return true;
  if (spec === 'class') return error instanceof RetryableError;
  return !(error instanceof FatalError);
}

/** The `when` option for a spec, spread into the options (nothing for `'all'`). */
export function whenOption(spec: WhenSpec) {
  if (spec === 'all') return {};
  return { when: spec === 'class' ? RetryableError : (e: unknown) => whenAccepts(spec, e) };
}

/** Values below zero are "bad results" for `whenResult`. */
export const isBadResult = (value: unknown): boolean => typeof value === 'number' && value < 0;

export const jitterArb = fc.constantFrom<Jitter>('none', 'full', 'equal', 'decorrelated');

export const backoffSpecArb = fc.oneof(
  fc.record({ kind: fc.constant('constant' as const), ms: fc.constantFrom(0, 0, 1, 7, 50) }),
  fc
    .record({
      kind: fc.constant('exponential' as const),
      initial: fc.integer({ min: 0, max: 50 }),
      factor: fc.double({ min: 1, max: 3, noNaN: true }),
      extra: fc.integer({ min: 0, max: 150 }),
      jitter: jitterArb,
      seed: fc.integer(),
    })
    // Decorrelated jitter needs initial > 0 (it is refused at build time otherwise).
    .map(({ extra, ...spec }) => {
      const initial = spec.jitter === 'decorrelated' ? Math.max(1, spec.initial) : spec.initial;
      return { ...spec, initial, max: initial + extra };
    }),
);

export type BackoffSpec = typeof backoffSpecArb extends fc.Arbitrary<infer T> ? T : never;

export function retryTimingOptions(spec: BackoffSpec) {
  if (spec.kind === 'constant') return { backoff: constant(spec.ms) };
  const { initial, factor, max, jitter, seed } = spec;
  return {
    backoff: exponential({ initial, factor, max, jitter }),
    random: seededRandom(seed),
  };
}

export const policySpecArb = fc.oneof(
  fc.record({
    kind: fc.constant('retry' as const),
    maxAttempts: fc.constantFrom(1, 2, 3, 4, 4),
    backoff: backoffSpecArb,
    when: fc.constantFrom<WhenSpec>('all', 'all', 'class', 'predicate'),
    whenResult: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('timeout' as const),
    after: fc.integer({ min: 1, max: 300 }),
    mode: fc.constantFrom<TimeoutMode>('cooperative', 'aggressive'),
  }),
  fc.record({
    kind: fc.constant('fallback' as const),
    to: fc.constantFrom('value' as const, 'async' as const, 'throw' as const),
    when: whenArb,
    whenResult: fc.boolean(),
  }),
);

export type PolicySpec = typeof policySpecArb extends fc.Arbitrary<infer T> ? T : never;

/** Outermost first, as `pipeline()` takes them; empty runs the task as is. */
export const pipelineSpecArb = fc.array(policySpecArb, { maxLength: 4 });

/** Any event of any policy, viewed with an `unknown` payload. */
export type AnyEvent = (listener: (event: unknown) => void) => () => void;

/** Delegates to `inner`, counting the live timers set through it (e.g. retry sleeps). */
export function countingClock(inner: Clock): Clock & { live(): number } {
  const live = new Set<object>();
  return {
    now: () => inner.now(),
    live: () => live.size,
    setTimer(callback: (arg: unknown) => void, ms: number, arg?: unknown): Timer {
      const key = {};
      live.add(key);
      const fire = (a: unknown): void => {
        live.delete(key);
        callback(a);
      };
      const timer = inner.setTimer(fire, ms, arg);
      const cancel = (): void => {
        live.delete(key);
        timer.cancel();
      };
      return { cancel };
    },
  };
}

/**
 * Builds the pipeline on `clock`. Returns it with every event of every policy by name
 * (`'0.onRetry'`...) and a count of the live timers set by its retries (their sleeps).
 */
export function buildPipeline(specs: readonly PolicySpec[], clock: VirtualClock) {
  const policyClock = countingClock(clock);
  const events: [string, AnyEvent][] = [];
  const add = (i: number, name: string, event: AnyEvent): void => {
    events.push([`${i}.${name}`, event]);
  };
  const policies = specs.map((spec, i): Policy<unknown> => {
    if (spec.kind === 'retry') {
      const policy = retry({
        maxAttempts: spec.maxAttempts,
        ...retryTimingOptions(spec.backoff),
        ...whenOption(spec.when),
        ...(spec.whenResult ? { whenResult: isBadResult } : {}),
        clock: policyClock,
      });
      for (const name of ['onRetry', 'onGiveUp', 'onSuccess', 'onFailure'] as const) {
        add(i, name, policy[name]);
      }
      return policy;
    }
    if (spec.kind === 'timeout') {
      const policy = timeout({ after: spec.after, mode: spec.mode, clock: policyClock });
      add(i, 'onTimeout', policy.onTimeout);
      return policy;
    }
    const answers = {
      value: 100,
      async: async () => 101,
      throw: () => Promise.reject(new FatalError('fallback threw')),
    };
    const policy = fallback<number>({
      to: answers[spec.to],
      ...whenOption(spec.when),
      ...(spec.whenResult ? { whenResult: isBadResult } : {}),
    });
    add(i, 'onFallback', policy.onFallback);
    return policy;
  });
  return { policy: pipeline(...policies), events, policyTimers: policyClock.live };
}

/** A promise's settlements as they happen, with the clock's time at the first one. */
export interface Observed {
  /** How many times a `.then` handler ran (must end at exactly 1). */
  count: number;
  status: 'pending' | 'resolved' | 'rejected';
  value: unknown;
  at: number | undefined;
}

/** Counts settlements via `.then` handlers; `onSettle` runs inside the first handler. */
export function observe(
  promise: Promise<unknown>,
  clock: VirtualClock,
  onSettle?: () => void,
): Observed {
  const o: Observed = { count: 0, status: 'pending', value: undefined, at: undefined };
  const settle = (status: 'resolved' | 'rejected', value: unknown): void => {
    if (o.count++ === 0) {
      Object.assign(o, { status, value, at: clock.now() });
      onSettle?.();
    }
  };
  promise.then(
    (value) => settle('resolved', value),
    (error: unknown) => settle('rejected', error),
  );
  return o;
}

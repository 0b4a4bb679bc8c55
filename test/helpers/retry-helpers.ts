import type { BackoffInput, ExecuteContext } from '../../src/index.js';

/** One step of a scripted task: throw `error`, or return `value`. */
export type Step = { readonly error: unknown } | { readonly value: unknown };

/** A task that plays `steps` in order (the last one repeats) and records what it saw. */
export interface ScriptedTask {
  (ctx: ExecuteContext): unknown;
  /** How many times the task was called. */
  readonly calls: number;
  /** `ctx.attempt` of each call, in order. */
  readonly attempts: readonly number[];
}

/** Builds a synchronous task that throws or returns per `steps`. */
export function scripted(...steps: readonly Step[]): ScriptedTask {
  if (steps.length === 0) throw new Error('scripted: give at least one step');
  const attempts: number[] = [];
  const task = (ctx: ExecuteContext): unknown => {
    attempts.push(ctx.attempt);
    const step = steps[Math.min(attempts.length, steps.length) - 1]!;
    if ('error' in step) throw step.error;
    return step.value;
  };
  return Object.defineProperties(task, {
    calls: { get: () => attempts.length },
    attempts: { get: () => [...attempts] },
  }) as ScriptedTask;
}

/** `n` distinct errors named `${prefix}1`...`${prefix}n`. */
export function errors(n: number, prefix = 'e'): Error[] {
  return Array.from({ length: n }, (_, i) => new Error(`${prefix}${i + 1}`));
}

/** A task that fails `n` times with distinct errors, then returns `value`. */
export function failTimes(n: number, value: unknown = 'ok'): ScriptedTask {
  return scripted(...errors(n).map((error) => ({ error })), { value });
}

/** A random source that always returns `x` (for checking jitter bounds exactly). */
export function fixedRandom(x: number): () => number {
  return () => x;
}

/** The input a backoff receives, with defaults for the fields a test does not care about. */
export function input(
  attempt: number,
  random: () => number = fixedRandom(0.5),
  previous?: number,
): BackoffInput {
  return { attempt, previous, random };
}

/** A promise that never settles (a hung attempt). */
export function never<T = never>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** Collects every payload an event delivers; returns the list and the disposer. */
export function collect<T>(event: (listener: (e: T) => void) => () => void): {
  readonly seen: T[];
  readonly dispose: () => void;
} {
  const seen: T[] = [];
  const dispose = event((e) => seen.push(e));
  return { seen, dispose };
}

/** Watches a promise so a test can check whether it has settled yet, without awaiting it. */
export function track<T>(promise: Promise<T>): {
  readonly state: () => 'pending' | 'resolved' | 'rejected';
  readonly result: () => unknown;
} {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  let result: unknown;
  promise.then(
    (value) => {
      state = 'resolved';
      result = value;
    },
    (error: unknown) => {
      state = 'rejected';
      result = error;
    },
  );
  return { state: () => state, result: () => result };
}

import { sleep } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import { signalContext } from '../core/context.js';
import { InjectedFaultError } from '../core/errors/injected-fault-error.js';
import { watchSignal } from '../core/signal-watchers.js';
import { checkClock, checkFunction, checkOptions, describe } from '../core/validate.js';

/**
 * What one call does in a {@link FaultPlan}:
 * - `ok`: answers after `latency` ms (at once, without a timer, when 0);
 * - `error`: rejects after `latency` ms (at once when 0);
 * - `throw`: throws synchronously, before returning a promise;
 * - `hang`: never settles, until the call's `signal` aborts (then rejects with its reason).
 *
 * A pending `ok` or `error` also ends early, rejecting with the reason, when the signal aborts,
 * and cancels its timer: the call behaves like a well-written client.
 *
 * @example
 * ```ts
 * const slowFailure: FaultStep = { kind: 'error', latency: 250 };
 * ```
 */
export type FaultStep =
  | {
      /** Answers after `latency`. */
      readonly kind: 'ok';
      /** Virtual ms before the answer. */
      readonly latency: number;
    }
  | {
      /** Rejects after `latency`. */
      readonly kind: 'error';
      /** Virtual ms before the rejection. */
      readonly latency: number;
    }
  | {
      /** Throws synchronously. */
      readonly kind: 'throw';
    }
  | {
      /** Never settles; ends only when the call's signal aborts. */
      readonly kind: 'hang';
    };

/**
 * The kinds of {@link FaultStep}.
 *
 * @example
 * ```ts
 * arbitraries.faultPlan({ kinds: ['ok', 'hang'] satisfies FaultKind[] });
 * ```
 */
export type FaultKind = FaultStep['kind'];

/**
 * What successive calls do: call n plays `plan[n - 1]`; calls past the end answer at once
 * (`{ kind: 'ok', latency: 0 }`). Plain data, so it prints and replays as is.
 *
 * @example
 * ```ts
 * const plan: FaultPlan = [{ kind: 'hang' }, { kind: 'error', latency: 10 }, { kind: 'ok', latency: 5 }];
 * ```
 */
export type FaultPlan = readonly FaultStep[];

/**
 * Options of {@link faultPlanTask}.
 *
 * @example
 * ```ts
 * faultPlanTask(plan, clock, { value: () => ({ id: '42' }), error: (call) => new HttpError(503) });
 * ```
 */
export interface FaultPlanTaskOptions<T> {
  /** The answer of an `ok` step: a value, or `(call) => value` (a function is always called). */
  readonly value: T | ((call: number) => T);
  /**
   * What an `error` or `throw` step throws, given the call number (1 for the first call).
   * @default an `InjectedFaultError` from injector `'fault-plan'`, message `Fault plan: call <n> failed`
   */
  readonly error?: (call: number, step: FaultStep) => unknown;
}

/**
 * The context a plan player reads: the call's signal, if any (an `ExecuteContext` fits).
 *
 * @example
 * ```ts
 * const transport = faultPlanTask(plan, clock, { value: user });
 * const load = (id: string, signal: AbortSignal) => transport({ signal });
 * ```
 */
export interface FaultPlanContext {
  /** Aborting it ends a pending step at once with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

const STEP_KINDS: readonly string[] = ['ok', 'error', 'throw', 'hang'];
const REST: FaultStep = { kind: 'ok', latency: 0 };

function checkPlan(label: string, plan: unknown): FaultPlan {
  if (!Array.isArray(plan)) {
    throw new TypeError(
      `${label}: \`plan\` must be an array of fault steps, got ${describe(plan)}`,
    );
  }
  plan.forEach((step: Partial<{ kind: unknown; latency: unknown }> | null, i) => {
    const kind = step?.kind;
    if (typeof kind !== 'string' || !STEP_KINDS.includes(kind)) {
      throw new TypeError(
        `${label}: \`plan[${i}].kind\` must be one of 'ok', 'error', 'throw', 'hang', got ${describe(kind)}`,
      );
    }
    const latency = step?.latency;
    if (
      (kind === 'ok' || kind === 'error') &&
      !(Number.isFinite(latency) && (latency as number) >= 0)
    ) {
      const message = `${label}: \`plan[${i}].latency\` must be a finite number >= 0, got ${describe(latency)}`;
      throw typeof latency === 'number' ? new RangeError(message) : new TypeError(message);
    }
  });
  return [...plan];
}

const defaultError = (call: number): unknown =>
  new InjectedFaultError('fault-plan', `Fault plan: call ${call} failed`);

/** Returns `clock` when it is a Clock, else throws a TypeError naming it. */
function requireClock(label: string, clock: unknown): Clock {
  if (clock === undefined) throw new TypeError(`${label}: \`clock\` is required, got undefined`);
  return checkClock<Clock>(label, clock, undefined as never);
}

function errorOption(label: string, options: unknown, known: readonly string[]) {
  const o = checkOptions(label, options, known);
  const error =
    o.error === undefined
      ? defaultError
      : checkFunction<(call: number, step: FaultStep) => unknown>(label, 'error', o.error);
  return { o, error };
}

/**
 * Plays `step` of call `call`: answers `answer()` or fails with `error(...)`, after the step's
 * latency on `clock`, honouring the signal of `ctx` (read only when the step waits).
 */
function play<T>(
  step: FaultStep,
  call: number,
  clock: Clock,
  ctx: FaultPlanContext | undefined,
  answer: () => T,
  error: (call: number, step: FaultStep) => unknown,
): T | Promise<T> {
  if (step.kind === 'throw') throw error(call, step);
  if (step.kind !== 'hang' && step.latency === 0) {
    return step.kind === 'ok' ? answer() : Promise.reject(error(call, step));
  }
  const signal = ctx?.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (step.kind === 'hang') {
    return new Promise<T>((_, reject) => {
      // Calls often share one signal: its one listener fronts them all (core/signal-watchers).
      if (signal !== undefined) watchSignal(signal, { handleEvent: () => reject(signal.reason) });
    });
  }
  return sleep(clock, step.latency, signalContext(signal)).then(() => {
    if (step.kind === 'ok') return answer();
    throw error(call, step);
  });
}

/**
 * A task that plays `plan`: its n-th call does what `plan[n - 1]` says (see {@link FaultStep}),
 * on `clock`, and calls past the end answer at once. The same plan gives the same outcomes at
 * the same virtual times. Pass it to `execute` (it honours `ctx.signal`), or call it from your
 * own client code with `{ signal }`.
 * The optional third argument gives the `ok` answer (the call number when left out) and the
 * error to throw.
 *
 * @param clock - the clock of the latencies, normally the test's `VirtualClock`.
 * @throws TypeError/RangeError for a bad plan, clock or option, naming it.
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const task = faultPlanTask([{ kind: 'error', latency: 10 }, { kind: 'ok', latency: 5 }], clock);
 * const call = retry({ backoff: constant(0), clock }).execute(task);
 * await clock.runAll();
 * await call; // 2: the second call's number, answered at 15 ms
 * ```
 */
export function faultPlanTask(
  plan: FaultPlan,
  clock: Clock,
): (ctx?: FaultPlanContext) => number | Promise<number>;
export function faultPlanTask<T>(
  plan: FaultPlan,
  clock: Clock,
  options: FaultPlanTaskOptions<T>,
): (ctx?: FaultPlanContext) => T | Promise<T>;
export function faultPlanTask(
  plan: FaultPlan,
  clock: Clock,
  options?: FaultPlanTaskOptions<unknown>,
): (ctx?: FaultPlanContext) => unknown {
  const label = 'faultPlanTask';
  const steps = checkPlan(label, plan);
  const c = requireClock(label, clock);
  const { o, error } = errorOption(label, options, ['value', 'error']);
  const value = 'value' in o ? o.value : (call: number) => call;
  let calls = 0;
  return (ctx) => {
    const call = ++calls;
    const answer = typeof value === 'function' ? () => value(call) : () => value;
    return play(steps[call - 1] ?? REST, call, c, ctx, answer, error);
  };
}

/**
 * The `run` of an `injectBehavior` injector that plays `plan` in front of the task: on the
 * injector's n-th call (`ctx.call`, so `resetStats()` restarts the plan) an `ok` step waits
 * its latency and lets the task run, `error` waits then fails the call without running the
 * task, `throw` fails it at once, and `hang` holds it until the call aborts.
 *
 * @param options.error - what failing steps throw. @default an `InjectedFaultError` (`'fault-plan'`)
 * @throws TypeError/RangeError for a bad plan, clock or option, naming it.
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const planned = injectBehavior({ name: 'plan', run: faultPlanBehavior(plan, clock), clock });
 * const policy = pipeline(retry({ clock }), timeout({ after: 1_000, clock }), planned);
 * ```
 */
export function faultPlanBehavior(
  plan: FaultPlan,
  clock: Clock,
  options?: Pick<FaultPlanTaskOptions<unknown>, 'error'>,
): (ctx: FaultPlanContext & { readonly call: number }) => void | Promise<void> {
  const label = 'faultPlanBehavior';
  const steps = checkPlan(label, plan);
  const c = requireClock(label, clock);
  const { error } = errorOption(label, options, ['error']);
  return (ctx) => play(steps[ctx.call - 1] ?? REST, ctx.call, c, ctx, () => undefined, error);
}

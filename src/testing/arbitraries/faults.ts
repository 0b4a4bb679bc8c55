import * as fc from 'fast-check';
import { checkNumber, given, MAX_DELAY } from '../../core/validate.js';
import type { FaultKind, FaultPlan, FaultStep } from '../fault-plan.js';
import { constraintsOf, integerIn, kindsOf, type Range, rangeOf } from './constraints.js';

/**
 * Constraints of {@link faultStep}.
 *
 * @example
 * ```ts
 * arbitraries.faultStep({ kinds: ['ok', 'error'], latency: { max: 50 } });
 * ```
 */
export interface FaultStepConstraints {
  /** Which kinds of step. @default all four, drawn in the ratio ok 3 : error 2 : throw 1 : hang 1 */
  readonly kinds?: readonly FaultKind[];
  /** Range of the latency of `ok` and `error` steps, integer ms >= 0. @default { min: 0, max: 1_000 } */
  readonly latency?: Range;
}

/**
 * Constraints of {@link faultPlan}: those of {@link faultStep}, plus its length.
 *
 * @example
 * ```ts
 * arbitraries.faultPlan({ minLength: 1, maxLength: 5, kinds: ['ok', 'hang'] });
 * ```
 */
export interface FaultPlanConstraints extends FaultStepConstraints {
  /** Fewest steps, an integer >= 0. @default 0 */
  readonly minLength?: number;
  /** Most steps, an integer >= `minLength`. @default 10, or `minLength` when larger */
  readonly maxLength?: number;
}

const KINDS: readonly FaultKind[] = ['ok', 'error', 'throw', 'hang'];
const WEIGHTS: Readonly<Record<FaultKind, number>> = { ok: 3, error: 2, throw: 1, hang: 1 };

function stepArbitrary(label: string, c: Record<string, unknown>): fc.Arbitrary<FaultStep> {
  const kinds = kindsOf(label, 'kinds', c.kinds, KINDS);
  const latency = integerIn(
    rangeOf(label, 'latency', c.latency, {
      min: 0,
      max: MAX_DELAY,
      integer: true,
      defaults: [0, 1_000],
    }),
  );
  const of: Record<FaultKind, fc.Arbitrary<FaultStep>> = {
    ok: latency.map((latency): FaultStep => ({ kind: 'ok', latency })),
    error: latency.map((latency): FaultStep => ({ kind: 'error', latency })),
    throw: fc.constant<FaultStep>({ kind: 'throw' }),
    hang: fc.constant<FaultStep>({ kind: 'hang' }),
  };
  // fast-check shrinks towards the first kind (`ok` by default), so counterexamples keep
  // only the faults that matter.
  return fc.oneof(...kinds.map((kind) => ({ arbitrary: of[kind], weight: WEIGHTS[kind] })));
}

/**
 * One {@link FaultStep}: answer, fail later, throw at once, or hang. Shrinks towards
 * `{ kind: 'ok', latency: 0 }`.
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraries.faultStep({ kinds: ['hang', 'error'] }), (step) => step.kind !== 'ok'));
 * ```
 */
export function faultStep(constraints?: FaultStepConstraints): fc.Arbitrary<FaultStep> {
  const label = 'arbitraries.faultStep';
  return stepArbitrary(label, constraintsOf(label, constraints, ['kinds', 'latency']));
}

/**
 * A fault schedule: what each successive call does, as plain data that prints as is in a
 * counterexample (`[{"kind":"error","latency":12},{"kind":"hang"}]`). Play it with
 * `faultPlanTask(plan, clock)` (a task for `execute` or for your client's transport) or
 * `faultPlanBehavior(plan, clock)` (the `run` of an `injectBehavior` injector).
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * await fc.assert(
 *   fc.asyncProperty(arbitraries.faultPlan({ maxLength: 5 }), async (plan) => {
 *     const policy = pipeline(retry({ maxAttempts: 3, clock }), timeout({ after: 500, clock }));
 *     const call = policy.execute(faultPlanTask(plan, clock)).catch(() => 'gave up');
 *     await clock.runAll();
 *     await call;
 *     return clock.pending() === 0;
 *   }),
 * );
 * ```
 */
export function faultPlan(constraints?: FaultPlanConstraints): fc.Arbitrary<FaultPlan> {
  const label = 'arbitraries.faultPlan';
  const c = constraintsOf(label, constraints, ['kinds', 'latency', 'minLength', 'maxLength']);
  const minLength = checkNumber(label, 'minLength', given(c.minLength, 0), {
    integer: true,
    min: 0,
    max: 10_000,
  });
  const maxLength = checkNumber(label, 'maxLength', given(c.maxLength, Math.max(10, minLength)), {
    integer: true,
    min: minLength,
    max: 10_000,
  });
  return fc.array(stepArbitrary(label, c), { minLength, maxLength });
}

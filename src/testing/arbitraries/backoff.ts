import * as fc from 'fast-check';
import type { Backoff } from '../../core/backoff.js';
import { checkNumber, given, MAX_DELAY } from '../../core/validate.js';
import { constant } from '../../retry/backoff/constant.js';
import { delays } from '../../retry/backoff/delays.js';
import { exponential, type Jitter } from '../../retry/backoff/exponential.js';
import { linear } from '../../retry/backoff/linear.js';
import { constraintsOf, kindsOf } from './constraints.js';
import { optionsText, printAs } from './printing.js';

/**
 * The backoff factories {@link backoff} draws from.
 *
 * @example
 * ```ts
 * arbitraries.backoff({ kinds: ['constant', 'delays'] });
 * ```
 */
export type BackoffKind = 'constant' | 'linear' | 'exponential' | 'delays';

/**
 * Constraints of {@link backoff}.
 *
 * @example
 * ```ts
 * arbitraries.backoff({ kinds: ['constant', 'exponential'], maxDelay: 200 });
 * ```
 */
export interface BackoffConstraints {
  /** Which factories to draw from. @default all four */
  readonly kinds?: readonly BackoffKind[];
  /** Largest delay any generated backoff returns, ms, an integer >= 0. @default 1_000 */
  readonly maxDelay?: number;
}

const KINDS: readonly BackoffKind[] = ['constant', 'linear', 'exponential', 'delays'];
const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];
const LABEL = 'arbitraries.backoff';

/** `a` to `b` as an arbitrary of integers `a <= x <= b`. */
const upTo = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });

function arbitraryOf(kind: BackoffKind, maxDelay: number): fc.Arbitrary<Backoff> {
  switch (kind) {
    case 'constant':
      return upTo(0, maxDelay).map((ms) => printAs(constant(ms), `constant(${ms})`));
    case 'delays':
      return fc
        .array(upTo(0, maxDelay), { maxLength: 5 })
        .map((list) => printAs(delays(list), `delays([${list.join(', ')}])`));
    case 'linear':
      return fc
        .tuple(upTo(0, maxDelay), upTo(0, maxDelay), upTo(0, maxDelay))
        .map(([a, step, b]) => {
          const o = { initial: Math.min(a, b), step, max: Math.max(a, b) };
          return printAs(linear(o), `linear(${optionsText(o)})`);
        });
    case 'exponential':
      return fc
        .record({
          a: upTo(0, maxDelay),
          factor: fc.constantFrom(1, 1.5, 2, 3),
          b: upTo(0, maxDelay),
          // Decorrelated jitter needs initial > 0: left out when every delay must be 0.
          jitter: fc.constantFrom(...(maxDelay === 0 ? JITTERS.slice(0, 3) : JITTERS)),
        })
        .map(({ a, b, factor, jitter }) => {
          const low = Math.min(a, b);
          const initial = jitter === 'decorrelated' ? Math.max(1, low) : low;
          const o = { initial, factor, max: Math.max(initial, a, b), jitter };
          return printAs(exponential(o), `exponential(${optionsText(o)})`);
        });
  }
}

/**
 * Any backoff of `constant`, `linear`, `exponential` (every jitter) and `delays`, whose
 * delays are at most `maxDelay`. Printed in counterexamples as the call that builds it, e.g.
 * `exponential({ initial: 4, factor: 2, max: 90, jitter: 'full' })`.
 *
 * @throws TypeError/RangeError for a bad constraint, naming it.
 * @example
 * ```ts
 * fc.assert(
 *   fc.property(arbitraries.backoff({ maxDelay: 500 }), fc.integer({ min: 1, max: 10 }), (b, attempt) => {
 *     const ms = b({ attempt, previous: undefined, random: seededRandom(attempt) });
 *     return ms === undefined || (ms >= 0 && ms <= 500);
 *   }),
 * );
 * ```
 */
export function backoff(constraints?: BackoffConstraints): fc.Arbitrary<Backoff> {
  return backoffWithin(LABEL, '', constraints);
}

/**
 * {@link backoff} for an arbitrary whose own constraint `prefix` (e.g. `'backoff.'`) holds
 * the backoff constraints, so that messages name it as the user wrote it. @internal
 */
export function backoffWithin(
  label: string,
  prefix: string,
  constraints: unknown,
): fc.Arbitrary<Backoff> {
  const what = prefix === '' ? 'constraints' : `\`${prefix.slice(0, -1)}\``;
  const c = constraintsOf(label, constraints, ['kinds', 'maxDelay'], what);
  const kinds = kindsOf(label, `${prefix}kinds`, c.kinds, KINDS);
  const maxDelay = checkNumber(label, `${prefix}maxDelay`, given(c.maxDelay, 1_000), {
    integer: true,
    min: 0,
    max: MAX_DELAY,
  });
  return fc.oneof(...kinds.map((kind) => arbitraryOf(kind, maxDelay)));
}

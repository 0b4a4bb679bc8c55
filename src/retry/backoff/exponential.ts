import type { Backoff } from '../../core/backoff.js';
import { checkNumber, checkOneOf, checkOptions, given, MAX_DELAY } from '../../core/validate.js';

/**
 * How randomness spreads the delays so that many clients do not retry in lockstep:
 * - `'none'`: exactly `base = min(max, initial · factor^(attempt-1))`;
 * - `'full'`: uniform in [0, base);
 * - `'equal'`: uniform in [base/2, base);
 * - `'decorrelated'`: uniform in [initial, 3 · previous), capped at `max` (previous starts at `initial`).
 *
 * @example
 * ```ts
 * const jitter: Jitter = 'decorrelated';
 * retry({ backoff: exponential({ initial: 100, jitter }) });
 * ```
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/**
 * Options of {@link exponential}.
 *
 * @example
 * ```ts
 * const options: ExponentialOptions = { initial: 50, factor: 3, max: 2_000, jitter: 'equal' };
 * retry({ backoff: exponential(options) });
 * ```
 */
export interface ExponentialOptions {
  /** Base delay before the first retry, ms. @default 100 */
  readonly initial?: number;
  /** Growth per retry, >= 1. @default 2 */
  readonly factor?: number;
  /** Upper bound of any delay, ms, >= `initial`. @default 30_000, or `initial` when larger */
  readonly max?: number;
  /** Randomisation, see {@link Jitter}. @default 'full' */
  readonly jitter?: Jitter;
}

const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

/**
 * Exponentially growing delays, capped, with jitter (full jitter by default, as recommended
 * for many clients sharing a server). Also retry's default backoff.
 *
 * @throws TypeError/RangeError for a bad option, naming it.
 * @example
 * ```ts
 * retry({ backoff: exponential({ initial: 200, max: 5_000, jitter: 'equal' }) });
 * ```
 */
export function exponential(options?: ExponentialOptions): Backoff {
  const o = checkOptions('exponential', options, ['initial', 'factor', 'max', 'jitter']);
  const initial = checkNumber('exponential', 'initial', given(o.initial, 100), {
    min: 0,
    max: MAX_DELAY,
  });
  const factor = checkNumber('exponential', 'factor', given(o.factor, 2), { min: 1 });
  const max = checkNumber('exponential', 'max', given(o.max, Math.max(30_000, initial)), {
    min: initial,
    max: MAX_DELAY,
  });
  const jitter = checkOneOf('exponential', 'jitter', given(o.jitter, 'full'), JITTERS);
  if (jitter === 'decorrelated' && initial === 0) {
    // Decorrelated delays grow from `initial` multiplicatively: from 0 they would stay 0.
    throw new RangeError("exponential: `initial` must be > 0 with jitter 'decorrelated', got 0");
  }
  // factor^n overflows to Infinity for large n; clamp first so that 0 · growth stays 0.
  const base = (attempt: number): number =>
    Math.min(max, initial * Math.min(factor ** (attempt - 1), Number.MAX_VALUE));
  switch (jitter) {
    case 'none':
      return ({ attempt }) => base(attempt);
    case 'full':
      return ({ attempt, random }) => random() * base(attempt);
    case 'equal':
      return ({ attempt, random }) => {
        const b = base(attempt);
        return b / 2 + (random() * b) / 2;
      };
    case 'decorrelated':
      return ({ previous, random }) => {
        const upper = Math.max(initial, 3 * (previous ?? initial));
        return Math.min(max, initial + random() * (upper - initial));
      };
  }
}

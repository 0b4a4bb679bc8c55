/** Checks of the constraints the arbitraries take, with messages naming the constraint. @internal */
import * as fc from 'fast-check';
import type { Clock } from '../../core/clock.js';
import { checkClock, checkFunction, checkNumber, describe } from '../../core/validate.js';
import { seededRandom } from '../seeded-random.js';
import { printAs } from './printing.js';

/**
 * An inclusive range of numbers for a generated option. Either end may be left out: it then
 * takes the arbitrary's default, moved if needed so that `min <= max`.
 *
 * @example
 * ```ts
 * arbitraries.retryOptions({ maxAttempts: { max: 3 } }); // 1 to 3 attempts
 * ```
 */
export interface Range {
  /** Smallest value drawn (inclusive). */
  readonly min?: number;
  /** Largest value drawn (inclusive). */
  readonly max?: number;
}

/** Bounds a range constraint must stay within, and its default. @internal */
export interface RangeRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly defaults: readonly [number, number];
}

/**
 * Checks that `constraints` is undefined or an object with no key outside `known` (a typo
 * fails loudly); returns it as a record. `what` names it in messages. @internal
 */
export function constraintsOf(
  label: string,
  constraints: unknown,
  known: readonly string[],
  what = 'constraints',
): Record<string, unknown> {
  if (constraints === undefined) return {};
  if (constraints === null || typeof constraints !== 'object' || Array.isArray(constraints)) {
    throw new TypeError(`${label}: ${what} must be an object, got ${describe(constraints)}`);
  }
  for (const key of Object.keys(constraints)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${label}: unknown constraint \`${what === 'constraints' ? '' : `${what.slice(1, -1)}.`}${key}\`; allowed: ${known.map((k) => `\`${k}\``).join(', ')}`,
      );
    }
  }
  return constraints as Record<string, unknown>;
}

/** The `[min, max]` of range constraint `name`, checked against `rule`. @internal */
export function rangeOf(
  label: string,
  name: string,
  value: unknown,
  rule: RangeRule,
): [number, number] {
  const r = constraintsOf(label, value, ['min', 'max'], `\`${name}\``);
  const bounds = { integer: rule.integer, min: rule.min, max: rule.max };
  const min = r.min === undefined ? undefined : checkNumber(label, `${name}.min`, r.min, bounds);
  const max = r.max === undefined ? undefined : checkNumber(label, `${name}.max`, r.max, bounds);
  if (min !== undefined && max !== undefined && min > max) {
    throw new RangeError(
      `${label}: \`${name}.min\` must be <= \`${name}.max\` (${max}), got ${min}`,
    );
  }
  const [low, high] = rule.defaults;
  if (min === undefined && max === undefined) return [low, high];
  if (min === undefined) return [Math.min(low, max!), max!];
  return [min, max ?? Math.max(high, min)];
}

/** An integer arbitrary over `[min, max]`. @internal */
export function integerIn([min, max]: readonly [number, number]): fc.Arbitrary<number> {
  return fc.integer({ min, max });
}

/** The non-empty list constraint `name`, each entry one of `allowed`; `allowed` if left out. @internal */
export function kindsOf<K extends string>(
  label: string,
  name: string,
  value: unknown,
  allowed: readonly K[],
): readonly K[] {
  if (value === undefined) return allowed;
  const text = `a non-empty array of ${allowed.map((k) => `'${k}'`).join(', ')}`;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((k) => (allowed as readonly unknown[]).includes(k))
  ) {
    throw new TypeError(`${label}: \`${name}\` must be ${text}, got ${describe(value)}`);
  }
  return [...new Set(value as K[])];
}

/** The `clock` constraint, or undefined when left out. @internal */
export function clockOf(label: string, value: unknown): Clock | undefined {
  return value === undefined ? undefined : checkClock<Clock>(label, value, undefined as never);
}

/** Booleans default to `fallback`; anything else but a boolean throws. @internal */
export function flagOf(label: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${label}: \`${name}\` must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/**
 * Where generated options get their random numbers: the `random` constraint as given, or a
 * `seededRandom` with a generated seed (a fresh one for each run, printed as
 * `seededRandom(seed)`). @internal
 */
export function randomSource(label: string, value: unknown): (seed: number) => () => number {
  if (value === undefined) {
    return (seed) => printAs(seededRandom(seed), `seededRandom(${seed})`);
  }
  const random = checkFunction<() => number>(label, 'random', value);
  printAs(random, 'random', false);
  return () => random;
}

/** Seeds for {@link randomSource}: small, so that counterexamples stay short. @internal */
export const seedArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 0xffff });

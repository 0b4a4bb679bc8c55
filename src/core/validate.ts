/**
 * Option validation shared by every policy. Each check throws at build time with a message
 * naming the policy, the option, the value given and what is allowed:
 * ``retry: `maxAttempts` must be an integer >= 1 or Infinity, got 0``.
 */

/** Renders a value for an error message: strings quoted, functions and objects named. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return value.name ? `function ${value.name}` : 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `an instance of ${name}` : 'an object';
}

function fail(
  kind: 'type' | 'range',
  policy: string,
  option: string,
  allowed: string,
  value: unknown,
): never {
  const message = `${policy}: \`${option}\` must be ${allowed}, got ${describe(value)}`;
  throw kind === 'type' ? new TypeError(message) : new RangeError(message);
}

/**
 * Checks that `options` is undefined or a plain object with no key outside `known`, so a
 * typo (`maxAttempt`) fails loudly instead of being ignored.
 */
export function checkOptions(
  policy: string,
  options: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${policy}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${policy}: unknown option \`${key}\`; allowed: ${known.map((k) => `\`${k}\``).join(', ')}`,
      );
    }
  }
  return options as Record<string, unknown>;
}

export interface NumberRule {
  /** Smallest allowed value (inclusive). */
  readonly min?: number;
  /** Smallest allowed value (exclusive). */
  readonly above?: number;
  /** Largest allowed value (inclusive). */
  readonly max?: number;
  /** Must be a whole number. */
  readonly integer?: boolean;
  /** `Infinity` is allowed (as "no limit"). */
  readonly infinity?: boolean;
}

function ruleText(rule: NumberRule): string {
  const bounds: string[] = [];
  if (rule.above !== undefined) bounds.push(`> ${rule.above}`);
  if (rule.min !== undefined) bounds.push(`>= ${rule.min}`);
  if (rule.max !== undefined) bounds.push(`<= ${rule.max}`);
  const kind = rule.integer ? 'an integer' : 'a finite number';
  return (
    [kind, bounds.join(' and ')].filter(Boolean).join(' ') + (rule.infinity ? ' or Infinity' : '')
  );
}

/** The option's value, or `fallback` when it was not given (`undefined` only: `null` is a value). */
export function given<V, D>(value: V | undefined, fallback: D): V | D {
  return value === undefined ? fallback : value;
}

/** Returns `value` when it is a number satisfying `rule`, else throws TypeError/RangeError. */
export function checkNumber(
  policy: string,
  option: string,
  value: unknown,
  rule: NumberRule,
): number {
  if (typeof value !== 'number') return fail('type', policy, option, ruleText(rule), value);
  if (value === Number.POSITIVE_INFINITY && rule.infinity) return value;
  const ok =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) fail('range', policy, option, ruleText(rule), value);
  return value;
}

/** Returns `value` when it is a function, else throws TypeError. */
export function checkFunction<F extends (...args: never[]) => unknown>(
  policy: string,
  option: string,
  value: unknown,
): F {
  if (typeof value !== 'function') fail('type', policy, option, 'a function', value);
  return value as F;
}

/** Returns `value` when it is one of `allowed`, else throws (TypeError for non-strings). */
export function checkOneOf<V extends string>(
  policy: string,
  option: string,
  value: unknown,
  allowed: readonly V[],
): V {
  const text = `one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  if (typeof value !== 'string') fail('type', policy, option, text, value);
  if (!(allowed as readonly string[]).includes(value)) fail('range', policy, option, text, value);
  return value as V;
}

/** The longest delay a runtime timer supports (2^31 - 1 ms, about 24.8 days). */
export const MAX_DELAY = 2_147_483_647;

/** Returns `value` when it is a Clock, `fallback` when undefined, else throws TypeError. */
export function checkClock<C extends { now(): number; setTimer(...args: never[]): unknown }>(
  policy: string,
  value: unknown,
  fallback: C,
): C {
  if (value === undefined) return fallback;
  const c = value as Partial<C> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.now !== 'function' ||
    typeof c.setTimer !== 'function'
  ) {
    fail('type', policy, 'clock', 'a Clock (an object with now() and setTimer())', value);
  }
  return value as C;
}

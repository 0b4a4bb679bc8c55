/**
 * How generated values look in a counterexample, and how stateful ones are renewed for each
 * run of a property. @internal
 */
import * as fc from 'fast-check';

/** Printed forms of generated values that cannot carry one themselves (frozen breakers). */
const texts = new WeakMap<object, string>();

/**
 * Gives `value` a printed form inside options objects ({@link optionsText}) and, when `own`
 * (the value was made here, not passed in by the caller), on its own in counterexamples.
 * Returns `value`. @internal
 */
export function printAs<T extends object>(value: T, text: string, own = true): T {
  texts.set(value, text);
  if (own && Object.isExtensible(value)) {
    Object.defineProperty(value, fc.toStringMethod, { value: () => text });
  }
  return value;
}

/**
 * A value as source text: a registered printed form, `clock`, a plain object or array written
 * as code (`{ id: 'guest' }`), else fast-check's rendering.
 */
export function show(value: unknown, clock?: unknown, seen: readonly object[] = []): string {
  if (value !== undefined && value === clock) return 'clock';
  if (typeof value === 'string') return `'${value.replace(/[\\']/g, '\\$&')}'`;
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    const text = texts.get(value);
    if (text !== undefined) return text;
    if (seen.includes(value)) return '[cyclic]';
    const inner = [...seen, value];
    if (Array.isArray(value)) return `[${value.map((v) => show(v, clock, inner)).join(', ')}]`;
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return optionsText(value, clock, inner);
  }
  return fc.stringify(value);
}

/** `{ a: 1, backoff: constant(5), clock }`: a plain object as it would be written in code. */
export function optionsText(
  options: object,
  clock?: unknown,
  seen: readonly object[] = [],
): string {
  const fields = Object.entries(options).map(([key, value]) => {
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
    const text = show(value, clock, seen);
    return text === name ? name : `${name}: ${text}`;
  });
  return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
}

/**
 * Builds a generated value and marks it so that fast-check builds a fresh one for each use
 * (a seeded random or a breaker keeps state) and prints `text(value)` for it. @internal
 */
export function renewable<T extends object>(build: () => T, text: (value: T) => string): T {
  const value = build();
  Object.defineProperty(value, fc.cloneMethod, { value: () => renewable(build, text) });
  Object.defineProperty(value, fc.toStringMethod, { value: () => text(value) });
  texts.set(value, text(value));
  return value;
}
